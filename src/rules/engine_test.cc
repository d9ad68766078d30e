// Engine-level properties: thread safety, the law-data code check, and the
// seed case of parliamentary questions no. 3894 under both regimes.
#include "dualuse/rules/engine.h"

#include <gtest/gtest.h>

#include <thread>

#include "dualuse/base/clock.h"
#include "rules/test_util.h"

namespace dualuse::rules {
namespace {

TEST(EngineTest, SeedCaseAcrossTheRegimeChange) {
  std::string patch = R"({"items": [{"description": "emotion analysis software",
      "kind": "software", "control_entries": [], "cyber_surveillance": true}],
      "parties": [{"name": "Institute of the Ministry of Public Security",
                   "sector": "government_security"}],
      "knowledge": {"aware": ["internal_repression"]}})";
  AssessmentRequest r = testing::Request(patch);
  const Engine& e = testing::TheEngine();
  auto then = e.Assess(r, *Date::Parse("2019-07-18"));
  auto now = e.Assess(r, *Date::Parse("2026-11-28"));
  ASSERT_TRUE(then.ok() && now.ok());
  EXPECT_EQ(then->regime, "eu-428-2009");
  EXPECT_EQ(then->verdict, Effect::kNoLicenceRequired);
  EXPECT_TRUE(then->review_required);
  EXPECT_EQ(now->regime, "eu-2021-821");
  EXPECT_EQ(now->verdict, Effect::kNotifyAuthority);
  EXPECT_TRUE(testing::FindFinding(*now, "2021/821, Article 5(2)", Effect::kNotifyAuthority));
}

// A request without a date is assessed under the law of today, and today is
// the product's clock: fixed before 9 September 2021, when Regulation (EU)
// 2021/821 replaced Regulation (EC) No 428/2009 (data/law), the old regime applies.
TEST(EngineTest, TodayIsTheFixedClock) {
  struct Case {
    const char* now;
    const char* as_of;
    const char* regime;
  };
  const Case cases[] = {
      {"2021-09-08T23:59:59Z", "2021-09-08", "eu-428-2009"},
      {"2021-09-09T00:00:00Z", "2021-09-09", "eu-2021-821"},
      {"2026-12-07T12:00:00.250Z", "2026-12-07", "eu-2021-821"},
  };
  for (const Case& c : cases) {
    ScopedFixedClock fixed(c.now);
    Determination d = testing::Assess(R"({"date": null})");
    EXPECT_EQ(d.as_of.ToString(), c.as_of) << c.now;
    EXPECT_EQ(d.regime, c.regime) << c.now;
  }
}

TEST(EngineTest, ConcurrentAssessmentsAgree) {
  AssessmentRequest r = testing::Request(R"({"destination": "JP"})");
  const Engine& e = testing::TheEngine();
  std::string expected = ToJsonString(*e.Assess(r, *Date::Parse("2026-11-28")));
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        same[t] += ToJsonString(*e.Assess(r, *Date::Parse("2026-11-28"))) == expected;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  for (int s : same)
    EXPECT_EQ(s, 50);
}

TEST(EngineTest, EffectiveDate) {
  AssessmentRequest r;
  EXPECT_EQ(Engine::EffectiveDate(r, std::nullopt), Date::Today());
  r.date = *Date::Parse("2019-07-18");
  EXPECT_EQ(Engine::EffectiveDate(r, std::nullopt).ToString(), "2019-07-18");
  EXPECT_EQ(Engine::EffectiveDate(r, *Date::Parse("2026-01-01")).ToString(), "2026-01-01");
}

TEST(EngineTest, LawCodesAreAnnexIEntries) {
  auto problems = testing::TheEngine().CheckLawCodes();
  for (const auto& p : problems)
    ADD_FAILURE() << p;
}

}  // namespace
}  // namespace dualuse::rules
