// Table-driven tests of the rules, one table per rule, both regimes, date
// boundaries (2021-09-08/09, 2022-02-25/26, 2022-03-01/02, 2021-01-01).
// Each row: a patch to the base request (test_util.h), the verdict, and a
// finding that must be present (basis substring and effect).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rules/test_util.h"

namespace dualuse::rules {
namespace {

using testing::Assess;
using testing::FindFinding;

struct Row {
  const char* name;
  const char* patch;
  Effect verdict;
  const char* basis;  // a finding whose basis contains this; nullptr = none required
  Effect effect;
  bool review = false;
};

void RunTable(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    Determination d = Assess(row.patch);
    EXPECT_EQ(EffectName(d.verdict), std::string(EffectName(row.verdict))) << row.name << "\n"
                                                                           << testing::Describe(d);
    if (row.basis) {
      EXPECT_TRUE(FindFinding(d, row.basis, row.effect))
          << row.name << ": no " << EffectName(row.effect) << " finding citing " << row.basis
          << "\n"
          << testing::Describe(d);
    }
    EXPECT_EQ(d.review_required, row.review) << row.name << "\n" << testing::Describe(d);
  }
}

TEST(RulesTest, R0RestrictiveMeasures) {
  RunTable({
      {"Russia before the 2022 extension: Art 2 concerned military end-use",
       R"({"destination": "RU", "date": "2022-02-25", "parties": [{"country": "RU"}]})",
       Effect::kLicenceRequired, "833/2014, Article 2", Effect::kInformation},
      {"Russia, military end-use before 2022-02-26",
       R"({"destination": "RU", "date": "2022-02-25", "parties": [{"country": "RU"}],
           "knowledge": {"aware": ["military_end_use"]}})",
       Effect::kProhibited, "833/2014, Article 2", Effect::kProhibited},
      {"Russia from 2022-02-26: all Annex I items",
       R"({"destination": "RU", "date": "2022-02-26", "parties": [{"country": "RU"}]})",
       Effect::kProhibited, "833/2014, Article 2", Effect::kProhibited},
      {"Belarus before the general ban: an encryption item for a civil end-user",
       R"({"destination": "BY", "date": "2022-03-01",
           "items": [{"control_entries": ["5A002.a"], "cyber_surveillance": false}]})",
       Effect::kLicenceRequired, "765/2006", Effect::kRedFlag, true},
      {"Belarus from June 2021: monitoring equipment prohibited (act cited, article unread)",
       R"({"destination": "BY", "date": "2021-07-15"})", Effect::kProhibited,
       "Council Regulation (EC) No 765/2006", Effect::kProhibited, true},
      {"Belarus from 2022-03-02", R"({"destination": "BY", "date": "2022-03-02"})",
       Effect::kProhibited, "765/2006, Article 1e", Effect::kProhibited, true},
      {"Iran between Implementation Day and the 2025 re-imposition: monitoring equipment under "
       "359/2011",
       R"({"destination": "IR", "date": "2024-06-01"})", Effect::kLicenceRequired, "359/2011",
       Effect::kLicenceRequired, true},
      {"Iran from 2025-09-30: Annex I items prohibited again (267/2012 Art 2(1))",
       R"({"destination": "IR", "date": "2025-09-30"})", Effect::kProhibited,
       "267/2012, Article 2(1)", Effect::kProhibited, true},
      {"Syria: monitoring equipment under 36/2012", R"({"destination": "SY"})",
       Effect::kLicenceRequired, "36/2012", Effect::kLicenceRequired, true},
      {"Venezuela: non-listed cyber item may be in the annex",
       R"({"destination": "VE", "items": [{"control_entries": []}]})", Effect::kNoLicenceRequired,
       "2017/2063", Effect::kRedFlag, true},
      {"Myanmar monitoring rule not yet in force in 2017",
       R"({"destination": "MM", "date": "2017-06-01", "items": [{"control_entries": []}]})",
       Effect::kNoLicenceRequired, nullptr, Effect::kInformation, false},
      {"transfers within the Union are not caught by R0",
       R"({"destination": "DE", "activity": "transfer"})", Effect::kNoLicenceRequired, nullptr,
       Effect::kInformation},
  });
}

// Every restrictive-measure finding cites the act, article, paragraph and
// point recorded in restrictive-measures.json, for every measure and every
// activity it lists, on the first day of its period.
TEST(RulesTest, R0EveryMeasureFindingCitesItsParagraph) {
  int checked = 0;
  for (const law::RestrictiveMeasure& m : testing::TheEngine().law().restrictive_measures()) {
    if (m.scope == law::MeasureScope::kNone) continue;
    // The first day of the period the engine can assess (regimes start 2009-08-27).
    Date day = std::max(m.period.from, testing::TheEngine().law().regimes().front().period.from);
    for (const std::string& activity : m.activities) {
      nlohmann::json patch = {
          {"destination", m.country},
          {"date", day.ToString()},
          {"activity", activity},
          {"parties",
           {{{"country", m.country}, {"sector", "military"}, {"name", "Example End User"}}}}};
      if (activity == "brokering") patch["origin"] = "CN";
      // 5A001.f exists on every date the engine assesses; own annexes reach
      // items outside Annex I.
      patch["items"] = {{{"control_entries", m.scope == law::MeasureScope::kOwnAnnex
                                                 ? nlohmann::json::array()
                                                 : nlohmann::json::array({"5A001.f"})}}};
      Determination d = Assess(patch.dump());
      const Finding* f = nullptr;
      for (const Finding& x : d.findings) {
        if (x.rule == "rm/" + m.id) f = &x;
      }
      ASSERT_NE(f, nullptr) << m.id << " / " << activity << "\n" << testing::Describe(d);
      std::string want = m.article.empty()
                             ? m.act
                             : m.act + ", Article " + m.article +
                                   (m.paragraph.empty() ? "" : "(" + m.paragraph + ")") +
                                   (m.point.empty() ? "" : "(" + m.point + ")");
      EXPECT_EQ(f->basis, want) << m.id << " / " << activity;
      EXPECT_EQ(f->basis, m.Citation());
      EXPECT_NE(f->summary.find("the destination " + m.country), std::string::npos)
          << m.id << ": the finding must say which country triggered it";
      if (!m.unsettled.empty()) {
        EXPECT_TRUE(d.review_required) << m.id << ": an unsettled measure must ask for review";
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(RulesTest, R0MeasuresApplyToEveryNamedCountry) {
  RunTable({
      {"Russian end-user behind a consignee in Kazakhstan",
       R"({"destination": "KZ", "date": "2023-05-01",
           "parties": [{"role": "consignee", "name": "K", "country": "KZ"},
                       {"role": "end_user", "name": "Primer OOO", "country": "RU"}]})",
       Effect::kProhibited, "833/2014, Article 2(1)", Effect::kProhibited},
      {"declared country of end use",
       R"({"destination": "KZ", "date": "2023-05-01", "parties": [{"country": "KZ"}],
           "end_use": {"country": "RU"}})",
       Effect::kProhibited, "833/2014, Article 2(1)", Effect::kProhibited},
      {"purchaser in Belarus, goods to Armenia",
       R"({"destination": "AM", "date": "2023-05-01",
           "parties": [{"role": "purchaser", "name": "P", "country": "BY"}]})",
       Effect::kProhibited, "765/2006, Article 1e(1)", Effect::kProhibited, true},
      {"a broker in Russia is not a destination",
       R"({"destination": "KZ", "date": "2023-05-01",
           "parties": [{"country": "KZ"}, {"role": "broker", "name": "B", "country": "RU"}]})",
       Effect::kLicenceRequired, "2021/821, Article 3(1)", Effect::kLicenceRequired},
      {"Art 4(1)(b): purchasing country under an arms embargo",
       R"({"destination": "AE", "date": "2023-05-01",
           "items": [{"control_entries": [], "cyber_surveillance": false}],
           "parties": [{"role": "purchaser", "name": "P", "country": "MM"}],
           "knowledge": {"informed": ["military_end_use"]}})",
       Effect::kLicenceRequired, "2021/821, Article 4(1)(b)", Effect::kLicenceRequired, true},
  });
  Determination d = Assess(R"({"destination": "KZ", "date": "2023-05-01",
      "parties": [{"role": "consignee", "name": "K", "country": "KZ"},
                  {"role": "end_user", "name": "Primer OOO", "country": "RU"}]})");
  const Finding* f = FindFinding(d, "833/2014, Article 2(1)", Effect::kProhibited);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->party.has_value());
  EXPECT_EQ(*f->party, 1);
  EXPECT_NE(f->summary.find("end_user Primer OOO (RU)"), std::string::npos) << f->summary;
}

TEST(RulesTest, CustomsTerritoryAndAnnexIDates) {
  RunTable({
      {"Monaco is inside the customs territory", R"({"destination": "MC", "date": "2023-05-01"})",
       Effect::kNoLicenceRequired, "952/2013, Article 4(2)(a)", Effect::kInformation},
      {"Greenland is outside", R"({"destination": "GL", "date": "2023-05-01"})",
       Effect::kLicenceRequired, "2021/821, Article 3(1)", Effect::kLicenceRequired},
      {"5A001.j did not exist on 2014-12-30", R"({"date": "2014-12-30"})",
       Effect::kNoLicenceRequired, "1382/2014", Effect::kInformation, true},
      {"5A001.j from 2014-12-31", R"({"date": "2014-12-31"})", Effect::kLicenceRequired,
       "428/2009, Article 3(1)", Effect::kLicenceRequired},
      {"undated entry before the recorded text", R"({"date": "2019-06-01",
           "items": [{"control_entries": ["5A002.a"], "cyber_surveillance": false}]})",
       Effect::kLicenceRequired, "428/2009, Article 3(1)", Effect::kLicenceRequired, true},
      {"7A117 transfer needs an authorisation (Annex IV)",
       R"({"destination": "DE", "activity": "transfer", "date": "2023-05-01",
           "items": [{"control_entries": ["7A117"], "cyber_surveillance": false}],
           "parties": [{"country": "DE"}]})",
       Effect::kLicenceRequired, "2021/821, Article 11(1)", Effect::kLicenceRequired},
  });
  for (auto [date, title] : {std::pair{"2019-07-18", "Ontwikkelingssamenwerking"},
                             std::pair{"2025-01-10", "Ontwikkelingshulp"}}) {
    Determination d = Assess(std::string(R"({"date": ")") + date + R"("})");
    EXPECT_NE(d.competent_authority.find(title), std::string::npos)
        << date << ": " << d.competent_authority;
  }
}

// A general authorisation whose items, destinations or evaluated conditions
// stand at level K is offered, but never decides silently: review.
// EU007's items stand at K: the exclusion of software and technology
// "related to" 4A005, 5A001.f and 5A001.j cannot be drawn by entry.
TEST(RulesTest, R9GeneralAuthorisationOnUnverifiedDataAsksForReview) {
  Determination d = Assess(R"({"destination": "IN", "date": "2023-05-01",
      "export_circumstances": ["intra_group"],
      "items": [{"kind": "technology", "control_entries": ["4E001.a"]}],
      "parties": [{"country": "IN"}]})");
  bool eu007 = false;
  for (const GeneralAuthorisationResult& a : d.authorisations) {
    eu007 = eu007 || (a.id == "EU007" && a.applicable);
  }
  ASSERT_TRUE(eu007) << testing::Describe(d);
  EXPECT_TRUE(d.review_required);
  bool reason = false;
  for (const std::string& r : d.review_reasons) {
    reason = reason || r.find("EU007 is offered on law data not verified") != std::string::npos;
  }
  EXPECT_TRUE(reason) << testing::Describe(d);
  // EU001 to Japan rests on verified items and destinations: no such review.
  Determination jp = Assess(R"({"destination": "JP", "date": "2023-05-01",
      "items": [{"control_entries": ["5A002.a"], "cyber_surveillance": false}],
      "parties": [{"country": "JP"}]})");
  EXPECT_EQ(EffectName(jp.verdict), std::string("general_authorisation"));
  EXPECT_FALSE(jp.review_required) << testing::Describe(jp);
}

TEST(RulesTest, R1ListedItems) {
  RunTable({
      {"listed to China", R"({})", Effect::kLicenceRequired, "2021/821, Article 3(1)",
       Effect::kLicenceRequired},
      {"listed to China under 428/2009", R"({"date": "2021-09-08"})", Effect::kLicenceRequired,
       "428/2009, Article 3(1)", Effect::kLicenceRequired},
      {"not listed", R"({"items": [{"control_entries": [], "cyber_surveillance": false}]})",
       Effect::kNoLicenceRequired, nullptr, Effect::kInformation},
      {"unclassified", R"({"items": [{"control_entries": null, "cyber_surveillance": false}]})",
       Effect::kNeedsClassification, "Article 3(1)", Effect::kNeedsClassification, true},
      {"software transmission of a listed item",
       R"({"activity": "transmission", "items": [{"kind": "software", "control_entries": ["5D001.e"]}]})",
       Effect::kLicenceRequired, "Article 3(1)", Effect::kLicenceRequired},
  });
}

constexpr const char* kValves =
    R"("items": [{"description": "valves", "control_entries": [], "cyber_surveillance": false}],
       "parties": [{"sector": "private"}])";

std::string Valves(const std::string& rest) {
  return "{" + std::string(kValves) + ", " + rest + "}";
}

TEST(RulesTest, R2GeneralCatchAll) {
  std::string wmd = Valves(R"("destination": "PK", "knowledge": {"informed": ["wmd"]})");
  std::string wmd428 =
      Valves(R"("destination": "PK", "date": "2021-09-08", "knowledge": {"informed": ["wmd"]})");
  std::string mil_mm =
      Valves(R"("destination": "MM", "knowledge": {"informed": ["military_end_use"]})");
  std::string mil_mm_428 = Valves(
      R"("destination": "MM", "date": "2019-07-18", "knowledge": {"informed": ["military_end_use"]})");
  std::string aware_mm =
      Valves(R"("destination": "MM", "knowledge": {"aware": ["military_end_use"]})");
  std::string aware_mm_428 = Valves(
      R"("destination": "MM", "date": "2019-07-18", "knowledge": {"aware": ["military_end_use"]})");
  std::string aware_br =
      Valves(R"("destination": "BR", "knowledge": {"aware": ["military_end_use"]})");
  std::string informed_cn =
      Valves(R"("destination": "CN", "knowledge": {"informed": ["military_end_use"]})");
  std::string ru_2013 = Valves(
      R"("destination": "RU", "date": "2013-06-01", "knowledge": {"informed": ["military_end_use"]})");
  std::string ru_2015 = Valves(
      R"("destination": "RU", "date": "2015-06-01", "knowledge": {"informed": ["military_end_use"]})");
  std::string parts = Valves(
      R"("destination": "BR", "knowledge": {"informed": ["military_parts_illegally_exported"]})");
  std::string suspects = Valves(R"("destination": "PK", "knowledge": {"suspects": ["wmd"]})");
  RunTable({
      {"informed of WMD use", wmd.c_str(), Effect::kLicenceRequired, "2021/821, Article 4(1)(a)",
       Effect::kLicenceRequired},
      {"informed of WMD use under 428/2009", wmd428.c_str(), Effect::kLicenceRequired,
       "428/2009, Article 4(1)", Effect::kLicenceRequired},
      {"informed of military end-use, embargoed destination", mil_mm.c_str(),
       Effect::kLicenceRequired, "2021/821, Article 4(1)(b)", Effect::kLicenceRequired, true},
      {"the same under 428/2009 is Article 4(2)", mil_mm_428.c_str(), Effect::kLicenceRequired,
       "428/2009, Article 4(2)", Effect::kLicenceRequired, true},
      {"aware of military end-use, embargoed destination", aware_mm.c_str(),
       Effect::kNotifyAuthority, "2021/821, Article 4(2)", Effect::kNotifyAuthority, true},
      {"aware under 428/2009 is Article 4(4)", aware_mm_428.c_str(), Effect::kNotifyAuthority,
       "428/2009, Article 4(4)", Effect::kNotifyAuthority, true},
      {"aware of military end-use, no embargo", aware_br.c_str(), Effect::kNoLicenceRequired,
       "Article 4(1)(b)", Effect::kInformation},
      {"China's 1989 declaration does not count", informed_cn.c_str(), Effect::kNoLicenceRequired,
       "Article 4(1)(b)", Effect::kInformation},
      {"Russia before its 2014 arms embargo", ru_2013.c_str(), Effect::kNoLicenceRequired,
       "Article 4(2)", Effect::kInformation},
      {"Russia after its 2014 arms embargo", ru_2015.c_str(), Effect::kLicenceRequired,
       "428/2009, Article 4(2)", Effect::kLicenceRequired},
      {"parts of illegally exported military items", parts.c_str(), Effect::kLicenceRequired,
       "Article 4(1)(c)", Effect::kLicenceRequired},
      {"grounds for suspecting, no national rule recorded", suspects.c_str(),
       Effect::kNoLicenceRequired, "Article 4(3)", Effect::kInformation, true},
  });
}

constexpr const char* kEmotion =
    R"("items": [{"description": "emotion analysis software", "kind": "software",
                  "control_entries": [], "cyber_surveillance": true}],
       "parties": [{"name": "Provincial Public Security Bureau", "sector": "law_enforcement"}])";

std::string Emotion(const std::string& rest) {
  return "{" + std::string(kEmotion) + (rest.empty() ? "" : ", " + rest) + "}";
}

TEST(RulesTest, R3CyberSurveillanceCatchAll) {
  std::string aware = Emotion(R"("knowledge": {"aware": ["internal_repression"]})");
  std::string informed = Emotion(R"("knowledge": {"informed": ["internal_repression"]})");
  std::string hr = Emotion(R"("knowledge": {"aware": ["human_rights"]})");
  std::string before =
      Emotion(R"("date": "2021-09-08", "knowledge": {"aware": ["internal_repression"]})");
  std::string from =
      Emotion(R"("date": "2021-09-09", "knowledge": {"aware": ["internal_repression"]})");
  std::string unknown = R"({"items": [{"control_entries": [], "cyber_surveillance": null}],
                            "knowledge": {"aware": ["internal_repression"]}})";
  std::string not_cyber = R"({"items": [{"control_entries": [], "cyber_surveillance": false}],
                              "knowledge": {"aware": ["internal_repression"]}})";
  std::string listed = R"({"knowledge": {"aware": ["internal_repression"]}})";
  RunTable({
      {"aware: notify", aware.c_str(), Effect::kNotifyAuthority, "2021/821, Article 5(2)",
       Effect::kNotifyAuthority, true},
      {"informed: licence", informed.c_str(), Effect::kLicenceRequired, "2021/821, Article 5(1)",
       Effect::kLicenceRequired, true},
      {"human-rights concern counts too", hr.c_str(), Effect::kNotifyAuthority, "Article 5(2)",
       Effect::kNotifyAuthority, true},
      {"no Art 5 on 2021-09-08 (428/2009)", before.c_str(), Effect::kNoLicenceRequired,
       "428/2009, Article 8(1)", Effect::kInformation, true},
      {"Art 5 from 2021-09-09", from.c_str(), Effect::kNotifyAuthority, "Article 5(2)",
       Effect::kNotifyAuthority, true},
      {"cyber status unknown: red flag", unknown.c_str(), Effect::kNoLicenceRequired,
       "Article 5(2)", Effect::kRedFlag, true},
      {"not a cyber-surveillance item: Art 5 does not apply", not_cyber.c_str(),
       Effect::kNoLicenceRequired, nullptr, Effect::kInformation},
      {"listed items are Art 3 territory", listed.c_str(), Effect::kLicenceRequired, "Article 3(1)",
       Effect::kLicenceRequired},
  });
}

// The Art 5 findings quote the uses of concern from the law data
// (regimes.json, cyber_catch_all_informed.uses), under 2021/821 and in the
// 428/2009 finding that says no such clause exists.
TEST(RulesTest, R3QuotesTheUsesFromTheLawData) {
  auto law = law::LawData::Load(std::string(DUALUSE_SOURCE_DIR) + "/data/law");
  ASSERT_TRUE(law.ok()) << law.status().ToString();
  const law::Regime* r = (*law)->FindRegime("eu-2021-821");
  ASSERT_NE(r, nullptr);
  const std::string& uses = r->provisions.at("cyber_catch_all_informed").uses;
  ASSERT_FALSE(uses.empty());
  struct Case {
    const char* name;
    std::string patch;
    const char* basis;
  };
  const std::vector<Case> cases = {
      {"aware: Art 5(2)", Emotion(R"("knowledge": {"aware": ["internal_repression"]})"),
       "Article 5(2)"},
      {"informed: Art 5(1)", Emotion(R"("knowledge": {"informed": ["human_rights"]})"),
       "Article 5(1)"},
      {"428/2009: no such clause",
       Emotion(R"("date": "2021-09-08", "knowledge": {"aware": ["internal_repression"]})"),
       "428/2009"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Determination d = Assess(c.patch);
    bool quoted = false;
    for (const Finding& f : d.findings)
      quoted |=
          f.basis.find(c.basis) != std::string::npos && f.summary.find(uses) != std::string::npos;
    EXPECT_TRUE(quoted) << testing::Describe(d);
  }
}

TEST(RulesTest, R4NationalMeasures) {
  RunTable({
      {"NL list, exporter in NL",
       R"({"date": "2024-01-10", "items": [{"control_entries": ["NL:3B001.l"], "cyber_surveillance": false}]})",
       Effect::kLicenceRequired, "2021/821, Article 9(1)", Effect::kLicenceRequired},
      {"NL list before it existed",
       R"({"date": "2023-08-31", "items": [{"control_entries": ["NL:3B001.l"], "cyber_surveillance": false}]})",
       Effect::kNoLicenceRequired, "Article 9(1)", Effect::kInformation},
      {"NL list, exporter in DE (not published under Art 9(4))",
       R"({"date": "2024-01-10", "exporter": {"country": "DE"},
           "items": [{"control_entries": ["NL:3B001.l"], "cyber_surveillance": false}]})",
       Effect::kNoLicenceRequired, "Article 9(1)", Effect::kInformation},
  });
}

TEST(RulesTest, R5R6R7Activities) {
  RunTable({
      {"brokering, informed of WMD",
       R"({"activity": "brokering", "origin": "CN", "destination": "PK", "knowledge": {"informed": ["wmd"]}})",
       Effect::kLicenceRequired, "2021/821, Article 6(1)", Effect::kLicenceRequired},
      {"brokering, aware of WMD",
       R"({"activity": "brokering", "origin": "CN", "destination": "PK", "knowledge": {"aware": ["wmd"]}})",
       Effect::kNotifyAuthority, "2021/821, Article 6(2)", Effect::kNotifyAuthority},
      {"brokering under 428/2009",
       R"({"activity": "brokering", "origin": "CN", "destination": "PK", "date": "2020-01-01", "knowledge": {"informed": ["wmd"]}})",
       Effect::kLicenceRequired, "428/2009, Article 5(1)", Effect::kLicenceRequired},
      {"brokering, nothing known",
       R"({"activity": "brokering", "origin": "CN", "destination": "PK"})",
       Effect::kNoLicenceRequired, "Article 6(1)", Effect::kInformation},
      {"transit, informed",
       R"({"activity": "transit", "destination": "PK", "knowledge": {"informed": ["wmd"]}})",
       Effect::kLicenceRequired, "2021/821, Article 7(1)", Effect::kLicenceRequired},
      {"transit, aware",
       R"({"activity": "transit", "destination": "PK", "knowledge": {"aware": ["wmd"]}})",
       Effect::kNoLicenceRequired, "Article 7(1)", Effect::kRedFlag, true},
      {"technical assistance, informed",
       R"({"activity": "technical_assistance", "knowledge": {"informed": ["wmd"]}})",
       Effect::kLicenceRequired, "2021/821, Article 8(1)", Effect::kLicenceRequired},
      {"technical assistance to an EU001 country is exempt",
       R"({"activity": "technical_assistance", "destination": "JP", "knowledge": {"informed": ["wmd"]}})",
       Effect::kNoLicenceRequired, "Article 8(3)", Effect::kInformation},
      {"technical assistance, public domain",
       R"({"activity": "technical_assistance", "export_circumstances": ["public_domain"], "knowledge": {"informed": ["wmd"]}})",
       Effect::kNoLicenceRequired, "Article 8(3)", Effect::kInformation},
      {"technical assistance under 428/2009: no Union rule",
       R"({"activity": "technical_assistance", "date": "2020-01-01", "knowledge": {"informed": ["wmd"]}})",
       Effect::kNoLicenceRequired, "428/2009", Effect::kInformation},
  });
}

TEST(RulesTest, R8IntraEuTransfer) {
  RunTable({
      {"5A001.j is not an Annex IV item", R"({"activity": "transfer", "destination": "DE"})",
       Effect::kNoLicenceRequired, "2021/821, Article 11(1)", Effect::kInformation},
      {"cryptanalytic item is in Annex IV",
       R"({"activity": "transfer", "destination": "DE", "items": [{"control_entries": ["5A004.a"]}]})",
       Effect::kLicenceRequired, "2021/821, Article 11(1)", Effect::kLicenceRequired},
      {"under 428/2009 it is Article 22(1)",
       R"({"activity": "transfer", "destination": "DE", "date": "2020-06-01", "items": [{"control_entries": ["5A004.a"]}]})",
       Effect::kLicenceRequired, "428/2009, Article 22(1)", Effect::kLicenceRequired},
      {"export to a Member State is a transfer", R"({"destination": "FR"})",
       Effect::kNoLicenceRequired, "Article 2(2)", Effect::kInformation},
      {"UK on 2020-12-31: still inside the customs territory (the 428/2009 Annex IV list is K, "
       "so the 'not in Annex IV' answer asks for review)",
       R"({"destination": "GB", "date": "2020-12-31"})", Effect::kNoLicenceRequired,
       "428/2009, Article 22(1)", Effect::kInformation, true},
      {"transfer to a third country is an export",
       R"({"activity": "transfer", "destination": "CH"})", Effect::kGeneralAuthorisation,
       "Article 2(2)", Effect::kInformation},
  });
}

TEST(RulesTest, R9GeneralAuthorisations) {
  struct GaRow {
    const char* name;
    const char* patch;
    const char* ga;
    bool applicable;
    Effect verdict;
  } rows[] = {
      {"EU001 to Japan", R"({"destination": "JP"})", "EU001", true, Effect::kGeneralAuthorisation},
      {"EU001 not to China", R"({})", "EU001", false, Effect::kLicenceRequired},
      {"Iceland under 428/2009: not EU001", R"({"destination": "IS", "date": "2021-09-08"})",
       "EU001", false, Effect::kLicenceRequired},
      {"Iceland under 2021/821: EU001", R"({"destination": "IS", "date": "2021-09-09"})", "EU001",
       true, Effect::kGeneralAuthorisation},
      {"UK under 428/2009 from 2021-01-01", R"({"destination": "GB", "date": "2021-01-01"})",
       "EU001", true, Effect::kGeneralAuthorisation},
      {"aware of WMD use bars EU001", R"({"destination": "JP", "knowledge": {"aware": ["wmd"]}})",
       "EU001", false, Effect::kLicenceRequired},
      {"Annex IV items are excluded from EU001",
       R"({"destination": "JP", "items": [{"control_entries": ["5A004.a"]}]})", "EU001", false,
       Effect::kLicenceRequired},
      {"EU005 covers 5A001.c to China",
       R"({"items": [{"control_entries": ["5A001.c"], "cyber_surveillance": false}]})", "EU005",
       true, Effect::kGeneralAuthorisation},
      {"EU007 only with the intra-group circumstance",
       R"({"destination": "IN", "items": [{"kind": "technology", "control_entries": ["4E001.a"]}]})",
       "EU007", false, Effect::kLicenceRequired},
      {"EU007 intra-group technology to India",
       R"({"destination": "IN", "export_circumstances": ["intra_group"],
           "items": [{"kind": "technology", "control_entries": ["4E001.a"]}]})",
       "EU007", true, Effect::kGeneralAuthorisation},
      {"EU007 does not exist under 428/2009",
       R"({"destination": "IN", "date": "2020-01-01", "export_circumstances": ["intra_group"],
           "items": [{"kind": "technology", "control_entries": ["4E001.a"]}]})",
       "EU007", false, Effect::kLicenceRequired},
  };
  for (const GaRow& row : rows) {
    Determination d = Assess(row.patch);
    EXPECT_EQ(EffectName(d.verdict), std::string(EffectName(row.verdict))) << row.name << "\n"
                                                                           << testing::Describe(d);
    const GeneralAuthorisationResult* ga = nullptr;
    for (const auto& a : d.authorisations) {
      if (a.id == row.ga) ga = &a;
    }
    if (row.applicable) {
      ASSERT_TRUE(ga) << row.name;
      EXPECT_TRUE(ga->applicable) << row.name << ": " << ga->reason;
    } else if (ga) {
      EXPECT_FALSE(ga->applicable) << row.name << ": " << ga->reason;
    }
    EXPECT_EQ(d.licence_required, row.verdict == Effect::kLicenceRequired) << row.name;
  }
}

TEST(RulesTest, RedFlags) {
  std::string seed2019 =
      Emotion(R"("date": "2019-07-18", "knowledge": {"aware": ["internal_repression"]})");
  RunTable({
      {"security end-user for a cyber-surveillance item (2019)", seed2019.c_str(),
       Effect::kNoLicenceRequired, "428/2009", Effect::kRedFlag, true},
      {"human-rights restrictive measures on the destination",
       R"({"destination": "VE", "items": [{"control_entries": [], "cyber_surveillance": false}]})",
       Effect::kNoLicenceRequired, "2017/2063", Effect::kRedFlag, true},
      {"no flags for a clean case",
       R"({"destination": "BR", "items": [{"control_entries": [], "cyber_surveillance": false}]})",
       Effect::kNoLicenceRequired, nullptr, Effect::kInformation, false},
  });
}

TEST(RulesTest, ScreeningHookWithoutLists) {
  Determination d = Assess(R"({"destination": "BR", "items": [{"control_entries": []}]})");
  ASSERT_EQ(d.screening.size(), 1u);
  EXPECT_EQ(d.screening[0].status, "not_screened");
  EXPECT_TRUE(FindFinding(d, "asset freeze", Effect::kInformation));
  EXPECT_FALSE(d.review_required);
  bool caveat = false;
  for (const auto& c : d.caveats)
    caveat = caveat || c.find("not screened") != std::string::npos;
  EXPECT_TRUE(caveat);
}

// A fixed list of one listed party: stands in for the screening module's
// PartyScreener so the R0 hook can be tested here without list files.
class OneEntityScreener : public screening::PartyScreener {
 public:
  screening::ScreeningResult Screen(const screening::PartyQuery& q) const override {
    screening::ScreeningResult r;
    if (q.name != "Korea Mining Development Trading Corporation") return r;
    screening::ScreeningHit h;
    h.list = "un_sc";
    h.list_version = "2026-02-27";
    h.entity_id = "KPe.001";
    h.name = q.name;
    h.matched_name = q.name;
    h.score = 1;
    h.match = true;
    h.effect = lists::ListEffect::kAssetFreeze;
    h.jurisdiction = "UN";
    r.status = screening::ScreeningStatus::kHit;
    r.matches.push_back(h);
    return r;
  }
  std::map<std::string, std::string> ListVersions() const override {
    return {{"un_sc", "2026-02-27"}};
  }
};

TEST(RulesTest, ScreeningHitProhibits) {
  OneEntityScreener screener;
  AssessmentRequest r = testing::Request(
      R"({"items": [{"control_entries": [], "cyber_surveillance": false}],
          "parties": [{"name": "Korea Mining Development Trading Corporation"}]})");
  auto d = testing::TheEngine().Assess(r, *Date::Parse("2026-11-28"), &screener);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->verdict, Effect::kProhibited);
  EXPECT_TRUE(d->review_required);
  ASSERT_EQ(d->screening.size(), 1u);
  EXPECT_EQ(d->screening[0].status, "hit");
  EXPECT_EQ(d->data_versions.lists.at("un_sc"), "2026-02-27");
  AssessmentRequest clean = testing::Request(R"({"items": [{"control_entries": []}]})");
  auto c = testing::TheEngine().Assess(clean, *Date::Parse("2026-11-28"), &screener);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->screening[0].status, "clear");
}

TEST(RulesTest, VerdictIsTheMostSevere) {
  // Listed to Russia: Art 3(1) licence and an 833/2014 prohibition: prohibited.
  Determination d = Assess(R"({"destination": "RU", "parties": [{"country": "RU"}]})");
  EXPECT_EQ(d.verdict, Effect::kProhibited);
  EXPECT_TRUE(FindFinding(d, "Article 3(1)", Effect::kLicenceRequired));
  // Unclassified plus listed: the licence wins over needs_classification.
  Determination e =
      Assess(R"({"items": [{"id": "1"}, {"id": "2", "kind": "goods", "control_entries": null}]})");
  EXPECT_EQ(e.verdict, Effect::kLicenceRequired);
  EXPECT_TRUE(e.review_required);
}

TEST(RulesTest, ObligationsFollowTheRegime) {
  Determination now = Assess(R"({})");
  Determination then = Assess(R"({"date": "2020-01-01"})");
  auto has = [](const Determination& d, const char* s) {
    for (const auto& o : d.obligations) {
      if (o.find(s) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(now, "five years")) << testing::Describe(now);
  EXPECT_TRUE(has(now, "Article 27"));
  EXPECT_TRUE(has(then, "three years")) << testing::Describe(then);
  EXPECT_TRUE(has(then, "Article 20"));
  Determination ga = Assess(R"({"destination": "JP"})");
  EXPECT_TRUE(has(ga, "EU001")) << testing::Describe(ga);
  Determination dd = Assess(Emotion(R"("knowledge": {"aware": ["internal_repression"]})"));
  EXPECT_TRUE(has(dd, "due-diligence")) << testing::Describe(dd);
}

TEST(RulesTest, CitationsComeFromTheRegimeInForce) {
  for (const char* date : {"2021-09-08", "2021-09-09"}) {
    Determination d = Assess(std::string(R"({"date": ")") + date + R"("})");
    for (const Finding& f : d.findings) {
      if (f.rule.rfind("eu-", 0) != 0) continue;
      EXPECT_EQ(f.rule.substr(0, d.regime.size()), d.regime) << f.rule;
      EXPECT_NE(f.basis.find(d.regime_act), std::string::npos) << f.basis;
    }
  }
}

TEST(RulesTest, AsOfBeforeAnyRegimeIsAnError) {
  AssessmentRequest r = testing::Request(R"({})");
  auto d = testing::TheEngine().Assess(r, *Date::Parse("2001-01-01"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dualuse::rules
