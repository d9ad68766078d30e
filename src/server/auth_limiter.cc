#include "auth_limiter.h"

#include <algorithm>

namespace dualuse::server {

bool AuthLimiter::Blocked(const std::string& key, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto it = map_.find(key);
  return it != map_.end() && now - it->second.start < window_ && it->second.failures >= limit_;
}

void AuthLimiter::Fail(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = map_.find(key);
  if (it != map_.end() && now - it->second.start < window_) {
    ++it->second.failures;
    return;
  }
  if (it == map_.end() && map_.size() >= max_keys_) {
    for (auto e = map_.begin(); e != map_.end();) {
      e = now - e->second.start >= window_ ? map_.erase(e) : std::next(e);
    }
    if (map_.size() >= max_keys_) {
      map_.erase(std::min_element(map_.begin(), map_.end(), [](const auto& a, const auto& b) {
        return a.second.start < b.second.start;
      }));
    }
  }
  map_[key] = {now, 1};
}

}  // namespace dualuse::server
