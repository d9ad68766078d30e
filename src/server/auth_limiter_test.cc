#include "auth_limiter.h"

#include <gtest/gtest.h>

namespace dualuse::server {
namespace {

using std::chrono::seconds;

TEST(AuthLimiterTest, BlocksAfterTheLimitUntilTheWindowEnds) {
  AuthLimiter l(3, seconds(60));
  const auto t0 = AuthLimiter::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(l.Blocked("id:a", t0)) << i;
    l.Fail("id:a", t0 + seconds(i));
  }
  EXPECT_TRUE(l.Blocked("id:a", t0 + seconds(10)));
  EXPECT_FALSE(l.Blocked("id:b", t0 + seconds(10)));  // keys are separate
  EXPECT_TRUE(l.Blocked("id:a", t0 + seconds(59)));
  EXPECT_FALSE(l.Blocked("id:a", t0 + seconds(60)));  // a new window
  l.Fail("id:a", t0 + seconds(61));
  EXPECT_FALSE(l.Blocked("id:a", t0 + seconds(62)));
}

TEST(AuthLimiterTest, ManyKeysDoNotGrowWithoutBound) {
  AuthLimiter l(1, seconds(60), 100);
  const auto t0 = AuthLimiter::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 10000; ++i)
    l.Fail("addr:" + std::to_string(i), t0);
  // The newest keys are still tracked.
  EXPECT_TRUE(l.Blocked("addr:9999", t0));
}

}  // namespace
}  // namespace dualuse::server
