#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <cstdio>
#include <memory>

#include "dualuse/base/utf8.h"
#include "dualuse/server/auth.h"

namespace dualuse::server {
namespace {

struct SpoofCloser {
  void operator()(USpoofChecker* sc) const { uspoof_close(sc); }
};

}  // namespace

std::string UserNameSkeleton(const std::string& name) {
  if (!IsUtf8TextWithoutNul(name)) return "";
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<USpoofChecker, SpoofCloser> sc(uspoof_open(&err));
  if (U_FAILURE(err)) return "";
  // Case-insensitive as well: "Olga" and "olga" are one person to a reader.
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(name).foldCase();
  std::string utf8;
  folded.toUTF8String(utf8);
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = uspoof_getSkeletonUTF8(sc.get(), 0, utf8.c_str(), static_cast<int32_t>(utf8.size()),
                                     out.data(), static_cast<int32_t>(out.size()), &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    err = U_ZERO_ERROR;
    out.assign(static_cast<size_t>(n) + 1, '\0');
    n = uspoof_getSkeletonUTF8(sc.get(), 0, utf8.c_str(), static_cast<int32_t>(utf8.size()),
                               out.data(), static_cast<int32_t>(out.size()), &err);
  }
  if (U_FAILURE(err)) return "";
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> CheckUserName(const std::string& name,
                                  const std::vector<std::string>& existing) {
  auto bad = [](const std::string& why) { return Status::InvalidArgument("user name: " + why); };
  if (name.size() > 4 * kMaxUserNameCodePoints) return bad("longer than 64 characters");
  if (!IsUtf8TextWithoutNul(name)) return bad("expected UTF-8 text without NUL");
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return Status::Internal("ICU NFC normaliser unavailable");
  icu::UnicodeString u = nfc->normalize(icu::UnicodeString::fromUTF8(name), err);
  if (U_FAILURE(err)) return bad("cannot be normalised to NFC");
  const int32_t count = u.countChar32();
  if (count == 0) return bad("expected a name");
  if (count > kMaxUserNameCodePoints) return bad("longer than 64 characters");
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    UChar32 c = u.char32At(i);
    int8_t type = u_charType(c);
    const bool allowed_space = c == 0x20;
    if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_UNASSIGNED ||
        type == U_PRIVATE_USE_CHAR || type == U_SURROGATE ||
        ((type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR) &&
         !allowed_space)) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
      return bad(std::string("character ") + hex +
                 " is not allowed (control, format, invisible or unassigned)");
    }
  }
  if (u.char32At(0) == 0x20 || u.char32At(u.length() - 1) == 0x20) {
    return bad("leading or trailing space");
  }
  std::string normalised;
  u.toUTF8String(normalised);
  const std::string skeleton = UserNameSkeleton(normalised);
  for (const std::string& other : existing) {
    if (UserNameSkeleton(other) == skeleton) {
      return Status::AlreadyExists("user name \"" + normalised + "\" is confusable with user \"" +
                                   other + "\" (UTS #39 skeleton)");
    }
  }
  return normalised;
}

}  // namespace dualuse::server
