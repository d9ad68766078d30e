#include "token_cache.h"

#include <mutex>
#include <utility>

namespace dualuse::server {

TokenCache::TokenCache(Clock::duration ttl, Clock::duration refresh_after, size_t max_entries)
    : ttl_(ttl), refresh_after_(refresh_after), max_entries_(max_entries) {}

std::optional<Principal> TokenCache::Get(const std::string& key, Clock::time_point now,
                                         bool* claim_refresh) {
  {
    std::shared_lock lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || now - it->second.confirmed >= ttl_) return std::nullopt;
    const bool due = now - it->second.confirmed >= refresh_after_ && !it->second.refresh_claimed;
    if (!due || !claim_refresh) return it->second.entry.principal;
  }
  std::unique_lock lock(mu_);  // claim the refresh: one caller only
  auto it = map_.find(key);
  if (it == map_.end() || now - it->second.confirmed >= ttl_) return std::nullopt;
  if (now - it->second.confirmed >= refresh_after_ && !it->second.refresh_claimed) {
    it->second.refresh_claimed = true;
    *claim_refresh = true;
  }
  return it->second.entry.principal;
}

bool TokenCache::Confirmable(const std::string& key, const std::string& token_id,
                             const std::string& hash) const {
  std::shared_lock lock(mu_);
  auto it = map_.find(key);
  return it != map_.end() && it->second.entry.token_id == token_id && it->second.entry.hash == hash;
}

void TokenCache::Put(const std::string& key, Entry entry, Clock::time_point now) {
  std::unique_lock lock(mu_);
  // A crude bound against a flood of distinct valid tokens: start afresh.
  if (map_.size() >= max_entries_ && !map_.count(key)) map_.clear();
  map_[key] = Slot{std::move(entry), now, false};
}

void TokenCache::Drop(const std::string& key) {
  std::unique_lock lock(mu_);
  map_.erase(key);
}

void TokenCache::DropUser(const std::string& user) {
  std::unique_lock lock(mu_);
  std::erase_if(map_, [&](const auto& kv) { return kv.second.entry.principal.name == user; });
}

void TokenCache::Clear() {
  std::unique_lock lock(mu_);
  map_.clear();
}

void TokenCache::DropTokenId(const std::string& token_id) {
  std::unique_lock lock(mu_);
  std::erase_if(map_, [&](const auto& kv) { return kv.second.entry.token_id == token_id; });
}

}  // namespace dualuse::server
