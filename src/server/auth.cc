#include "dualuse/server/auth.h"

#include <argon2.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace dualuse::server {
namespace {

// OWASP Password Storage Cheat Sheet (2023): Argon2id, m=19 MiB, t=2, p=1.
constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kParallelism = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kIdHex = 12;
constexpr size_t kSecretHex = 64;

std::string Hex(const unsigned char* data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kOfficer:
      return "officer";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAdmin:
      return "admin";
    case Role::kAuthority:
      return "authority";
  }
  return "officer";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role r : {Role::kOfficer, Role::kReviewer, Role::kAdmin, Role::kAuthority}) {
    if (text == RoleName(r)) return r;
  }
  return std::nullopt;
}

Result<MintedToken> MintToken() {
  std::array<unsigned char, kIdHex / 2 + kSecretHex / 2> random{};
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(random.data(), random.size()) != 1 || RAND_bytes(salt.data(), salt.size()) != 1) {
    return Status::Internal("system random number generator failed");
  }
  MintedToken t;
  t.id = Hex(random.data(), kIdHex / 2);
  t.token = "du_" + t.id + "_" + Hex(random.data() + kIdHex / 2, kSecretHex / 2);
  size_t len =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(len, '\0');
  int rc =
      argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, t.token.data(), t.token.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return Status::Internal(std::string("argon2id: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0') == std::string::npos ? encoded.size() : encoded.find('\0'));
  t.hash = std::move(encoded);
  return t;
}

constexpr std::string_view kHmacPrefix = "hmac-sha256$";

std::string TokenHmac(std::string_view key, std::string_view token) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(token.data()), token.size(), mac, &len);
  return std::string(kHmacPrefix) + Hex(mac, len);
}

bool IsHmacHash(std::string_view stored_hash) {
  return stored_hash.substr(0, kHmacPrefix.size()) == kHmacPrefix;
}

bool VerifyTokenHmac(std::string_view stored_hash, std::string_view key, std::string_view token) {
  const std::string mine = TokenHmac(key, token);
  if (stored_hash.size() != mine.size()) return false;
  return CRYPTO_memcmp(mine.data(), stored_hash.data(), mine.size()) == 0;
}

Result<MintedToken> MintToken(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("token key: empty");
  std::array<unsigned char, kIdHex / 2 + kSecretHex / 2> random{};
  if (RAND_bytes(random.data(), random.size()) != 1) {
    return Status::Internal("system random number generator failed");
  }
  MintedToken t;
  t.id = Hex(random.data(), kIdHex / 2);
  t.token = "du_" + t.id + "_" + Hex(random.data() + kIdHex / 2, kSecretHex / 2);
  t.hash = TokenHmac(key, t.token);
  return t;
}

Result<std::string> RandomTokenKey() {
  std::array<unsigned char, 32> key{};
  if (RAND_bytes(key.data(), key.size()) != 1) {
    return Status::Internal("system random number generator failed");
  }
  return std::string(reinterpret_cast<const char*>(key.data()), key.size());
}

Result<std::string> LoadOrCreateTokenKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string hex = ss.str();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r'))
      hex.pop_back();
    if (hex.size() != 64 || !IsLowerHex(hex)) {
      return Status::DataLoss(path + ": expected the token key (64 lower-case hex digits)");
    }
    std::string key;
    for (size_t i = 0; i < hex.size(); i += 2)
      key.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return key;
  }
  DU_ASSIGN_OR_RETURN(std::string key, RandomTokenKey());
  std::string hex = Hex(reinterpret_cast<const unsigned char*>(key.data()), key.size()) + "\n";
  // O_EXCL: two processes creating it at once agree on the first one's key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return LoadOrCreateTokenKey(path);
    return Status::Unavailable(path + ": cannot create the token key");
  }
  bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) return Status::Unavailable(path + ": cannot write the token key");
  return key;
}

std::optional<std::string> TokenId(std::string_view token) {
  // "du_" + id + "_" + secret
  if (token.size() != 3 + kIdHex + 1 + kSecretHex) return std::nullopt;
  if (token.substr(0, 3) != "du_" || token[3 + kIdHex] != '_') return std::nullopt;
  std::string_view id = token.substr(3, kIdHex);
  if (!IsLowerHex(id) || !IsLowerHex(token.substr(4 + kIdHex))) return std::nullopt;
  return std::string(id);
}

bool VerifyToken(const std::string& encoded_hash, std::string_view token) {
  if (encoded_hash.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(encoded_hash.c_str(), token.data(), token.size()) == ARGON2_OK;
}

}  // namespace dualuse::server
