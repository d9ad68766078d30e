#include "token_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace dualuse::server {
namespace {

using std::chrono::seconds;
using Clock = TokenCache::Clock;

TokenCache::Entry Alice() { return {{"alice", Role::kOfficer}, "du_1", "$argon2id$h1"}; }

TEST(TokenCacheTest, FreshnessOverTime) {
  struct Case {
    const char* name;
    int age_seconds;
    bool answered, refresh_claimed;
  };
  const std::vector<Case> cases = {
      {"just confirmed", 0, true, false},
      {"before refresh_after", 44, true, false},
      {"refresh due: still answered, refresh handed out", 45, true, true},
      {"just before ttl", 59, true, true},
      {"at ttl: expired", 60, false, false},
      {"long after", 3600, false, false},
  };
  const Clock::time_point t0 = Clock::now();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TokenCache cache(seconds(60), seconds(45));
    cache.Put("k", Alice(), t0);
    bool claim = false;
    auto p = cache.Get("k", t0 + seconds(c.age_seconds), &claim);
    EXPECT_EQ(p.has_value(), c.answered);
    if (p) {
      EXPECT_EQ(p->name, "alice");
    }
    EXPECT_EQ(claim, c.refresh_claimed);
  }
}

TEST(TokenCacheTest, RefreshIsHandedOutOnceUntilConfirmedAgain) {
  const Clock::time_point t0 = Clock::now();
  TokenCache cache(seconds(60), seconds(45));
  cache.Put("k", Alice(), t0);
  bool first = false, second = false, unclaimed = false;
  EXPECT_TRUE(cache.Get("k", t0 + seconds(50)));  // no claim asked: none taken
  EXPECT_TRUE(cache.Get("k", t0 + seconds(50), &first));
  EXPECT_TRUE(cache.Get("k", t0 + seconds(51), &second));
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  cache.Put("k", Alice(), t0 + seconds(52));                  // the refresh confirmed it
  EXPECT_TRUE(cache.Get("k", t0 + seconds(90), &unclaimed));  // 38 s after: not due
  EXPECT_FALSE(unclaimed);
  bool again = false;
  EXPECT_TRUE(cache.Get("k", t0 + seconds(110), &again));  // 58 s after: due again
  EXPECT_TRUE(again);
}

TEST(TokenCacheTest, ConfirmableOnlyForTheSameTokenRecordAndHash) {
  const Clock::time_point t0 = Clock::now();
  TokenCache cache;
  cache.Put("k", Alice(), t0);
  EXPECT_TRUE(cache.Confirmable("k", "du_1", "$argon2id$h1"));
  EXPECT_FALSE(cache.Confirmable("k", "du_1", "$argon2id$h2"));  // re-issued secret
  EXPECT_FALSE(cache.Confirmable("k", "du_2", "$argon2id$h1"));
  EXPECT_FALSE(cache.Confirmable("other", "du_1", "$argon2id$h1"));
  // Expired entries stay confirmable: re-confirming needs no Argon2id.
  EXPECT_FALSE(cache.Get("k", t0 + seconds(3600)));
  EXPECT_TRUE(cache.Confirmable("k", "du_1", "$argon2id$h1"));
  cache.Drop("k");
  EXPECT_FALSE(cache.Confirmable("k", "du_1", "$argon2id$h1"));
  EXPECT_FALSE(cache.Get("k", t0));
}

TEST(TokenCacheTest, BoundedSize) {
  const Clock::time_point t0 = Clock::now();
  TokenCache cache(seconds(60), seconds(45), 3);
  for (int i = 0; i < 3; ++i)
    cache.Put("k" + std::to_string(i), Alice(), t0);
  EXPECT_TRUE(cache.Get("k0", t0));
  cache.Put("k3", Alice(), t0);  // full: starts afresh
  EXPECT_FALSE(cache.Get("k0", t0));
  EXPECT_TRUE(cache.Get("k3", t0));
}

}  // namespace
}  // namespace dualuse::server
