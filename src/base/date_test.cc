#include "dualuse/base/date.h"

#include <gtest/gtest.h>

namespace dualuse {
namespace {

TEST(DateTest, ParsesValidAndRejectsInvalid) {
  struct {
    const char* text;
    bool ok;
  } cases[] = {
      {"2021-09-09", true},  {"2024-02-29", true},   {"2023-02-29", false},
      {"2021-13-01", false}, {"2021-9-09", true},    {"20210909", false},
      {"", false},           {"2021-09-09x", false}, {"abcd-ef-gh", false},
      {"2000-02-29", true},  {"1900-02-29", false},  {"1971-3-5", true},
      {"2021-1-1", true},    {"2021-009-01", false}, {"2021-09-091", false},
      {"2021-9-", false},    {"21-09-09", false},    {"2021--9-09", false},
      {"2023-2-29", false},  {"2021-0-1", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(Date::Parse(c.text).has_value(), c.ok) << c.text;
  // A one-digit month or day means what it says.
  EXPECT_EQ(Date::Parse("1971-3-5")->ToString(), "1971-03-05");
}

TEST(DateTest, RoundTripsThroughDays) {
  for (long d = -700000; d < 800000; d += 997) {
    Date date = Date::FromDaysSinceEpoch(d);
    EXPECT_EQ(date.DaysSinceEpoch(), d);
    EXPECT_EQ(Date::Parse(date.ToString()).value_or(Date{}), date);
  }
  EXPECT_EQ(Date::FromDaysSinceEpoch(0).ToString(), "1970-01-01");
}

TEST(PeriodTest, IsHalfOpen) {
  Period p{*Date::Parse("2021-09-09"), std::nullopt};
  EXPECT_FALSE(p.Contains(*Date::Parse("2021-09-08")));
  EXPECT_TRUE(p.Contains(*Date::Parse("2021-09-09")));
  Period old{*Date::Parse("2009-08-27"), *Date::Parse("2021-09-09")};
  EXPECT_FALSE(old.Contains(*Date::Parse("2021-09-09")));
  EXPECT_FALSE(old.Overlaps(p));
  Period overlap{*Date::Parse("2021-01-01"), *Date::Parse("2021-09-10")};
  EXPECT_TRUE(overlap.Overlaps(p));
}

}  // namespace
}  // namespace dualuse
