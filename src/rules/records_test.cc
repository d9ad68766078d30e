// RuleRecords (rules_records.cc): the records a request rests on are cited
// with the provision the law data gives for them, and the citations survive
// the codec (request round trip, fast writer = slow twin).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rules/test_util.h"

namespace dualuse::rules {
namespace {

const Finding* FindRule(const Determination& d, std::string_view rule) {
  for (const Finding& f : d.findings) {
    if (f.rule == rule) return &f;
  }
  return nullptr;
}

// A classification citation as classify::ApplyClassificationRecord writes it.
std::string WithRecord(const std::string& outcome, const std::string& entries,
                       const std::string& date = "2026-11-28") {
  return R"({"date": ")" + date + R"(", "items": [{"control_entries": )" + entries +
         R"(, "classification_records": [{"id": "CR-0123456789abcdef", "tree": "5A001.j",
         "tree_version": "2026-11-28.1", "outcome": ")" +
         outcome + R"(", "entries": )" + entries + R"(,
         "cyber_surveillance": null, "who": "A. B.", "when": "2026-11-27T08:00:00Z",
         "annex_version": "annex-x", "record_sha256": "aa11"}]}]})";
}

std::string WithDueDiligence(const std::string& conclusion, const std::string& concerns,
                             const std::string& date = "2026-11-28") {
  return R"({"date": ")" + date +
         R"(", "items": [{"control_entries": [], "cyber_surveillance": true}],
         "due_diligence": {"reference": "T", "conclusion": ")" +
         conclusion + R"(", "concerns": )" + concerns +
         R"(, "date": "2026-11-27", "prepared_by": "C. D.", "record_sha256": "bb22",
         "record": {"schema": "dualuse.due-diligence/1", "reference": "T"}}})";
}

struct Case {
  const char* name;
  std::string patch;
  const char* rule;
  std::string basis;  // as the law data cites it
  std::vector<std::string> in_summary;
};

TEST(RecordsRule, CitesEachRecordWithTheProvisionFromTheLawData) {
  const std::string act = "Regulation (EU) 2021/821, Article ";
  std::vector<Case> cases = {
      {"listed",
       WithRecord("listed", R"(["5A001.j"])"),
       kClassificationRecordRule,
       act + "3(1)",
       {"CR-0123456789abcdef", "tree 5A001.j", "version 2026-11-28.1", "outcome listed",
        "entries 5A001.j", "A. B.", "2026-11-27T08:00:00Z", "SHA-256 aa11"}},
      {"not listed",
       WithRecord("not_listed", "[]"),
       kClassificationRecordRule,
       act + "3(2)",
       {"outcome not_listed"}},
      {"aware",
       WithDueDiligence("aware", R"(["internal_repression"])"),
       kDueDiligenceRecordRule,
       act + "5(2)",
       {"conclusion aware (internal_repression)", "C. D.", "SHA-256 bb22"}},
      {"not aware",
       WithDueDiligence("not_aware", "[]"),
       kDueDiligenceRecordRule,
       act + "5(2)",
       {"conclusion not_aware"}},
      {"suspect",
       WithDueDiligence("suspect", R"(["human_rights"])"),
       kDueDiligenceRecordRule,
       act + "5(3)",
       {"conclusion suspect"}},
      {"aware of a WMD use",
       WithDueDiligence("aware", R"(["wmd"])"),
       kDueDiligenceRecordRule,
       act + "4(2)",
       {"conclusion aware (wmd)"}},
      // Under 428/2009 (no Article 5), the due diligence falls back to Article 3(2).
      {"428/2009",
       WithDueDiligence("aware", R"(["internal_repression"])", "2020-06-01"),
       kDueDiligenceRecordRule,
       "Council Regulation (EC) No 428/2009, Article 3(2)",
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Determination d = testing::Assess(c.patch);
    const Finding* f = FindRule(d, c.rule);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->effect, Effect::kInformation);
    EXPECT_EQ(f->basis, c.basis);
    ASSERT_TRUE(f->record.has_value());
    EXPECT_EQ(f->record->sha256,
              c.rule == std::string(kClassificationRecordRule) ? "aa11" : "bb22");
    for (const std::string& s : c.in_summary)
      EXPECT_NE(f->summary.find(s), std::string::npos) << s << " in " << f->summary;
  }
}

TEST(RecordsRule, NoRecordsNoCitation) {
  Determination d = testing::Assess("{}");
  EXPECT_EQ(FindRule(d, kClassificationRecordRule), nullptr);
  EXPECT_EQ(FindRule(d, kDueDiligenceRecordRule), nullptr);
}

TEST(RecordsRule, AwareDueDiligenceOnANonListedCyberItemNotifies) {
  // The knowledge the record established, as classify::ApplyDueDiligence merges it.
  std::string patch = WithDueDiligence("aware", R"(["internal_repression"])");
  patch.back() = ',';
  patch += R"("knowledge": {"aware": ["internal_repression"]}})";
  Determination d = testing::Assess(patch);
  EXPECT_EQ(d.verdict, Effect::kNotifyAuthority);
  const Finding* art52 = FindRule(d, "eu-2021-821/art-5-2");
  ASSERT_NE(art52, nullptr);
  EXPECT_EQ(art52->effect, Effect::kNotifyAuthority);
}

TEST(RecordsRule, CitationsSurviveTheCodec) {
  for (const std::string& patch :
       {WithRecord("listed", R"(["5A001.j"])"), WithDueDiligence("aware", R"(["wmd"])")}) {
    nlohmann::json j = testing::BaseRequest();
    testing::Merge(j, nlohmann::json::parse(patch));
    auto a = ParseRequest(j, "a");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto b = ParseRequest(nlohmann::json::parse(ToJson(*a).dump()), "b");
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(ToJson(*a).dump(), ToJson(*b).dump());
    auto assessed = testing::TheEngine().Assess(*b, Engine::EffectiveDate(*b, std::nullopt));
    ASSERT_TRUE(assessed.ok());
    Determination d = *assessed;
    d.notification = R"({"schema": "dualuse.notification/1", "record": {"x": 1}})";
    auto slow = nlohmann::json::parse(ToJson(d).dump());
    EXPECT_EQ(nlohmann::json::parse(ToJsonString(d)), slow);
    EXPECT_EQ(slow["notification"]["record"]["x"], 1);
    d.notification.clear();  // the fast writer proper
    EXPECT_EQ(nlohmann::json::parse(ToJsonString(d)), nlohmann::json::parse(ToJson(d).dump()));
  }
}

TEST(RecordsRule, MalformedCitationsNameThePlace) {
  struct Bad {
    const char* patch;
    const char* expect;
  };
  for (const Bad& c : {
           Bad{R"({"items": [{"classification_records": "CR-1"}]})",
               "t: $.items[0].classification_records: expected an array"},
           Bad{R"({"items": [{"classification_records": [{"tree": "x"}]}]})",
               "t: $.items[0].classification_records[0].id: missing"},
           Bad{R"({"due_diligence": {"conclusion": "sure", "record_sha256": "x"}})",
               "t: $.due_diligence.conclusion: expected one of aware, suspect, not_aware"},
       }) {
    nlohmann::json j = testing::BaseRequest();
    testing::Merge(j, nlohmann::json::parse(c.patch));
    auto r = ParseRequest(j, "t");
    ASSERT_FALSE(r.ok()) << c.patch;
    EXPECT_EQ(r.status().message().rfind(c.expect, 0), 0u) << r.status().message();
  }
}

}  // namespace
}  // namespace dualuse::rules
