#include "dualuse/base/clock.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "dualuse/base/date.h"

namespace dualuse {
namespace {

TEST(ClockTest, ParsesTheFixedTimeForms) {
  struct Case {
    const char* text;
    const char* timestamp;  // nullptr: rejected
  };
  const Case cases[] = {
      {"2026-12-07T10:11:12Z", "2026-12-07T10:11:12.000Z"},
      {"2026-12-07T10:11:12.345Z", "2026-12-07T10:11:12.345Z"},
      {"2026-12-07", "2026-12-07T00:00:00.000Z"},
      {"1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000Z"},
      {"2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"},
      {"2023-02-29", nullptr},
      {"2026-12-07T24:00:00Z", nullptr},
      {"2026-12-07T10:60:00Z", nullptr},
      {"2026-12-07T10:11:12", nullptr},
      {"2026-12-07 10:11:12Z", nullptr},
      {"2026-12-07T10:11:12.3Z", nullptr},
      {"yesterday", nullptr},
      {"", nullptr},
  };
  for (const Case& c : cases) {
    std::optional<Clock::TimePoint> t = Clock::ParseFixedTime(c.text);
    if (c.timestamp == nullptr) {
      EXPECT_FALSE(t.has_value()) << c.text;
    } else {
      ASSERT_TRUE(t.has_value()) << c.text;
      EXPECT_EQ(Clock::FormatTimestamp(*t), c.timestamp) << c.text;
    }
  }
}

TEST(ClockTest, ScopedFixedClockFixesEveryReadingAndRestores) {
  {
    ScopedFixedClock fixed("2019-09-09T08:07:06Z");  // Regulation (EU) 2021/821 applies
    EXPECT_EQ(Clock::NowUtc(), "2019-09-09T08:07:06Z");
    EXPECT_EQ(Clock::NowTimestamp(), "2019-09-09T08:07:06.000Z");
    EXPECT_EQ(Date::Today().ToString(), "2019-09-09");
    {
      ScopedFixedClock inner("2021-09-09");
      EXPECT_EQ(Date::Today().ToString(), "2021-09-09");
    }
    EXPECT_EQ(Date::Today().ToString(), "2019-09-09");
  }
  // Back on the system clock (or DUALUSE_FIXED_TIME when the test runs with it).
  if (std::getenv("DUALUSE_FIXED_TIME") == nullptr) {
    EXPECT_GE(Date::Today(), *Date::Parse("2026-01-01"));
  }
}

}  // namespace
}  // namespace dualuse
