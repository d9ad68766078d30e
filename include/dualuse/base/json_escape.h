// JSON string literals written by hand, for the paths that cannot afford
// building a nlohmann::json (the batch writer of determinations, the store's
// canonical record text).
#ifndef DUALUSE_BASE_JSON_ESCAPE_H_
#define DUALUSE_BASE_JSON_ESCAPE_H_

#include <string>
#include <string_view>

namespace dualuse {

// Appends `s` as a JSON string literal (RFC 8259 section 7), byte for byte as
// nlohmann::json's serializer writes a valid UTF-8 string with ensure_ascii
// off: '"' and '\\' escaped, \b \f \n \r \t by name, other bytes below 0x20
// as \u00xx (lower-case hex), every other byte as is. `s` must be valid
// UTF-8 (IsValidUtf8, utf8.h) for the result to be valid JSON.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace dualuse

#endif  // DUALUSE_BASE_JSON_ESCAPE_H_
