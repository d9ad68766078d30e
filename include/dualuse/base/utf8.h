// UTF-8 well-formedness: the one check every module uses.
//
// Well-formed means the Unicode Standard's definition (chapter 3, D92,
// table 3-7; RFC 3629 section 4): no overlong encodings, no surrogate code
// points (U+D800..U+DFFF), nothing above U+10FFFF, no truncated or stray
// continuation bytes. NUL (U+0000) is well-formed UTF-8; callers that store
// text where NUL is not allowed (PostgreSQL TEXT) use IsUtf8TextWithoutNul.
#ifndef DUALUSE_BASE_UTF8_H_
#define DUALUSE_BASE_UTF8_H_

#include <string_view>

namespace dualuse {

// True when `s` is well-formed UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view s);

// True when `s` is well-formed UTF-8 and contains no NUL byte: what
// PostgreSQL's TEXT accepts, so both store backends take the same values.
bool IsUtf8TextWithoutNul(std::string_view s);

}  // namespace dualuse

#endif  // DUALUSE_BASE_UTF8_H_
