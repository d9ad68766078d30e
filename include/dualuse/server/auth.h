// API tokens and roles for `dualuse serve`.
//
// A token is "du_<id>_<secret>": <id> (12 hex digits) names the token so it
// can be found without a scan; <secret> is 256 random bits (64 hex digits).
// The token itself is shown once. What is stored:
//  - "hmac-sha256$<64 hex>": HMAC-SHA-256 (RFC 2104) of the whole token
//    under the server's key (a file beside the store, never in it). A
//    256-bit random secret cannot be guessed, so a slow password hash buys
//    nothing and costs every wrong attempt ~30 ms of CPU; a keyed fast hash
//    makes a stolen database useless for checking tokens offline.
//  - "$argon2id$...": tokens issued before (OWASP 2023 parameters t=2,
//    m=19 MiB, p=1). Still verified, and replaced by the HMAC form on their
//    first successful use (the server does this).
#ifndef DUALUSE_SERVER_AUTH_H_
#define DUALUSE_SERVER_AUTH_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  std::string organisation;  // store::User::organisation; "" = none
};

struct MintedToken {
  std::string token;  // shown to the user once, never stored
  std::string id;     // stored in clear, to find the hash
  std::string hash;   // Argon2id encoded hash ("$argon2id$v=19$...")
};

// Makes a new random token and its HMAC hash under `key`. Fails only if
// the system RNG fails or the key is empty.
Result<MintedToken> MintToken(std::string_view key);
// The same with an Argon2id hash, as tokens were issued before the HMAC
// form (kept for stores that hold such tokens, and their tests).
Result<MintedToken> MintToken();

// "hmac-sha256$" + hex HMAC-SHA-256(key, token).
std::string TokenHmac(std::string_view key, std::string_view token);
bool IsHmacHash(std::string_view stored_hash);
// Constant-time comparison of TokenHmac(key, token) with `stored_hash`.
bool VerifyTokenHmac(std::string_view stored_hash, std::string_view key, std::string_view token);

// The server's token key at `path`: read, or created with 32 random bytes
// (mode 0600) when absent. kDataLoss for a file that is not a key.
Result<std::string> LoadOrCreateTokenKey(const std::string& path);
// 32 random bytes (a key for a server whose tokens live only in memory).
Result<std::string> RandomTokenKey();

// The <id> part of a well-formed token, nullopt for anything else.
std::optional<std::string> TokenId(std::string_view token);

// True when `token` matches the Argon2id `encoded_hash`. Deliberately slow
// (tens of ms): callers cache positive answers (see TokenCache in server.cc).
bool VerifyToken(const std::string& encoded_hash, std::string_view token);

// User names: what `dualuse users add` accepts (docs/security.md, "User
// names"). A user name is recorded as the actor of every record, shown in
// the UI and written to logs, so it must be one unambiguous line of text.
//
// Contract of CheckUserName():
//  - the name is normalised to Unicode NFC (UAX #15) and returned so;
//  - 1 to 64 code points, valid UTF-8, no control, format, separator
//    other than U+0020, private-use or unassigned characters, no leading
//    or trailing space;
//  - its confusable skeleton (UTS #39, ICU uspoof_getSkeleton) differs
//    from that of every name in `existing` (case folded first): "rnike" and
//    "mike", "Olga" and "olga", or a Latin
//    and a Cyrillic "olga" cannot both exist.
// kInvalidArgument names the rule broken; kAlreadyExists for a skeleton
// clash, naming the existing user.

inline constexpr int kMaxUserNameCodePoints = 64;

Result<std::string> CheckUserName(const std::string& name,
                                  const std::vector<std::string>& existing);

// The UTS #39 skeleton of `name` (UTF-8), "" when it is not valid UTF-8.
std::string UserNameSkeleton(const std::string& name);

}  // namespace dualuse::server

#endif  // DUALUSE_SERVER_AUTH_H_
