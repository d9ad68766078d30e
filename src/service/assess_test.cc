// The assessment use case against the real law data, the real UN list and a
// real store (SQLite and PostgreSQL): confirmed matches change the answer,
// records are planned from typed values and written in groups.
#include "dualuse/service/assess.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dualuse/rules/codec.h"
#include "dualuse/screening/engine.h"
#include "dualuse/service/assessment_record.h"
#include "store/store_test_util.h"

namespace dualuse::service {
namespace {

using Json = nlohmann::json;
using store::testing::BackendTest;

const char kUnList[] = DUALUSE_LISTS_DIR "/un_sc/un_consolidated_2026-02-27.xml";

const screening::PartyScreener* UnScreener() {
  static auto* s = [] {
    auto loaded = screening::LoadScreener({kUnList}, "/nonexistent", *Date::Parse("2026-11-28"));
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    return loaded.ok() ? std::move(loaded).value().release() : nullptr;
  }();
  return s;
}

Json Request(const std::string& reference, const std::string& party, const std::string& country) {
  return Json{
      {"schema", "dualuse.assessment/1"},
      {"reference", reference},
      {"date", "2026-11-28"},
      {"activity", "export"},
      {"exporter", {{"name", "Example B.V."}, {"country", "NL"}, {"has_icp", true}}},
      {"destination", "CN"},
      {"items",
       {{{"id", "1"},
         {"kind", "goods"},
         {"description", "machine tool"},
         {"control_entries", Json::array()}}}},
      {"parties",
       {{{"role", "consignee"}, {"name", party}, {"country", country}, {"type", "organization"}}}},
      {"knowledge", {{"informed", Json::array()}, {"aware", Json::array()}}}};
}

TEST(ConfirmedListingEffectTest, FollowsTheLawDataAndSpecSection3) {
  auto service = AssessService::Create(nullptr, {});
  ASSERT_TRUE(service.ok()) << service.error().ToString();
  const law::LawData& law = (*service)->engine().law();
  struct Case {
    const char* list;
    const char* effect;
    const char* jurisdiction;
    rules::Effect want;
  } cases[] = {
      {"un_sc", "asset_freeze", "UN", rules::Effect::kProhibited},
      {"eu_fsf", "asset_freeze", "EU", rules::Effect::kProhibited},
      // A list the law data names decides by its entry, whatever the alert says.
      {"un_sc", "", "", rules::Effect::kProhibited},
      // Not in the law data: an EU or UN asset freeze, else review.
      {"gb_hmt", "asset_freeze", "UK", rules::Effect::kRedFlag},
      {"ofac_sdn", "blocking", "US", rules::Effect::kRedFlag},
      {"us_csl", "licence_requirement", "US", rules::Effect::kRedFlag},
      {"other_un", "asset_freeze", "UN", rules::Effect::kProhibited},
  };
  for (const Case& c : cases) {
    store::ConfirmedMatch m;
    m.list = c.list;
    m.effect = c.effect;
    m.jurisdiction = c.jurisdiction;
    EXPECT_EQ(ConfirmedListingEffect(law, m), c.want) << c.list << " " << c.effect;
  }
}

class AssessServiceTest : public BackendTest {};

// A reviewer confirms that a misspelt consignee is the UN-listed KOMID; the
// next assessment of that counterparty cites the confirmed listing and is
// prohibited.
TEST_P(AssessServiceTest, ConfirmedMatchMakesTheNextAnswerCiteTheListing) {
  ASSERT_NE(UnScreener(), nullptr);
  auto service = AssessService::Create(UnScreener(), {});
  ASSERT_TRUE(service.ok()) << service.error().ToString();
  const Json req = Request("PO-KOMID-1", "Korea Mining Developement Trading Corp", "KP");
  auto prepared = (*service)->Prepare(req, "request", store_.get());
  ASSERT_TRUE(prepared.ok()) << prepared.error().ToString();
  auto first = (*service)->Decide(*prepared, store_.get());
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->screening.size(), 1u);
  ASSERT_NE(first->screening[0].status, "clear");
  for (const auto& f : first->findings)
    EXPECT_NE(f.rule, "review/confirmed-match");
  auto recorded = RecordAssessment(*store_, prepared->request, *first, "officer");
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_GT(recorded->alerts_raised, 0);
  ASSERT_EQ(recorded->counterparty_ids.size(), 1u);

  auto open = store_->Alerts("open");
  ASSERT_TRUE(open.ok());
  int64_t komid = 0;
  for (const auto& a : *open) {
    if (a.list == "un_sc" && a.entity_name == "KOREA MINING DEVELOPMENT TRADING CORPORATION") {
      komid = a.id;
      EXPECT_EQ(a.counterparty_id, recorded->counterparty_ids[0]);
      EXPECT_EQ(a.effect, "asset_freeze");
      EXPECT_EQ(a.jurisdiction, "UN");
    }
  }
  ASSERT_NE(komid, 0) << "no review item for the KOMID listing";
  ASSERT_TRUE(store_->DecideAlert(komid, true, "same address in Pyongyang", "reviewer").ok());

  auto again = (*service)->Assess(req, "request", store_.get());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->verdict, rules::Effect::kProhibited);
  EXPECT_TRUE(again->review_required);
  bool cited = false;
  for (const auto& f : again->findings) {
    if (f.rule != "review/confirmed-match") continue;
    cited = true;
    EXPECT_NE(f.basis.find("un_sc"), std::string::npos) << f.basis;
    EXPECT_NE(f.basis.find("review item " + std::to_string(komid)), std::string::npos) << f.basis;
    EXPECT_EQ(f.effect, rules::Effect::kProhibited);
  }
  EXPECT_TRUE(cited);
  // Without the store, no confirmed match is consulted.
  auto without = (*service)->Assess(req, "request", nullptr);
  ASSERT_TRUE(without.ok());
  for (const auto& f : without->findings)
    EXPECT_NE(f.rule, "review/confirmed-match");
}

// Plans from typed values: parties, review items, and one item for a
// determination that needs review but raised none.
TEST_P(AssessServiceTest, PlansRecordsFromTypedValues) {
  auto service = AssessService::Create(nullptr, {});
  ASSERT_TRUE(service.ok());
  struct Case {
    const char* name;
    Json request;
    size_t parties;
  } cases[] = {
      {"clean, not screened", Request("PO-1", "Exemplo Ltda", "BR"), 1},
      {"no parties",
       [] {
         Json r = Request("PO-2", "x", "BR");
         r["parties"] = Json::array();
         return r;
       }(),
       0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto p = (*service)->Prepare(c.request, "request", nullptr);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    auto d = (*service)->Decide(*p, nullptr);
    ASSERT_TRUE(d.ok());
    auto plan = PlanAssessmentRecord(p->request, *d, "{}", rules::ToJsonString(*d), "me");
    EXPECT_EQ(plan.parties.size(), c.parties);
    EXPECT_EQ(plan.record.subject, c.request["reference"]);
    EXPECT_EQ(plan.record.law_version, d->data_versions.law);
    if (d->review_required) {
      EXPECT_FALSE(plan.alerts.empty());
    }
    size_t red_flags = 0;
    for (const auto& f : d->findings)
      red_flags += f.effect == rules::Effect::kRedFlag ? 1 : 0;
    EXPECT_GE(plan.alerts.size(), red_flags);
  }
}

// Groups of records: one chain, in order, counterparties registered once per
// key, raised counts from the append (a second identical group raises none).
TEST_P(AssessServiceTest, RecorderWritesGroupsWithTheChainIntact) {
  ASSERT_NE(UnScreener(), nullptr);
  auto service = AssessService::Create(UnScreener(), {});
  ASSERT_TRUE(service.ok());
  const std::vector<std::pair<std::string, std::string>> parties = {
      {"Korea Mining Developement Trading Corp", "KP"}, {"Exemplo Ltda", "BR"}};
  for (int round = 0; round < 2; ++round) {
    AssessmentRecorder recorder(*store_);
    std::vector<int> red_flags;  // per request: each is the request's own review item
    for (int i = 0; i < 300; ++i) {
      const auto& [name, country] = parties[static_cast<size_t>(i) % parties.size()];
      auto p = (*service)->Prepare(Request("PO-" + std::to_string(i), name, country), "r", nullptr);
      ASSERT_TRUE(p.ok()) << p.error().ToString();
      auto d = (*service)->Decide(*p, nullptr);
      ASSERT_TRUE(d.ok());
      int flags = 0;
      for (const auto& f : d->findings)
        flags += f.effect == rules::Effect::kRedFlag ? 1 : 0;
      red_flags.push_back(flags);
      recorder.Add(PlanAssessmentRecord(p->request, *d, rules::ToJson(p->request).dump(),
                                        rules::ToJsonString(*d), "batch"));
    }
    auto written = recorder.Flush();
    ASSERT_TRUE(written.ok()) << written.error().ToString();
    ASSERT_EQ(written->size(), 300u);
    int raised = 0;
    for (size_t i = 0; i < written->size(); ++i) {
      EXPECT_EQ((*written)[i].record.subject, "PO-" + std::to_string(i));
      if (i > 0) {
        EXPECT_EQ((*written)[i].record.id, (*written)[i - 1].record.id + 1);
      }
      raised += (*written)[i].alerts_raised;
    }
    // The same listing for the same counterparty is raised once: in the
    // first round by the first KOMID request only (later ones raise only
    // their own red flags), never in the second, which re-runs the same
    // assessments.
    if (round == 0) {
      EXPECT_GT(raised, 0);
      EXPECT_EQ((*written)[2].alerts_raised, red_flags[2]);
    } else {
      EXPECT_EQ(raised, 0);
    }
    EXPECT_EQ(recorder.pending(), 0u);
  }
  EXPECT_EQ(*store_->CounterpartyCount(), 2);
  EXPECT_EQ(*store_->RecordCount(), 600);
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

DUALUSE_INSTANTIATE_BACKENDS(AssessServiceTest);

}  // namespace
}  // namespace dualuse::service
