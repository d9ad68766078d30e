// AuthLimiter: failed token checks counted per key (a token id, a client
// address) in fixed windows; a key with too many failures in the current
// window is refused (429) until the window ends, before any check runs.
//
// Contract:
//  - Blocked(key, now) is true when Fail() was called at least `limit`
//    times for `key` within the window that `now` falls in.
//  - Windows are `window` long and start at a key's first failure.
//  - At most `max_keys` keys are tracked; when full, expired entries are
//    dropped, and if none has expired the oldest window goes first (a
//    flood of distinct keys cannot grow memory).
//  - Thread-safe. Times are passed in, so that tests need no sleeping.
#ifndef DUALUSE_SRC_SERVER_AUTH_LIMITER_H_
#define DUALUSE_SRC_SERVER_AUTH_LIMITER_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dualuse::server {

class AuthLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  AuthLimiter(int limit, Clock::duration window, size_t max_keys = 100000)
      : limit_(limit), window_(window), max_keys_(max_keys) {}

  bool Blocked(const std::string& key, Clock::time_point now) const;
  void Fail(const std::string& key, Clock::time_point now);

 private:
  struct Window {
    Clock::time_point start;
    int failures = 0;
  };
  const int limit_;
  const Clock::duration window_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Window> map_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_AUTH_LIMITER_H_
