// SHA-256 digests (OpenSSL EVP), as lower-case hex. Used for list content
// hashes and for the audit chain.
#ifndef DUALUSE_BASE_SHA256_H_
#define DUALUSE_BASE_SHA256_H_

#include <string>
#include <string_view>

#include "dualuse/base/result.h"

namespace dualuse {

std::string Sha256Hex(std::string_view data);

// Streams a file through SHA-256. Error when the file cannot be read.
Result<std::string> Sha256File(const std::string& path);

}  // namespace dualuse

#endif  // DUALUSE_BASE_SHA256_H_
