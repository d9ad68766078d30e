// The Store suite, run against each backend (store_test_util.h).
#include "dualuse/store/store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "dualuse/base/clock.h"
#include "dualuse/base/sha256.h"
#include "store/canonical.h"
#include "store/store_test_util.h"

namespace dualuse::store {
namespace {

using testing::BackendTest;
using Json = nlohmann::json;

RecordInput MakeRecord(int i, const std::string& kind = kKindAssessment) {
  RecordInput r;
  r.kind = kind;
  r.actor = "alice";
  r.subject = "PO-" + std::to_string(i);
  r.inputs = Json{{"n", i}, {"name", "Ünïcode Trading " + std::to_string(i)}}.dump();
  r.outputs = Json{{"verdict", "no_licence_required"}}.dump();
  r.law_version = "eu-2021-821@2025-09-08";
  r.list_versions = R"({"un_sc":"2026-02-27"})";
  return r;
}

void AppendN(Store& s, int n) {
  for (int i = 1; i <= n; ++i) {
    auto r = s.Append(MakeRecord(i));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
}

bool HasProblem(const VerifyReport& rep, int64_t id, const std::string& what) {
  for (const auto& p : rep.problems) {
    if (p.record_id == id && p.what == what) return true;
  }
  return false;
}

std::string Describe(const VerifyReport& rep) {
  std::string s;
  for (const auto& p : rep.problems)
    s += p.what + "@" + std::to_string(p.record_id) + ": " + p.message + "\n";
  return s;
}

class StoreTest : public BackendTest {};

// The fast serialisation that appends hash with equals the reference
// (CanonicalRecord, nlohmann::json's dump) byte for byte, for every kind of
// text: escapes by name and by number, quotes, backslashes, DEL, multi-byte
// UTF-8, empty texts, large ids; and declines invalid UTF-8 and NUL.
TEST(CanonicalRecordTest, FastSerialisationEqualsTheReference) {
  std::string all_controls;
  for (int c = 1; c < 0x20; ++c)
    all_controls.push_back(static_cast<char>(c));
  const std::vector<std::string> texts = {
      "",
      "plain",
      "quote \" and backslash \\ and slash /",
      all_controls,
      "tab\tnew\nline\rcr\bbs\fff\x7f del",
      "Ünïcode — 中文 😀 \xe2\x80\xa8",
      R"({"method":"POST","body":{"name":"Ivan \"the\" Petrov\n"}})",
      std::string(5000, 'x') + "\x01" + std::string(3, '"'),
  };
  int64_t id = 1;
  for (const std::string& a : texts) {
    for (const std::string& b : texts) {
      Record r;
      r.id = id;
      id += 1234567891011;
      r.recorded_at = NowTimestamp();
      r.kind = "screening";
      r.actor = a;
      r.subject = b;
      r.inputs = b;
      r.outputs = a + b;
      r.law_version = a;
      r.list_versions = b;
      r.prev_hash = kGenesisHash;
      auto fast = internal::CanonicalRecordFast(r);
      ASSERT_TRUE(fast.has_value());
      EXPECT_EQ(*fast, CanonicalRecord(r)) << Json(a).dump() << " / " << Json(b).dump();
    }
  }
  Record bad;
  bad.subject = "\xff\xfe not UTF-8";
  EXPECT_FALSE(internal::CanonicalRecordFast(bad).has_value());
  bad.subject = std::string("NUL\0inside", 10);
  EXPECT_FALSE(internal::CanonicalRecordFast(bad).has_value());
}

TEST_P(StoreTest, MigratesOnceAndReopens) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_GE(*v, 1);
  EXPECT_EQ(store_->Backend(), GetParam());
  auto again = Reopen();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(*again->SchemaVersion(), *v);
}

TEST_P(StoreTest, AppendsAChain) {
  AppendN(*store_, 5);
  auto recs = store_->Records({});
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 5u);
  std::string prev = kGenesisHash;
  for (size_t i = 0; i < recs->size(); ++i) {
    const Record& r = (*recs)[i];
    EXPECT_EQ(r.id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(r.prev_hash, prev);
    EXPECT_EQ(r.hash, Sha256Hex(CanonicalRecord(r)));
    EXPECT_EQ(r.list_versions, R"({"un_sc":"2026-02-27"})");
    prev = r.hash;
  }
  auto got = store_->GetRecord(3);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->subject, "PO-3");
  EXPECT_EQ(got->inputs, MakeRecord(3).inputs);
  EXPECT_EQ(store_->GetRecord(99).status().code(), StatusCode::kNotFound);
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << Describe(*rep);
  EXPECT_EQ(rep->records, 5);
  EXPECT_EQ(rep->head_hash, prev);
}

// Every record is stamped by the product's clock (dualuse/base/clock.h), and
// the stamp is part of what its hash covers.
TEST_P(StoreTest, RecordsAreStampedByTheProductClock) {
  const char* stamps[] = {"2026-12-07T10:11:12.345Z", "2027-01-01T00:00:00.000Z"};
  for (const char* stamp : stamps) {
    ScopedFixedClock fixed(stamp);
    auto r = store_->Append(MakeRecord(1));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  auto recs = store_->Records({});
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*recs)[i].recorded_at, stamps[i]);
    EXPECT_EQ((*recs)[i].hash, Sha256Hex(CanonicalRecord((*recs)[i])));
  }
}

TEST_P(StoreTest, RejectsBadRecordsAndWritesNothing) {
  struct Case {
    const char* what;
    RecordInput in;
  };
  RecordInput bad_json = MakeRecord(1);
  bad_json.inputs = "{not json";
  RecordInput bad_versions = MakeRecord(1);
  bad_versions.list_versions = "[1]";
  RecordInput bad_kind = MakeRecord(1, "Assessment!");
  RecordInput bad_utf8 = MakeRecord(1);
  bad_utf8.actor = std::string("a\xff", 2);
  RecordInput nul = MakeRecord(1);
  nul.subject = std::string("a\0b", 3);
  for (const Case& c : {Case{"json", bad_json}, Case{"versions", bad_versions},
                        Case{"kind", bad_kind}, Case{"utf8", bad_utf8}, Case{"nul", nul}}) {
    auto r = store_->AppendBatch({MakeRecord(1), c.in});
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.what;
    // PreparedRecord::Make applies the same checks (the server relies on it).
    EXPECT_EQ(PreparedRecord::Make(c.in).status().code(), StatusCode::kInvalidArgument) << c.what;
    // MakeSerialised trusts the JSON grammar of text the program wrote, and
    // nothing else: the texts the canonical form needs, the kind, the object.
    if (std::string(c.what) != "json") {
      EXPECT_EQ(PreparedRecord::MakeSerialised(c.in).status().code(), StatusCode::kInvalidArgument)
          << c.what;
    }
  }
  EXPECT_EQ(*store_->RecordCount(), 0);
}

TEST_P(StoreTest, AppendsPreparedRecordsWithTheSameHashes) {
  // Records prepared outside the store chain exactly like appended ones: the
  // stored hash is the reference serialisation's, and Verify() agrees.
  std::vector<PreparedRecord> prepared;
  for (int i = 1; i <= 3; ++i) {
    RecordInput in = MakeRecord(i);
    in.subject = "Ivan \"the\" Petrov\n\t" + std::to_string(i);
    in.inputs = R"({"name":"Ünïcode — 中文 😀","control":"\u0001"})";
    auto p = PreparedRecord::Make(in);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->input().subject, in.subject);
    // Serialised by the program: the same canonical bytes, so the same hash.
    auto serialised = PreparedRecord::MakeSerialised(in);
    ASSERT_TRUE(serialised.ok()) << serialised.status().ToString();
    EXPECT_EQ(serialised->Canonical(i, "2026-12-07T00:00:00.000Z", kGenesisHash),
              p->Canonical(i, "2026-12-07T00:00:00.000Z", kGenesisHash));
    prepared.push_back(std::move(i % 2 ? *serialised : *p));
  }
  auto recs = store_->AppendPrepared(prepared, std::vector<std::vector<AlertInput>>(3));
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 3u);
  for (size_t i = 0; i < recs->size(); ++i) {
    const Record& r = (*recs)[i];
    EXPECT_EQ(prepared[i].Canonical(r.id, r.recorded_at, r.prev_hash), CanonicalRecord(r));
    EXPECT_EQ(r.hash, Sha256Hex(CanonicalRecord(r)));
  }
  auto mismatched = store_->AppendPrepared(prepared, {});
  EXPECT_EQ(mismatched.status().code(), StatusCode::kInvalidArgument);
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty());
  EXPECT_EQ(report->records, 3);
}

TEST_P(StoreTest, TriggersRefuseUpdateAndDelete) {
  AppendN(*store_, 2);
  EXPECT_NE(db_->Raw("UPDATE records SET actor = 'mallory' WHERE id = 1"), "");
  EXPECT_NE(db_->Raw("DELETE FROM records WHERE id = 2"), "");
  EXPECT_EQ(*store_->RecordCount(), 2);
  EXPECT_TRUE(store_->Verify()->ok());
}

TEST_P(StoreTest, VerifyDetectsAModifiedRecord) {
  AppendN(*store_, 8);
  db_->DropTriggers();
  ASSERT_EQ(db_->Raw("UPDATE records SET outputs = '{\"verdict\":\"prohibited\"}' WHERE id = 5"),
            "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(HasProblem(*rep, 5, "modified")) << Describe(*rep);
}

TEST_P(StoreTest, VerifyDetectsAModifiedRecordWithARecomputedHash) {
  AppendN(*store_, 8);
  auto r5 = store_->GetRecord(5);
  ASSERT_TRUE(r5.ok());
  Record forged = *r5;
  forged.actor = "mallory";
  forged.hash = Sha256Hex(CanonicalRecord(forged));
  db_->DropTriggers();
  ASSERT_EQ(
      db_->Raw("UPDATE records SET actor = 'mallory', hash = '" + forged.hash + "' WHERE id = 5"),
      "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(HasProblem(*rep, 5, "modified")) << Describe(*rep);
}

TEST_P(StoreTest, VerifyDetectsADeletedRecord) {
  AppendN(*store_, 8);
  db_->DropTriggers();
  ASSERT_EQ(db_->Raw("DELETE FROM records WHERE id = 4"), "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(HasProblem(*rep, 4, "deleted")) << Describe(*rep);
}

TEST_P(StoreTest, VerifyDetectsTheLastRecordDeleted) {
  AppendN(*store_, 8);
  db_->DropTriggers();
  ASSERT_EQ(db_->Raw("DELETE FROM records WHERE id = 8"), "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(HasProblem(*rep, 8, "deleted")) << Describe(*rep);
}

// Deleting in the middle and renumbering what follows, so the ids have no gap.
TEST_P(StoreTest, VerifyDetectsADeletedRecordDespiteRenumbering) {
  AppendN(*store_, 8);
  db_->DropTriggers();
  ASSERT_EQ(db_->Raw("DELETE FROM records WHERE id = 4"), "");
  for (int id = 5; id <= 8; ++id) {
    ASSERT_EQ(db_->Raw("UPDATE records SET id = " + std::to_string(id - 1) +
                       " WHERE id = " + std::to_string(id)),
              "");
  }
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(HasProblem(*rep, 4, "deleted")) << Describe(*rep);
}

// Inserting in the middle: shift records 6..8 up by one and put a forged,
// internally consistent record 6 in between.
TEST_P(StoreTest, VerifyDetectsAnInsertedRecord) {
  AppendN(*store_, 8);
  auto all = store_->Records({});
  ASSERT_TRUE(all.ok());
  db_->DropTriggers();
  ASSERT_EQ(db_->Raw("DELETE FROM records WHERE id >= 6"), "");
  Record forged;
  static_cast<RecordInput&>(forged) = MakeRecord(99);
  forged.id = 6;
  forged.recorded_at = (*all)[5].recorded_at;
  forged.prev_hash = (*all)[4].hash;
  forged.hash = Sha256Hex(CanonicalRecord(forged));
  auto insert = [&](const Record& r, int64_t id) {
    auto q = [](const std::string& s) {
      std::string o = "'";
      for (char c : s)
        o += c == '\'' ? std::string("''") : std::string(1, c);
      return o + "'";
    };
    return db_->Raw(
        "INSERT INTO records (id, recorded_at, kind, actor, subject, inputs, outputs, "
        "law_version, list_versions, prev_hash, hash) VALUES (" +
        std::to_string(id) + ", " + q(r.recorded_at) + ", " + q(r.kind) + ", " + q(r.actor) + ", " +
        q(r.subject) + ", " + q(r.inputs) + ", " + q(r.outputs) + ", " + q(r.law_version) + ", " +
        q(r.list_versions) + ", " + q(r.prev_hash) + ", " + q(r.hash) + ")");
  };
  ASSERT_EQ(insert(forged, 6), "");
  for (int i = 5; i < 8; ++i)
    ASSERT_EQ(insert((*all)[i], (*all)[i].id + 1), "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_FALSE(rep->ok());
  EXPECT_TRUE(HasProblem(*rep, 6, "inserted")) << Describe(*rep);
}

// Appending a well-formed record at the end without the store: the chain
// head still names the old last record.
TEST_P(StoreTest, VerifyDetectsARecordInsertedAtTheEnd) {
  AppendN(*store_, 3);
  auto last = store_->GetRecord(3);
  ASSERT_TRUE(last.ok());
  Record forged;
  static_cast<RecordInput&>(forged) = MakeRecord(4);
  forged.id = 4;
  forged.recorded_at = last->recorded_at;
  forged.prev_hash = last->hash;
  forged.hash = Sha256Hex(CanonicalRecord(forged));
  ASSERT_EQ(
      db_->Raw("INSERT INTO records (id, recorded_at, kind, actor, subject, inputs, outputs, "
               "law_version, list_versions, prev_hash, hash) VALUES (4, '" +
               forged.recorded_at + "', 'assessment', 'alice', 'PO-4', '" + forged.inputs + "', '" +
               forged.outputs + "', '" + forged.law_version + "', '" + forged.list_versions +
               "', '" + forged.prev_hash + "', '" + forged.hash + "')"),
      "");
  auto rep = store_->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(HasProblem(*rep, 4, "inserted")) << Describe(*rep);
}

TEST_P(StoreTest, QueriesRecords) {
  AppendN(*store_, 3);
  ASSERT_TRUE(store_->Append(MakeRecord(4, kKindScreening)).ok());
  RecordQuery q;
  q.kind = kKindScreening;
  EXPECT_EQ(store_->Records(q)->size(), 1u);
  q = {};
  q.from = NowTimestamp().substr(0, 10);
  q.to = q.from;
  EXPECT_EQ(store_->Records(q)->size(), 4u);
  q.from = "2001-01-01";
  q.to = "2001-12-31";
  EXPECT_EQ(store_->Records(q)->size(), 0u);
  q = {};
  q.text = "Trading 2";
  EXPECT_EQ(store_->Records(q)->size(), 1u);
  q = {};
  q.newest_first = true;
  q.limit = 2;
  auto r = store_->Records(q);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].id, 4);
  q.before_id = 4;
  EXPECT_EQ(store_->Records(q)->at(0).id, 3);
}

TEST_P(StoreTest, ThreadsAppendingAtOnceKeepOneChain) {
  auto second = Store::Open(db_->target());
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  std::thread a([&] { AppendN(*store_, 40); });
  std::thread b([&] { AppendN(**second, 40); });
  a.join();
  b.join();
  EXPECT_EQ(*store_->RecordCount(), 80);
  auto rep = store_->Verify();
  EXPECT_TRUE(rep->ok()) << Describe(*rep);
}

TEST_P(StoreTest, RegistersCounterparties) {
  CounterpartyInput p{"Example Telecom Co., Ltd", {"ETC"}, "CN", "Organization", "", "[]"};
  auto first = store_->UpsertCounterparty(p);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_TRUE(first->created);
  auto same = store_->UpsertCounterparty(p);
  EXPECT_FALSE(same->created);
  EXPECT_FALSE(same->changed);
  EXPECT_EQ(same->id, first->id);
  p.aliases.push_back("Example Tel");
  auto changed = store_->UpsertCounterparty(p);
  EXPECT_TRUE(changed->changed);
  auto cp = store_->GetCounterparty(first->id);
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->version, 2);
  EXPECT_EQ(cp->key, "example telecom co ltd|CN");
  EXPECT_EQ(cp->aliases.size(), 2u);
  EXPECT_EQ(CounterpartyKey("  EXAMPLE telecom co  ltd.", "cn"), cp->key);
  auto found = store_->FindCounterparty(cp->key);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, first->id);

  // Bulk: new, repeated within the batch, existing.
  std::vector<CounterpartyInput> batch;
  for (int i = 0; i < 1000; ++i) {
    batch.push_back({"Party " + std::to_string(i), {}, "DE", "Organization", "", "[]"});
  }
  batch.push_back({"Party 7", {}, "DE", "Organization", "", "[]"});
  batch.push_back({"Party 8", {"P8"}, "DE", "Organization", "", "[]"});
  batch.push_back(p);
  auto out = store_->UpsertCounterparties(batch);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_TRUE((*out)[7].created);
  EXPECT_FALSE((*out)[1000].created);
  EXPECT_FALSE((*out)[1000].changed);
  EXPECT_EQ((*out)[1000].id, (*out)[7].id);
  EXPECT_TRUE((*out)[1001].changed);
  EXPECT_EQ((*out)[1002].id, first->id);
  EXPECT_EQ(*store_->CounterpartyCount(), 1001);
  EXPECT_EQ(store_->GetCounterparty((*out)[8].id)->version, 2);
  EXPECT_EQ(store_->UpsertCounterparty({"", {}, "", "", "", "[]"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, CounterpartyContentHashIsTheSortedJsonDigest) {
  // Stores written before keep their content hashes comparable: the digest is
  // SHA-256 of the party as a JSON object with sorted keys, as nlohmann dumps it.
  std::vector<CounterpartyInput> parties = {{"Ivan \"the\" Petrov\t\u00e9\u4e2d",
                                             {"I. P.",
                                              "\x01"
                                              "x"},
                                             "RU",
                                             "Person",
                                             "1970-01-02",
                                             R"([{"type":"passport","value":"12\\34"}])"},
                                            {"Plain Party", {}, "DE", "Organization", "", "[]"}};
  for (const CounterpartyInput& p : parties) {
    auto up = store_->UpsertCounterparties({p, p});
    ASSERT_TRUE(up.ok()) << up.error().ToString();
    EXPECT_FALSE((*up)[1].changed);
    nlohmann::json j = {
        {"name", p.name},     {"aliases", p.aliases},       {"country", p.country},
        {"schema", p.schema}, {"birth_date", p.birth_date}, {"identifiers", p.identifiers}};
    EXPECT_EQ(store_->GetCounterparty((*up)[0].id)->content_hash, Sha256Hex(j.dump())) << p.name;
  }
}

AlertInput UnAlert(int64_t cp, const std::string& entity_hash) {
  AlertInput a;
  a.counterparty_id = cp;
  a.kind = "potential_match";
  a.list = "un_sc";
  a.list_version = "2026-02-27";
  a.entity_id = "6908555";
  a.entity_hash = entity_hash;
  a.entity_name = "KOREA MINING DEVELOPMENT TRADING CORPORATION";
  a.matched_name = "KOMID";
  a.score = 0.91;
  a.effect = "asset_freeze";
  a.jurisdiction = "UN";
  a.programs = R"(["DPRK"])";
  return a;
}

TEST_P(StoreTest, ReviewQueueSuppressesDismissedPairsUntilSomethingChanges) {
  CounterpartyInput p{"Komid Trading", {}, "KP", "Organization", "", "[]"};
  int64_t cp = store_->UpsertCounterparty(p)->id;
  auto raised = store_->AddAlert(UnAlert(cp, "h1"));
  ASSERT_TRUE(raised.ok()) << raised.error().ToString();
  EXPECT_EQ(raised->first, AlertOutcome::kRaised);
  EXPECT_EQ(store_->AddAlert(UnAlert(cp, "h1"))->first, AlertOutcome::kDuplicate);

  EXPECT_EQ(store_->DecideAlert(raised->second, false, "  ", "bob").status().code(),
            StatusCode::kInvalidArgument);
  auto rec = store_->DecideAlert(raised->second, false, "different company, other address", "bob");
  ASSERT_TRUE(rec.ok()) << rec.error().ToString();
  EXPECT_EQ(rec->kind, kKindReviewDecision);
  EXPECT_EQ(rec->actor, "bob");
  EXPECT_EQ(Json::parse(rec->inputs)["decision"], "dismissed");
  EXPECT_EQ(store_->DecideAlert(raised->second, true, "again", "bob").status().code(),
            StatusCode::kFailedPrecondition);
  auto a = store_->GetAlert(raised->second);
  EXPECT_EQ(a->state, "dismissed");
  EXPECT_EQ(a->decision_record, rec->id);
  EXPECT_EQ(a->reason, "different company, other address");

  // Same listing, same counterparty: not raised again.
  EXPECT_EQ(store_->AddAlert(UnAlert(cp, "h1"))->first, AlertOutcome::kSuppressedDismissed);
  // The listing changed: raised.
  auto relisted = store_->AddAlert(UnAlert(cp, "h2"));
  EXPECT_EQ(relisted->first, AlertOutcome::kRaised);
  ASSERT_TRUE(store_->DecideAlert(relisted->second, false, "still not them", "bob").ok());
  // An alias added: the dismissal holds (it depends on name, country and
  // birth date).
  p.aliases = {"KOMID"};
  ASSERT_TRUE(store_->UpsertCounterparty(p)->changed);
  EXPECT_EQ(store_->AddAlert(UnAlert(cp, "h2"))->first, AlertOutcome::kSuppressedDismissed);
  // The counterparty's birth date changed: raised.
  p.birth_date = "1990";
  ASSERT_TRUE(store_->UpsertCounterparty(p)->changed);
  EXPECT_EQ(store_->AddAlert(UnAlert(cp, "h2"))->first, AlertOutcome::kRaised);
  EXPECT_EQ(store_->Alerts("open")->size(), 1u);
  EXPECT_EQ(store_->Alerts("dismissed")->size(), 2u);
  EXPECT_EQ(store_->AddAlert(UnAlert(999, "h")).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Verify()->ok());
}

TEST_P(StoreTest, ConfirmedMatchesCarryTheListing) {
  int64_t cp = store_->UpsertCounterparty({"Komid", {}, "KP", "Organization", "", "[]"})->id;
  AlertInput un_listing = UnAlert(cp, "h1");
  un_listing.entity_key = "un_reference:KPE.001";
  auto un = store_->AddAlert(un_listing);
  AlertInput us = UnAlert(cp, "u1");
  us.entity_key = "un_reference:KPE.001";  // the listing carries the UN reference number
  us.list = "us_csl";
  us.entity_id = "e1";
  us.effect = "licence_requirement";
  us.jurisdiction = "US";
  auto usa = store_->AddAlert(us);
  ASSERT_TRUE(un.ok() && usa.ok());
  // The same entity on another list: attached to the open item.
  EXPECT_EQ(usa->first, AlertOutcome::kAttached);
  EXPECT_EQ(usa->second, un->second);
  EXPECT_EQ(store_->Alerts("open")->size(), 1u);
  EXPECT_TRUE(store_->ConfirmedMatchesFor("komid|KP")->empty());
  ASSERT_TRUE(store_->DecideAlert(un->second, true, "same entity, same address", "carol").ok());
  auto m = store_->ConfirmedMatchesFor(CounterpartyKey("KOMID", "kp"));
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].list, "un_sc");
  EXPECT_EQ((*m)[0].effect, "asset_freeze");
  EXPECT_EQ((*m)[0].jurisdiction, "UN");
  EXPECT_EQ((*m)[1].list, "us_csl");
  EXPECT_EQ((*m)[1].jurisdiction, "US");
  EXPECT_EQ((*m)[0].decided_by, "carol");
}

TEST_P(StoreTest, AppendsRecordsWithAlertsAtomically) {
  AlertInput generic;
  generic.kind = "red_flag";
  generic.subject = "end user refuses to state end use";
  auto recs = store_->AppendWithAlerts({MakeRecord(1), MakeRecord(2)}, {{}, {generic}});
  ASSERT_TRUE(recs.ok()) << recs.error().ToString();
  auto alerts = store_->Alerts("open");
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].record_id, (*recs)[1].id);
  EXPECT_EQ((*alerts)[0].subject, generic.subject);
  EXPECT_EQ((*alerts)[0].counterparty_id, 0);
  RecordInput custom = MakeRecord(3, "review");
  auto decided = store_->DecideAlert((*alerts)[0].id, true, "confirmed by phone", "dave", custom);
  ASSERT_TRUE(decided.ok()) << decided.error().ToString();
  EXPECT_EQ(decided->kind, "review");
}

// The review queue keys items by party and listed entity. Each case runs
// its steps on a fresh store; a step adds an alert (or dismisses the item
// raised by an earlier step, or adds a good-guy entry) and states the outcome.
struct QueueStep {
  enum Op { kAdd, kDismiss, kGoodGuy, kRemoveGoodGuy } op = kAdd;
  std::string party = "Komid Trading", country = "KP", birth_date;
  std::string list = "un_sc", entity_id = "6908555", entity_key, entity_hash = "h1";
  std::string entity_name = "KOREA MINING DEVELOPMENT TRADING CORPORATION";
  AlertOutcome expect = AlertOutcome::kRaised;
};
struct QueueCase {
  std::string name;
  std::vector<QueueStep> steps;
  size_t open_items;
};

QueueStep Add(AlertOutcome expect) {
  QueueStep s;
  s.expect = expect;
  return s;
}
QueueStep With(QueueStep s, const std::string& field, const std::string& value) {
  if (field == "party") s.party = value;
  if (field == "country") s.country = value;
  if (field == "birth_date") s.birth_date = value;
  if (field == "list") s.list = value;
  if (field == "entity_id") s.entity_id = value;
  if (field == "entity_key") s.entity_key = value;
  if (field == "entity_hash") s.entity_hash = value;
  if (field == "entity_name") s.entity_name = value;
  return s;
}
QueueStep Op(QueueStep::Op op) {
  QueueStep s;
  s.op = op;
  return s;
}

TEST_P(StoreTest, ReviewQueueOneItemPerPartyAndEntity) {
  using O = AlertOutcome;
  const std::vector<QueueCase> cases = {
      {"re-run of the same screening", {Add(O::kRaised), Add(O::kDuplicate)}, 1},
      {"same name, other spelling and case",
       {Add(O::kRaised), With(Add(O::kDuplicate), "party", "KOMID-trading")},
       1},
      {"another country is another party",
       {Add(O::kRaised), With(Add(O::kRaised), "country", "CN")},
       2},
      {"another list, same name, no shared identifier: another item",
       {Add(O::kRaised), With(With(Add(O::kRaised), "list", "us_csl"), "entity_id", "e1"),
        With(With(Add(O::kDuplicate), "list", "us_csl"), "entity_id", "e1")},
       2},
      {"another list, shared identifier, other spelling: attached",
       {With(Add(O::kRaised), "entity_key", "un_reference:KPE.001"),
        With(With(With(With(Add(O::kAttached), "list", "eu_fsf"), "entity_id", "EU.1"),
                  "entity_key", "un_reference:KPE.001"),
             "entity_name", "KOMID")},
       1},
      {"same list, another entity of the same name: another item",
       {Add(O::kRaised), With(Add(O::kRaised), "entity_id", "6908999")},
       2},
      {"another entity is another item",
       {Add(O::kRaised),
        With(With(Add(O::kRaised), "entity_id", "690751"), "entity_name", "KOREA RYONBONG")},
       2},
      {"dismissed: holds for the same listing and party",
       {Add(O::kRaised), Op(QueueStep::kDismiss), Add(O::kSuppressedDismissed)},
       0},
      {"dismissed: an attached listing stays dismissed",
       {With(Add(O::kRaised), "entity_key", "un_reference:KPE.001"),
        With(With(With(Add(O::kAttached), "list", "eu_fsf"), "entity_id", "EU.1"), "entity_key",
             "un_reference:KPE.001"),
        Op(QueueStep::kDismiss),
        With(With(With(Add(O::kSuppressedDismissed), "list", "eu_fsf"), "entity_id", "EU.1"),
             "entity_key", "un_reference:KPE.001")},
       0},
      {"dismissed: the listing changed reopens",
       {Add(O::kRaised), Op(QueueStep::kDismiss), With(Add(O::kRaised), "entity_hash", "h2")},
       1},
      {"dismissed: the birth date changed reopens",
       {Add(O::kRaised), Op(QueueStep::kDismiss), With(Add(O::kRaised), "birth_date", "1990")},
       1},
      {"good guy: no item",
       {Op(QueueStep::kGoodGuy), Add(O::kKnownFalsePositive),
        With(Add(O::kKnownFalsePositive), "country", "CN")},
       0},
      {"good guy for another entity: raised",
       {Op(QueueStep::kGoodGuy), With(Add(O::kRaised), "entity_id", "690751")},
       1},
      {"good guy removed: raised",
       {Op(QueueStep::kGoodGuy), Op(QueueStep::kRemoveGoodGuy), Add(O::kRaised)},
       1},
  };
  for (const QueueCase& c : cases) {
    SCOPED_TRACE(c.name);
    store_.reset();
    SetUp();  // a fresh store per case
    int64_t last = 0, good = 0;
    for (const QueueStep& s : c.steps) {
      if (s.op == QueueStep::kDismiss) {
        ASSERT_TRUE(store_->DecideAlert(last, false, "other company", "rev").ok());
        continue;
      }
      if (s.op == QueueStep::kGoodGuy) {
        auto g = store_->AddGoodGuy({s.party, s.list, s.entity_id, "other company"}, "rev");
        ASSERT_TRUE(g.ok()) << g.error().ToString();
        good = g->id;
        continue;
      }
      if (s.op == QueueStep::kRemoveGoodGuy) {
        ASSERT_TRUE(store_->RemoveGoodGuy(good, "entry was wrong", "rev2").ok());
        continue;
      }
      AlertInput a = UnAlert(0, s.entity_hash);
      a.party_name = s.party;
      a.party_country = s.country;
      a.party_birth_date = s.birth_date;
      a.list = s.list;
      a.entity_id = s.entity_id;
      a.entity_key = s.entity_key;
      a.entity_name = s.entity_name;
      // The dry run answers what the write then does, and writes nothing.
      auto before = store_->Alerts("");
      auto dry = store_->Standings({a});
      ASSERT_TRUE(dry.ok()) << dry.error().ToString();
      EXPECT_EQ(store_->Alerts("")->size(), before->size());
      auto got = store_->AddAlert(a);
      ASSERT_TRUE(got.ok()) << got.error().ToString();
      EXPECT_EQ(static_cast<int>(got->first), static_cast<int>(s.expect));
      EXPECT_EQ(static_cast<int>(dry->at(0).outcome), static_cast<int>(s.expect));
      if (s.expect == AlertOutcome::kSuppressedDismissed) {
        EXPECT_EQ(dry->at(0).state, "dismissed");
        EXPECT_EQ(dry->at(0).decided_by, "rev");
        EXPECT_FALSE(dry->at(0).decided_at.empty());
      }
      if (s.expect == AlertOutcome::kKnownFalsePositive) {
        EXPECT_EQ(dry->at(0).good_guy_id, good);
        EXPECT_EQ(dry->at(0).reason, "other company");
      }
      if (got->first == AlertOutcome::kRaised) last = got->second;
    }
    EXPECT_EQ(store_->Alerts("open")->size(), c.open_items);
    EXPECT_TRUE(store_->Verify()->ok());
  }
}

// A screening item raised before schema version 3 (no party key) is found
// by the next screening of the same name once the store is opened again.
TEST_P(StoreTest, ScreeningItemsOfEarlierVersionsKeepTheirParty) {
  AlertInput a = UnAlert(0, "");
  a.details = R"({"query": "Komid Trading", "explanation": []})";
  auto legacy = store_->AddAlert(a);  // no party: as before version 3
  ASSERT_TRUE(legacy.ok());
  ASSERT_EQ(db_->Raw("UPDATE alerts SET party_key = '', party_hash = '', entity_key = '', "
                     "entity_name_key = ''"),
            "");
  store_.reset();
  auto reopened = Store::Open(db_->target());
  ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
  store_ = std::move(reopened).value();
  AlertInput again = UnAlert(0, "h1");
  again.party_name = "KOMID trading";
  auto got = store_->AddAlert(again);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(static_cast<int>(got->first), static_cast<int>(AlertOutcome::kDuplicate));
  EXPECT_EQ(got->second, legacy->second);
  EXPECT_EQ(store_->GetAlert(legacy->second)->party_key, "komid trading|");
}

TEST_P(StoreTest, GoodGuyChangesAreRecorded) {
  int64_t cp =
      store_->UpsertCounterparty({"Komid Trading", {}, "KP", "Organization", "", "[]"})->id;
  EXPECT_EQ(store_->AddGoodGuy({"", "un_sc", "1", "r"}, "rev").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddGoodGuy({"Komid", "un_sc", "", "r"}, "rev").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddGoodGuy({"Komid", "un_sc", "1", " "}, "rev").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddGoodGuy({"999", "un_sc", "1", "r"}, "rev").status().code(),
            StatusCode::kNotFound);
  auto g = store_->AddGoodGuy({std::to_string(cp), "", "6908555", "other register number"}, "rev");
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(g->counterparty_id, cp);
  EXPECT_EQ(g->name_key, "komid trading");
  auto rec = store_->GetRecord(g->record_id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->kind, kKindGoodGuy);
  EXPECT_EQ(rec->actor, "rev");
  EXPECT_EQ(Json::parse(rec->inputs)["action"], "add");
  // By register id: the counterparty's matches on any list are known false positives.
  EXPECT_EQ(store_->AddAlert(UnAlert(cp, "h1"))->first, AlertOutcome::kKnownFalsePositive);
  EXPECT_EQ(store_->GoodGuys(false)->size(), 1u);
  auto removed = store_->RemoveGoodGuy(g->id, "listed after all", "rev2");
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_EQ(removed->removed_by, "rev2");
  EXPECT_EQ(store_->RemoveGoodGuy(g->id, "again", "rev2").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->RemoveGoodGuy(77, "x", "rev2").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GoodGuys(false)->empty());
  EXPECT_EQ(store_->GoodGuys(true)->size(), 1u);
  EXPECT_EQ(store_->AddAlert(UnAlert(cp, "h1"))->first, AlertOutcome::kRaised);
  EXPECT_EQ(Json::parse(store_->GetRecord(removed->removed_record)->inputs)["action"], "remove");
  EXPECT_TRUE(store_->Verify()->ok());
}

// Re-running an assessment does not raise its red flags again, and a
// dismissed red flag stays dismissed; another subject is another item.
TEST_P(StoreTest, RedFlagsAreRaisedOncePerSubject) {
  AlertInput flag;
  flag.kind = "red_flag";
  flag.subject = "PO-1: the item may be listed in Annex II of Regulation (EU) 2017/1509";
  auto first = store_->AddAlert(flag);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->first, AlertOutcome::kRaised);
  EXPECT_EQ(store_->AddAlert(flag)->first, AlertOutcome::kDuplicate);
  AlertInput other = flag;
  other.subject = "PO-2: the item may be listed in Annex II of Regulation (EU) 2017/1509";
  EXPECT_EQ(store_->AddAlert(other)->first, AlertOutcome::kRaised);
  ASSERT_TRUE(
      store_->DecideAlert(first->second, false, "machine tool outside Annex II", "rev").ok());
  EXPECT_EQ(store_->AddAlert(flag)->first, AlertOutcome::kSuppressedDismissed);
  EXPECT_EQ(store_->Alerts("open")->size(), 1u);
}

TEST_P(StoreTest, UsersAndTokens) {
  auto u = store_->CreateUser("alice", "$argon2id$v=19$m=65536,t=3,p=1$x$y", "admin");
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(store_->CreateUser("alice", "", "user").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetUserByName("alice")->role, "admin");
  EXPECT_EQ(store_->GetUserByName("bob").status().code(), StatusCode::kNotFound);
  Token t;
  t.id = "tok1";
  t.hash = "$argon2id$...";
  t.user_id = u->id;
  ASSERT_TRUE(store_->AddToken(t).ok());
  EXPECT_EQ(store_->AddToken(t).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->LookupToken("tok1")->user_id, u->id);
  Token old = t;
  old.id = "tok2";
  old.expires_at = "2001-01-01T00:00:00.000Z";
  ASSERT_TRUE(store_->AddToken(old).ok());
  EXPECT_EQ(store_->LookupToken("tok2").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetUserDisabled(u->id, true).ok());
  EXPECT_EQ(store_->LookupToken("tok1").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetUserDisabled(u->id, false).ok());
  ASSERT_TRUE(store_->RevokeToken("tok1").ok());
  EXPECT_EQ(store_->LookupToken("tok1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Users()->size(), 1u);
}

TEST_P(StoreTest, RefusesAForeignDatabase) {
  // A fresh database holding someone else's tables.
  testing::TestDb other(GetParam());
  std::string why;
  ASSERT_TRUE(other.Create(&why)) << why;
  ASSERT_EQ(other.Raw("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"), "");
  auto s = Store::Open(other.target());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.error().message().find("not a dualuse store"), std::string::npos)
      << s.error().message();
  EXPECT_EQ(s.error().ExitCode(), 2);
}

TEST_P(StoreTest, RefusesANewerSchema) {
  ASSERT_EQ(db_->Raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                     "(999, 'future', 'x')"),
            "");
  store_.reset();
  auto s = Store::Open(db_->target());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.error().message().find("newer"), std::string::npos);
}

DUALUSE_INSTANTIATE_BACKENDS(StoreTest);

// SQLite only: files that are not databases at all.
TEST(SqliteFileTest, CorruptFileGetsAClearError) {
  auto dir = std::filesystem::temp_directory_path() / ("du_corrupt_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  struct Case {
    const char* name;
    std::string bytes;
  };
  std::string header_then_garbage = std::string("SQLite format 3\0", 16) + std::string(4000, 'x');
  for (const Case& c :
       {Case{"text", "hello, this is not a database\n"},
        Case{"garbage-header", header_then_garbage}, Case{"binary", std::string(8192, '\xAB')}}) {
    auto path = dir / (std::string(c.name) + ".db");
    std::ofstream(path, std::ios::binary) << c.bytes;
    auto s = Store::Open(path.string());
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.error().ExitCode(), 2) << c.name << ": " << s.error().ToString();
    EXPECT_NE(s.error().message().find(path.string()), std::string::npos) << s.error().message();
  }
  auto missing = Store::Open((dir / "nope.db").string(), OpenOptions{.create_if_missing = false});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Store::Open(dir.string()).status().code(), StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

TEST(PostgresUrlTest, UnreachableServerIsUnavailable) {
  auto s = Store::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.error().ExitCode(), 1);
}

}  // namespace
}  // namespace dualuse::store
