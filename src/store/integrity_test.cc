// The record proves itself: what an attacker with write access to the
// database can do behind the store's back, and what catches it. On both
// backends (SQLite file, PostgreSQL from DUALUSE_TEST_PG).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "dualuse/base/sha256.h"
#include "dualuse/store/store.h"
#include "store/store_test_util.h"

namespace dualuse::store {
namespace {

using testing::BackendTest;

class IntegrityTest : public BackendTest {
 protected:
  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      RecordInput in;
      in.kind = "assessment";
      in.actor = "olga";
      in.subject = "PO-" + std::to_string(i);
      in.outputs = R"({"verdict":"licence_required"})";
      ASSERT_TRUE(store_->Append(in).ok());
    }
  }

  // Rewrites records from..last with new content, each hashed and chained
  // correctly, and points chain_head at the new last record: a rewrite that
  // Verify() alone cannot see.
  void RewriteFrom(int64_t from) {
    auto all = store_->Records({});
    ASSERT_TRUE(all.ok());
    db_->DropTriggers();
    std::string prev = (*all)[from - 2].hash;
    for (Record r : *all) {
      if (r.id < from) continue;
      r.outputs = R"({"verdict":"not_controlled"})";
      r.prev_hash = prev;
      r.hash = Sha256Hex(CanonicalRecord(r));
      ASSERT_EQ(
          db_->Raw("UPDATE records SET outputs = '" + r.outputs + "', prev_hash = '" + r.prev_hash +
                   "', hash = '" + r.hash + "' WHERE id = " + std::to_string(r.id)),
          "");
      prev = r.hash;
    }
    ASSERT_EQ(db_->Raw("UPDATE chain_head SET last_hash = '" + prev + "'"), "");
  }

  static bool Has(const VerifyReport& rep, const std::string& what) {
    for (const auto& p : rep.problems)
      if (p.what == what) return true;
    return false;
  }
  static std::string Describe(const VerifyReport& rep) {
    std::string out;
    for (const auto& p : rep.problems)
      out += p.what + ": " + p.message + "\n";
    return out;
  }
};

TEST(AnchorTest, TextRoundTripsAndBadTextIsNamed) {
  Anchor a{42, std::string(64, 'a'), "2026-12-07T21:00:00.000Z"};
  auto back = ParseAnchor(AnchorText(a) + "\n");
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->records, 42);
  EXPECT_EQ(back->head_hash, a.head_hash);
  EXPECT_EQ(back->at, a.at);
  for (const char* bad :
       {"", "records=1", "dualuse-anchor/1 records=x head=", "dualuse-anchor/1 records=1 head=abc",
        "dualuse-anchor/1 records=1 "
        "head=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_FALSE(ParseAnchor(bad).ok()) << bad;
  }
}

// Finding: the chain could be cut without `audit verify` noticing when the
// attacker also moved chain_head back.
TEST_P(IntegrityTest, AnchorDetectsTruncationWithTheHeadUpdated) {
  Append(8);
  auto anchor = store_->MakeAnchor();
  ASSERT_TRUE(anchor.ok()) << anchor.error().ToString();
  EXPECT_EQ(anchor->records, 8);
  auto r5 = store_->GetRecord(5);
  ASSERT_TRUE(r5.ok());
  db_->DropTriggers();
  ASSERT_EQ(db_->Raw("DELETE FROM records WHERE id > 5"), "");
  ASSERT_EQ(db_->Raw("UPDATE chain_head SET last_id = 5, last_hash = '" + r5->hash + "'"), "");
  auto plain = store_->Verify();
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->ok()) << "the cut chain is consistent in itself";
  auto rep = store_->VerifyWithAnchor(*anchor);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(Has(*rep, "truncated")) << Describe(*rep);
}

// Finding: the chain could be rewritten without `audit verify` noticing.
TEST_P(IntegrityTest, AnchorDetectsARewriteWithTheHeadUpdated) {
  Append(8);
  auto anchor = store_->MakeAnchor();
  ASSERT_TRUE(anchor.ok());
  RewriteFrom(3);
  auto plain = store_->Verify();
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->ok()) << Describe(*plain);
  auto rep = store_->VerifyWithAnchor(*anchor);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(Has(*rep, "rewritten")) << Describe(*rep);
  // Records appended after the anchor do not make an intact chain fail.
}

TEST_P(IntegrityTest, AnchorHoldsForAnIntactChainThatGrew) {
  Append(3);
  auto anchor = store_->MakeAnchor();
  ASSERT_TRUE(anchor.ok());
  Append(4);
  auto rep = store_->VerifyWithAnchor(*anchor);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << Describe(*rep);
}

TEST_P(IntegrityTest, AnchorDetectsAReplacedStore) {
  Append(5);
  auto anchor = store_->MakeAnchor();
  ASSERT_TRUE(anchor.ok());
  // Another store, longer, in its place.
  testing::TestDb other(GetParam());
  std::string why;
  ASSERT_TRUE(other.Create(&why)) << why;
  auto replaced = Store::Open(other.target());
  ASSERT_TRUE(replaced.ok());
  for (int i = 0; i < 9; ++i) {
    RecordInput in;
    in.kind = "assessment";
    in.actor = "mallory";
    ASSERT_TRUE((*replaced)->Append(in).ok());
  }
  auto rep = (*replaced)->VerifyWithAnchor(*anchor);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(Has(*rep, "rewritten")) << Describe(*rep);
}

// Finding: alert states were not tied to the chain: marking alerts
// dismissed with a forged reviewer verified clean.
TEST_P(IntegrityTest, AlertStatesChangedBehindTheStoreAreDetected) {
  CounterpartyInput p{"Komid Trading", {}, "KP", "Organization", "", "[]"};
  int64_t cp = store_->UpsertCounterparty(p)->id;
  std::vector<int64_t> ids;
  for (const char* h : {"h1", "h2", "h3"}) {
    AlertInput a;
    a.counterparty_id = cp;
    a.kind = "potential_match";
    a.list = "un_sc";
    a.entity_id = std::string("e-") + h;
    a.entity_hash = h;
    a.effect = "asset_freeze";
    a.jurisdiction = "UN";
    auto r = store_->AddAlert(a);
    ASSERT_TRUE(r.ok());
    ids.push_back(r->second);
  }
  // One decided properly: verifies.
  ASSERT_TRUE(store_->DecideAlert(ids[0], false, "different person", "rik").ok());
  auto ok = store_->Verify();
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok()) << Describe(*ok);
  // Two forged: the state set directly, with and without a borrowed record.
  ASSERT_EQ(db_->Raw("UPDATE alerts SET state = 'dismissed', decided_by = 'rik' WHERE id = " +
                     std::to_string(ids[1])),
            "");
  auto d = store_->GetAlert(ids[0]);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(db_->Raw("UPDATE alerts SET state = 'dismissed', decided_by = 'rik', "
                     "decision_record = " +
                     std::to_string(d->decision_record) + " WHERE id = " + std::to_string(ids[2])),
            "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  int alerts = 0;
  for (const auto& pr : rep->problems)
    alerts += pr.what == "alert";
  EXPECT_EQ(alerts, 2) << Describe(*rep);
}

// A good-guy entry written, widened or removed behind the store's back (a
// row the chain does not hold, an entity changed, a removal undone) is found.
TEST_P(IntegrityTest, GoodGuysChangedBehindTheStoreAreDetected) {
  auto kept = store_->AddGoodGuy({"Komid Trading", "un_sc", "690735", "other company"}, "rik");
  auto gone = store_->AddGoodGuy({"Acme", "", "6908555", "other company"}, "rik");
  ASSERT_TRUE(kept.ok() && gone.ok());
  ASSERT_TRUE(store_->RemoveGoodGuy(gone->id, "entry was wrong", "ria").ok());
  auto ok = store_->Verify();
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok()) << Describe(*ok);
  ASSERT_EQ(
      db_->Raw("UPDATE good_guys SET entity_id = '690751' WHERE id = " + std::to_string(kept->id)),
      "");
  ASSERT_EQ(db_->Raw("UPDATE good_guys SET removed_at = '', removed_by = '', removed_record = 0 "
                     "WHERE id = " +
                     std::to_string(gone->id)),
            "");
  ASSERT_EQ(db_->Raw("INSERT INTO good_guys (counterparty, counterparty_id, name_key, list_id, "
                     "entity_id, reason, reviewer, created_at, record_id) VALUES ('Zeta', 0, "
                     "'zeta', '', '1', 'x', 'rik', '2026-12-07', 0)"),
            "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  int good = 0;
  for (const auto& pr : rep->problems)
    good += pr.what == "good_guy";
  // The widened entry, the undone removal and the inserted entry.
  EXPECT_EQ(good, 3) << Describe(*rep);
  // An entry deleted behind the store's back is missing from the list.
  ASSERT_EQ(db_->Raw("DELETE FROM good_guys WHERE id = " + std::to_string(kept->id)), "");
  auto after = store_->Verify();
  ASSERT_TRUE(after.ok());
  bool missing = false;
  for (const auto& pr : after->problems)
    missing = missing || pr.message.find("missing from the good-guy list") != std::string::npos;
  EXPECT_TRUE(missing) << Describe(*after);
}

// Finding: users and roles were not in the chain: promoting an officer to
// admin verified clean.
TEST_P(IntegrityTest, UserAndTokenChangesBehindTheStoreAreDetected) {
  auto u = store_->CreateUser("olga", "", "officer", "cli:root");
  ASSERT_TRUE(u.ok());
  Token t;
  t.id = "0123456789ab";
  t.hash = "hmac-sha256$00";
  t.user_id = u->id;
  ASSERT_TRUE(store_->AddToken(t, "cli:root").ok());
  ASSERT_TRUE(store_->SetUserRole(u->id, "reviewer", "admin-user").ok());
  auto clean = store_->Verify();
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok()) << Describe(*clean);
  // The changes are records, with who made them.
  RecordQuery q;
  q.subject = "user:olga";
  auto recs = store_->Records(q);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ(recs->back().actor, "admin-user");

  ASSERT_EQ(db_->Raw("UPDATE users SET role = 'admin' WHERE name = 'olga'"), "");
  auto promoted = store_->Verify();
  ASSERT_TRUE(promoted.ok());
  EXPECT_TRUE(Has(*promoted, "user")) << Describe(*promoted);
  ASSERT_EQ(db_->Raw("UPDATE users SET role = 'reviewer' WHERE name = 'olga'"), "");
  ASSERT_EQ(db_->Raw("INSERT INTO tokens (id, hash, user_id, created_at, expires_at, revoked) "
                     "VALUES ('ba9876543210', 'hmac-sha256$11', " +
                     std::to_string(u->id) + ", '2026-12-07', '', 0)"),
            "");
  ASSERT_EQ(db_->Raw("UPDATE tokens SET revoked = 0 WHERE id = '0123456789ab'"), "");
  auto inserted = store_->Verify();
  ASSERT_TRUE(inserted.ok());
  EXPECT_TRUE(Has(*inserted, "token")) << Describe(*inserted);
  EXPECT_FALSE(Has(*inserted, "user")) << Describe(*inserted);
  // Revoking through the store is recorded and verifies.
  ASSERT_EQ(db_->Raw("DELETE FROM tokens WHERE id = 'ba9876543210'"), "");
  ASSERT_TRUE(store_->RevokeToken("0123456789ab", "admin-user").ok());
  auto revoked = store_->Verify();
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->ok()) << Describe(*revoked);
}

// Finding: a zero-byte database verified as "ok: 0 records" and was
// silently rebuilt as a new store.
// A file store only; a PostgreSQL database replaced by an empty one is
// found by the anchor (AnchorDetectsAReplacedStore).
TEST(EmptyStoreTest, AnEmptiedOrMissingSqliteStoreIsAnError) {
  testing::TestDb db("sqlite");
  std::string why;
  ASSERT_TRUE(db.Create(&why)) << why;
  const std::string path = db.target();
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok());
    RecordInput in;
    in.kind = "assessment";
    ASSERT_TRUE((*store)->Append(in).ok());
  }
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  std::filesystem::resize_file(path, 0);
  auto empty = Store::Open(path);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code(), StatusCode::kDataLoss) << empty.error().ToString();
  std::filesystem::remove(path);
  auto missing = Store::Open(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kDataLoss) << missing.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(path)) << "no new store was made";
  // Removing the marker is the explicit decision to start afresh.
  std::filesystem::remove(path + ".marker");
  EXPECT_TRUE(Store::Open(path).ok());
}

// A process killed between SQLite's creation of the file and the first
// commit leaves a zero-byte file and no marker: nothing was ever stored, and
// the next open creates the store there.
TEST(EmptyStoreTest, AnInterruptedCreationIsNotALostStore) {
  testing::TestDb db("sqlite");
  std::string why;
  ASSERT_TRUE(db.Create(&why)) << why;
  const std::string path = db.target();
  std::filesystem::remove(path + ".marker");
  { std::ofstream touch(path); }
  ASSERT_EQ(std::filesystem::file_size(path), 0u);
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  RecordInput in;
  in.kind = "assessment";
  EXPECT_TRUE((*store)->Append(in).ok());
  EXPECT_TRUE(std::filesystem::exists(path + ".marker"));
}

// Numbers from the database: a claim is held once, across connections.
TEST_P(IntegrityTest, ClaimsAreUniqueAcrossConnections) {
  auto other = Store::Open(db_->target());
  ASSERT_TRUE(other.ok());
  std::atomic<int> won{0}, lost{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& s = i % 2 ? **other : *store_;
      RecordInput in;
      in.kind = "authority_decision";
      in.actor = "officer" + std::to_string(i);
      in.subject = "DEC-1";
      in.claims = {"authority_decision:DEC-1", "authority_decision_of:APP-1"};
      auto r = s.Append(in);
      if (r.ok()) {
        ++won;
      } else {
        EXPECT_EQ(r.error().code(), StatusCode::kAlreadyExists) << r.error().ToString();
        ++lost;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 7);
  EXPECT_EQ(*store_->RecordCount(), 1);
  RecordInput dup;
  dup.kind = "authority_filing";
  dup.claims = {"x", "x"};
  EXPECT_EQ(store_->Append(dup).error().code(), StatusCode::kAlreadyExists);
}

// Finding: a reviewer dismissed an exact UN asset-freeze hit that their own
// screening raised. Two reviewers, neither the one who raised it.
TEST_P(IntegrityTest, AnExactAssetFreezeHitTakesTwoReviewersToDismiss) {
  CounterpartyInput p{"Komid Trading", {}, "KP", "Organization", "", "[]"};
  int64_t cp = store_->UpsertCounterparty(p)->id;
  RecordInput screening;
  screening.kind = "screening";
  screening.actor = "rik";
  AlertInput a;
  a.counterparty_id = cp;
  a.kind = "hit";
  a.list = "un_sc";
  a.entity_id = "6908555";
  a.entity_hash = "h";
  a.effect = "asset_freeze";
  a.jurisdiction = "UN";
  auto written = store_->AppendWithAlerts({screening}, {{a}});
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  auto alerts = store_->Alerts("open");
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  const int64_t id = alerts->front().id;
  auto own = store_->DecideAlert(id, false, "it is not them", "rik");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->DecideAlert(id, false, "different birth date", "ann").ok());
  EXPECT_EQ(store_->GetAlert(id)->state, "pending_dismissal");
  auto again = store_->DecideAlert(id, false, "still not them", "ann");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->DecideAlert(id, false, "agreed: different person", "bob").ok());
  EXPECT_EQ(store_->GetAlert(id)->state, "dismissed");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << Describe(*rep);
  // A potential match on the same list needs one reviewer.
  a.kind = "potential_match";
  a.entity_id = "other";
  auto raised = store_->AddAlert(a);
  ASSERT_TRUE(raised.ok());
  ASSERT_TRUE(store_->DecideAlert(raised->second, false, "not them", "ann").ok());
  EXPECT_EQ(store_->GetAlert(raised->second)->state, "dismissed");
}

DUALUSE_INSTANTIATE_BACKENDS(IntegrityTest);

}  // namespace
}  // namespace dualuse::store
