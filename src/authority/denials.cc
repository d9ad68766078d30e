#include "dualuse/authority/denials.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "authority/json_util.h"
#include "dualuse/authority/codec.h"

namespace dualuse::authority {

namespace internal {
Result<Denial> ReadDenialAt(const Json& j, const std::string& path, const std::string& name);
}  // namespace internal

using internal::Json;

namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Upper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string EntryFamily(std::string_view entry) {
  std::string e = Upper(Trim(entry));
  if (e.find(':') != std::string::npos) return e;  // national list entry: its own family
  if (e.size() < 5) return e;
  return e.substr(0, 5);
}

std::string NormaliseName(std::string_view name) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  icu::UnicodeString folded;
  if (U_SUCCESS(err)) {
    folded = nfkc_cf->normalize(s, err);
  }
  if (U_FAILURE(err)) folded = s.foldCase();
  icu::UnicodeString out;
  bool space = false;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c)) {
      if (space && !out.isEmpty()) out.append(static_cast<UChar32>(' '));
      space = false;
      out.append(c);
    } else {
      space = true;
    }
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

bool NormalisedExactMatch(const std::string& a, const std::string& b, std::string* explanation) {
  std::string na = NormaliseName(a), nb = NormaliseName(b);
  bool same = !na.empty() && na == nb;
  if (explanation) {
    *explanation = same ? "names equal after normalisation (\"" + na + "\")"
                        : "names differ after normalisation (\"" + na + "\" vs \"" + nb + "\")";
  }
  return same;
}

std::vector<DenialMatch> FindEssentiallyIdentical(const Application& app,
                                                  const std::vector<Denial>& denials,
                                                  const Date& as_of, const NameMatcher& matcher) {
  std::vector<DenialMatch> out;
  const PartyLine* end_user = app.EndUser();
  if (!end_user) return out;
  std::set<std::string> app_families;
  for (const auto& item : app.items) {
    for (const auto& e : item.control_entries)
      app_families.insert(EntryFamily(e));
  }
  std::string destination = Upper(app.destination);
  for (const auto& d : denials) {
    if (!d.InForce(as_of)) continue;
    if (Upper(d.destination) != destination) continue;
    std::set<std::string> shared;
    for (const auto& e : d.entries) {
      std::string fam = EntryFamily(e);
      if (app_families.count(fam)) shared.insert(fam);
    }
    if (shared.empty()) continue;
    if (!d.end_user_country.empty() && !end_user->country.empty() &&
        Upper(d.end_user_country) != Upper(end_user->country)) {
      continue;
    }
    std::string why;
    if (!matcher(end_user->name, d.end_user_name, &why)) continue;
    out.push_back({d.id, d.issuing_authority, {shared.begin(), shared.end()}, why});
  }
  return out;
}

std::string DenialsToJson(const std::vector<Denial>& denials,
                          const std::string& exporting_authority, const Date& exported_on) {
  Json arr = Json::array();
  for (const auto& d : denials)
    arr.push_back(Json::parse(ToJson(d)));
  Json j = {{"schema", "dualuse.denials/1"},
            {"exported_by", exporting_authority},
            {"exported_on", exported_on.ToString()},
            {"denials", arr}};
  return j.dump(2) + "\n";
}

Result<std::vector<Denial>> DenialsFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, internal::ParseJson(json, name));
  internal::Fields f(j, "$", name);
  std::string schema = f.Str("schema", true);
  if (f.ok() && schema != "dualuse.denials/1") {
    f.Fail("$.schema", "\"" + schema + "\" is not dualuse.denials/1");
  }
  f.Str("exported_by", true);
  f.DateField("exported_on", true);
  std::vector<Denial> out;
  std::set<std::string> ids;
  if (const Json* arr = f.Array("denials", true)) {
    for (size_t i = 0; i < arr->size() && f.ok(); ++i) {
      auto d = internal::ReadDenialAt((*arr)[i], f.PathOf("denials", i), name);
      if (!d) return d.error();
      if (!ids.insert(d->id).second) {
        f.Fail(f.PathOf("denials", i) + ".id", "duplicate denial id " + d->id);
        break;
      }
      if (d->withdrawn_on && !(d->issued_on < *d->withdrawn_on)) {
        f.Fail(f.PathOf("denials", i) + ".withdrawn_on", "expected a date after issued_on");
        break;
      }
      out.push_back(std::move(*d));
    }
  }
  if (!f.ok()) return f.status();
  return out;
}

}  // namespace dualuse::authority
