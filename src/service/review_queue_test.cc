// The review queue across screening, re-screening and assessment, with the
// real bundled lists (UN 2025-04-19 and 2025-11-20, OFAC SDN 2024-05-03) on
// each backend: one open item per party and listed entity whatever the
// number of lists and re-runs, dismissals that hold until the listing or
// the party changes, known false positives that raise nothing.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"
#include "dualuse/service/list_rescreen.h"
#include "dualuse/service/recording.h"
#include "dualuse/service/rescreen.h"
#include "dualuse/service/screening_record.h"
#include "store/store_test_util.h"

namespace dualuse::service {
namespace {

using store::testing::BackendTest;

const std::string kListsDir = std::string(DUALUSE_LISTS_DIR);

struct Lists {
  lists::ListVersion un_before, un_after, sdn;
  lists::ListDiff diff;
  std::unique_ptr<screening::ListScreener> before, after;  // each with the SDN list
};

const Lists& Bundled() {
  static Lists* l = [] {
    auto* l = new Lists;
    auto a = lists::LoadList(kListsDir + "/un_sc/un_consolidated_2025-04-19.xml");
    auto b = lists::LoadList(kListsDir + "/un_sc/un_consolidated_2025-11-20.xml");
    auto s = lists::LoadList(kListsDir + "/ofac_sdn/sdn_2024-05-03.csv");
    EXPECT_TRUE(a.ok() && b.ok() && s.ok()) << "bundled lists missing in " << kListsDir;
    if (!a.ok() || !b.ok() || !s.ok()) return l;
    l->un_before = std::move(a).value();
    l->un_after = std::move(b).value();
    l->sdn = std::move(s).value();
    l->diff = lists::DiffLists(l->un_before, l->un_after);
    auto x = screening::ListScreener::Build(std::vector<lists::ListVersion>{l->un_before, l->sdn},
                                            RescreenEngineOptions());
    auto y = screening::ListScreener::Build(std::vector<lists::ListVersion>{l->un_after, l->sdn},
                                            RescreenEngineOptions());
    EXPECT_TRUE(x.ok() && y.ok());
    if (x.ok()) l->before = std::move(x).value();
    if (y.ok()) l->after = std::move(y).value();
    return l;
  }();
  return *l;
}

// A changed UN listing (DiffLists) whose main name screens to itself on
// both versions: the case of a listing that changes after a dismissal.
const lists::EntityChange* ChangedListing() {
  const Lists& l = Bundled();
  for (const lists::EntityChange& c : l.diff.changed) {
    if (c.after.names.empty() || c.before.names.empty()) continue;
    screening::PartyQuery q;
    q.name = c.before.names.front().full;
    q.schema = c.after.schema;
    q.birth_date = c.after.birth_dates.empty() ? "" : c.after.birth_dates.front();
    bool both = true;
    for (const auto* s : {l.before.get(), l.after.get()}) {
      bool found = false;
      for (const auto& h : s->Screen(q).matches)
        found = found || (h.list == c.after.list && h.entity_id == c.after.id);
      both = both && found;
    }
    if (both) return &c;
  }
  return nullptr;
}

struct Step {
  enum Op { kScreen, kDismiss, kGoodGuy, kRescreen } op = kScreen;
  bool after = false;   // kScreen: the 2025-11-20 UN list, else 2025-04-19
  std::string country;  // of the party screened
  // kScreen: what the answer shows for the UN listing ("" = a new item) and
  // for the SDN listing of the same entity ("-" = not checked).
  std::string un_state, sdn_state = "-";
  // kRescreen: the outcome of the UN listing's item.
  store::AlertOutcome outcome = store::AlertOutcome::kRaised;
};
Step Screen(std::string un_state, std::string sdn_state = "-", std::string country = "",
            bool after = false) {
  Step s;
  s.un_state = std::move(un_state);
  s.sdn_state = std::move(sdn_state);
  s.country = std::move(country);
  s.after = after;
  return s;
}
Step Do(Step::Op op) {
  Step s;
  s.op = op;
  return s;
}
Step Rescreen(store::AlertOutcome o, std::string country = "") {
  Step s;
  s.op = Step::kRescreen;
  s.outcome = o;
  s.country = std::move(country);
  return s;
}

struct Case {
  std::string name;
  bool changed_listing;  // the party is the changed UN listing, else KOMID
  std::vector<Step> steps;
  size_t open_items;  // open items holding the UN listing at the end
};

class ReviewQueueTest : public BackendTest {};

TEST_P(ReviewQueueTest, OneItemPerPartyAndEntityAcrossListsAndRuns) {
  const Lists& l = Bundled();
  ASSERT_TRUE(l.before && l.after);
  const lists::EntityChange* changed = ChangedListing();
  ASSERT_NE(changed, nullptr) << "no changed UN listing screens to itself (of "
                              << l.diff.changed.size() << " changed)";
  using O = store::AlertOutcome;
  const std::vector<Case> cases = {
      {"a re-run of the same screening: the UN and SDN items found open",
       false,
       {Screen(""), Screen("open", "open")},
       1},
      {"dismissed: the next screening of the same name shows it as dismissed",
       false,
       {Screen(""), Do(Step::kDismiss), Screen("dismissed", "dismissed"),
        Screen("dismissed", "dismissed")},
       0},
      {"dismissed: holds for the re-screening of the registered counterparty",
       false,
       {Screen("", "-", "KP"), Do(Step::kDismiss), Rescreen(O::kSuppressedDismissed, "KP")},
       0},
      {"dismissed: another country is another party",
       false,
       {Screen(""), Do(Step::kDismiss), Screen("", "", "KP")},
       1},
      {"dismissed: a changed listing reopens it",
       true,
       {Screen(""), Do(Step::kDismiss), Screen("dismissed"), Screen("", "-", "", true)},
       1},
      {"known false positive: shown with the reason, no item for that listing",
       false,
       {Do(Step::kGoodGuy), Screen("known_false_positive"), Rescreen(O::kKnownFalsePositive)},
       0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    store_.reset();
    SetUp();  // a fresh store per case
    screening::PartyQuery q;
    std::string un_id;
    if (c.changed_listing) {
      q.name = changed->before.names.front().full;
      q.schema = changed->after.schema;
      q.birth_date = changed->after.birth_dates.empty() ? "" : changed->after.birth_dates.front();
      un_id = changed->after.id;
    } else {
      q.name = "Korea Mining Development Trading Corporation";
      q.schema = lists::Schema::kOrganization;
      for (const auto& h : l.before->Screen(q).matches) {
        if (h.list == "un_sc" && un_id.empty()) un_id = h.entity_id;
      }
    }
    ASSERT_FALSE(un_id.empty()) << "the UN listing is not found";
    for (const Step& s : c.steps) {
      if (s.op == Step::kDismiss) {
        auto open = store_->Alerts("open");
        ASSERT_TRUE(open.ok());
        bool done = false;
        // Every open item: the UN listing is on one of them, first or attached.
        for (const auto& a : *open) {
          auto d = store_->DecideAlert(a.id, false, "another company, other register", "rev");
          ASSERT_TRUE(d.ok()) << d.error().ToString();
          // An exact asset-freeze hit takes a second reviewer.
          if (store_->GetAlert(a.id)->state == "pending_dismissal") {
            ASSERT_TRUE(
                store_->DecideAlert(a.id, false, "another company, other register", "rev2").ok());
          }
          EXPECT_EQ(store_->GetAlert(a.id)->state, "dismissed");
          done = true;
        }
        ASSERT_TRUE(done) << "no open item to dismiss";
        continue;
      }
      if (s.op == Step::kGoodGuy) {
        auto g = store_->AddGoodGuy({q.name, "un_sc", un_id, "a mining company in Peru"}, "rev");
        ASSERT_TRUE(g.ok()) << g.error().ToString();
        continue;
      }
      const screening::ListScreener& screener = s.after ? *l.after : *l.before;
      screening::PartyQuery query = q;
      query.country = s.country;
      screening::ScreeningResult r = screener.Screen(query);
      if (s.op == Step::kRescreen) {
        // The register's counterparty, as re-screening and assessments raise it.
        auto up = store_->UpsertCounterparty({q.name, {}, s.country, "Organization", "", "[]"});
        ASSERT_TRUE(up.ok());
        auto cp = store_->GetCounterparty(up->id);
        auto items = AlertsFor(*cp, r, ListedEntityHashes(&screener), "rescreen:new_counterparty");
        auto outcomes = store_->AddAlerts(items);
        ASSERT_TRUE(outcomes.ok()) << outcomes.error().ToString();
        bool seen = false;
        for (size_t i = 0; i < items.size(); ++i) {
          if (items[i].list != "un_sc" || items[i].entity_id != un_id) continue;
          EXPECT_EQ(static_cast<int>((*outcomes)[i].first), static_cast<int>(s.outcome));
          seen = true;
        }
        EXPECT_TRUE(seen);
        continue;
      }
      std::vector<ScreenedParty> parties = {{query, &r}};
      auto items = ScreeningReviewItems(parties, &screener);
      auto prior = PriorReviews(*store_, parties, items);
      ASSERT_TRUE(prior.ok()) << prior.error().ToString();
      bool un_seen = false;
      for (size_t i = 0; i < r.matches.size(); ++i) {
        const auto& h = r.matches[i];
        const auto& p = prior->at(0).at(i);
        std::string state = p ? p->state : "";
        if (h.list == "un_sc" && h.entity_id == un_id) {
          un_seen = true;
          EXPECT_EQ(state, s.un_state) << h.name;
          if (state == "dismissed") {
            EXPECT_TRUE(p->decided_by == "rev" || p->decided_by == "rev2") << p->decided_by;
            EXPECT_FALSE(p->decided_at.empty());
            EXPECT_EQ(p->reason, "another company, other register");
          }
          if (state == "known_false_positive") {
            EXPECT_EQ(p->reason, "a mining company in Peru");
            EXPECT_GT(p->good_guy_id, 0);
          }
        }
        if (h.list == "ofac_sdn" && s.sdn_state != "-" &&
            h.name == "KOREA MINING DEVELOPMENT TRADING CORPORATION") {
          EXPECT_EQ(state, s.sdn_state) << h.name;
        }
      }
      EXPECT_TRUE(un_seen);
      auto rec = RecordScreening(*store_, "[]", "[]", screener.ListVersions(), "test", items);
      ASSERT_TRUE(rec.ok()) << rec.error().ToString();
    }
    auto all_open = store_->Alerts("open");
    ASSERT_TRUE(all_open.ok());
    std::vector<store::Alert> open;  // the open items that hold the UN listing
    for (const auto& a : *all_open) {
      if ((a.list == "un_sc" && a.entity_id == un_id) ||
          a.also_listed.find("\"" + un_id + "\"") != std::string::npos) {
        open.push_back(a);
      }
    }
    EXPECT_EQ(open.size(), c.open_items);
    if (c.changed_listing && !open.empty()) {
      // The reopened item names the dismissed one.
      EXPECT_TRUE(open.back().details.find("\"reopens\"") != std::string::npos)
          << open.back().details;
    }
    EXPECT_TRUE(store_->Verify()->ok());
  }
}

// The same entity on two lists under one identity: the UN reference number
// of a real UN listing, as EU and UK records carry it.
TEST_P(ReviewQueueTest, UnReferenceNumbersJoinListingsAcrossLists) {
  const Lists& l = Bundled();
  ASSERT_TRUE(l.after);
  screening::PartyQuery q;
  q.name = "Korea Mining Development Trading Corporation";
  q.schema = lists::Schema::kOrganization;
  screening::ScreeningResult r = l.after->Screen(q);
  std::vector<ScreenedParty> parties = {{q, &r}};
  auto items = ScreeningReviewItems(parties, l.after.get());
  const store::AlertInput* un = nullptr;
  for (const auto& a : items) {
    if (a.list == "un_sc") un = &a;
  }
  ASSERT_NE(un, nullptr);
  EXPECT_EQ(un->entity_key, "un_reference:KPE.001");
  EXPECT_EQ(un->entity_hash.size(), 64u);
  EXPECT_EQ(un->party_name, q.name);
  // A listing on another list with the same reference number and another
  // spelling: attached to the UN item, not a second item.
  store::AlertInput other = *un;
  other.list = "eu_fsf";
  other.entity_id = "EU.1234.56";
  other.entity_name = "KOMID";
  auto first = store_->AddAlert(*un);
  auto second = store_->AddAlert(other);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(second->first, store::AlertOutcome::kAttached);
  EXPECT_EQ(second->second, first->second);
  auto item = store_->GetAlert(first->second);
  ASSERT_TRUE(item.ok());
  EXPECT_NE(item->also_listed.find("EU.1234.56"), std::string::npos);
}

DUALUSE_INSTANTIATE_BACKENDS(ReviewQueueTest);

}  // namespace
}  // namespace dualuse::service
