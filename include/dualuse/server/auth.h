// API tokens and roles for `dualuse serve`.
//
// A token is "du_<id>_<secret>": <id> (12 hex digits) names the token so it
// can be found without a scan; <secret> is 256 random bits (64 hex digits).
// Only an Argon2id hash of the whole token is stored (RFC 9106, the
// "second recommended option": t=3, m=64 MiB would be costlier; we use the
// OWASP 2023 minimum t=2, m=19 MiB, p=1). The token itself is shown once.
#ifndef DUALUSE_SERVER_AUTH_H_
#define DUALUSE_SERVER_AUTH_H_

#include <optional>
#include <string>
#include <string_view>

#include "dualuse/base/result.h"

namespace dualuse::server {

// What a user may do (docs/deploy.md has the table of endpoints per role).
//   officer:   screen, match, assess, read lists, records and the review queue
//   reviewer:  what an officer may, and decide review items
//   admin:     everything, including the user list
//   authority: a licensing authority: assess, screen, read records and lists
enum class Role { kOfficer, kReviewer, kAdmin, kAuthority };

const char* RoleName(Role role);  // "officer", "reviewer", "admin", "authority"
std::optional<Role> ParseRole(std::string_view text);

// The authenticated caller of a request: recorded as the actor of every record.
struct Principal {
  std::string name;
  Role role = Role::kOfficer;
};

struct MintedToken {
  std::string token;  // shown to the user once, never stored
  std::string id;     // stored in clear, to find the hash
  std::string hash;   // Argon2id encoded hash ("$argon2id$v=19$...")
};

// Makes a new random token and its hash. Fails only if the system RNG or
// Argon2 fails.
Result<MintedToken> MintToken();

// The <id> part of a well-formed token, nullopt for anything else.
std::optional<std::string> TokenId(std::string_view token);

// True when `token` matches the Argon2id `encoded_hash`. Deliberately slow
// (tens of ms): callers cache positive answers (see TokenCache in server.cc).
bool VerifyToken(const std::string& encoded_hash, std::string_view token);

}  // namespace dualuse::server

#endif  // DUALUSE_SERVER_AUTH_H_
