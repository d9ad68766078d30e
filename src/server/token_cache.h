// TokenCache: the API tokens recently verified, so that the Argon2id check
// (tens of ms, 19 MiB) is paid once per token, not per request, and so that
// a request with a cached token never waits for the store.
//
// Contract:
//  - Keys are SHA-256 hex digests of the bearer token (never the token).
//  - An entry answers Get() for `ttl` after it was last confirmed; a token
//    revoked, expired or whose user is disabled is therefore refused at the
//    latest `ttl` after the change.
//  - Once an entry is older than `refresh_after`, Get() hands exactly one
//    caller the refresh (claim_refresh), while it keeps answering everyone:
//    a token in steady use is re-confirmed in the background before it
//    expires, instead of every request waiting for it at once.
//  - Confirming again needs no Argon2id: an entry remembers the stored hash
//    it was verified against, and Confirmable() says whether the store's
//    current token record still carries it.
//  - Thread-safe. Times are passed in, so that tests need no sleeping.
#ifndef DUALUSE_SRC_SERVER_TOKEN_CACHE_H_
#define DUALUSE_SRC_SERVER_TOKEN_CACHE_H_

#include <chrono>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "dualuse/server/auth.h"

namespace dualuse::server {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;

  struct Entry {
    Principal principal;
    std::string token_id;  // the store's token id
    std::string hash;      // the stored encoded hash the token was verified against
  };

  explicit TokenCache(Clock::duration ttl = std::chrono::seconds(60),
                      Clock::duration refresh_after = std::chrono::seconds(45),
                      size_t max_entries = 10000);

  // The principal when the entry was confirmed within ttl. When the entry
  // is older than refresh_after and no refresh has been handed out since
  // its last confirmation, sets *claim_refresh (when given) to true.
  std::optional<Principal> Get(const std::string& key, Clock::time_point now,
                               bool* claim_refresh = nullptr);
  // True when `key` has an entry, however old, for this token record and
  // hash: the token was verified against `hash` before, no Argon2id needed.
  bool Confirmable(const std::string& key, const std::string& token_id,
                   const std::string& hash) const;
  // Records a verification (or re-confirmation) at `now`.
  void Put(const std::string& key, Entry entry, Clock::time_point now);
  void Drop(const std::string& key);
  // Every entry of this user, or of this store token id (a user disabled or
  // a token revoked through this server: refused here at once).
  void DropUser(const std::string& user);
  void DropTokenId(const std::string& token_id);
  // Every entry (a token or user changed by another process on the store:
  // ChangeFeed).
  void Clear();

 private:
  struct Slot {
    Entry entry;
    Clock::time_point confirmed;
    bool refresh_claimed = false;
  };
  const Clock::duration ttl_, refresh_after_;
  const size_t max_entries_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Slot> map_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_TOKEN_CACHE_H_
