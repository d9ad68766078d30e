// Denials (Art 16 of Regulation (EU) 2021/821) and the "no-undercut" check.
//
// Art 16(2): before deciding, the authority examines the denials in force for
// an essentially identical transaction and consults the authority that issued
// them. "Essentially identical" is operationalised here as: the application
// shares an entry family (the 5-character Annex I entry, e.g. 5A001 for
// 5A001.j) with the denial, goes to the same destination, and its end-user
// matches the denial's end-user by name (NameMatcher; same country when both
// give one).
//
// Exchange format between authorities: `dualuse.denials/1`, documented in
// docs/denials-schema.md and docs/denials.schema.json.
#ifndef DUALUSE_AUTHORITY_DENIALS_H_
#define DUALUSE_AUTHORITY_DENIALS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/authority/types.h"
#include "dualuse/base/result.h"

namespace dualuse::authority {

// "5A001.j.2" -> "5A001"; a national entry ("NL:...") and anything shorter
// than five characters is its own family (upper-cased, trimmed).
std::string EntryFamily(std::string_view entry);

// Decides whether two party names denote the same end-user; fills
// `explanation` with one line on why. Must be symmetric.
using NameMatcher =
    std::function<bool(const std::string& a, const std::string& b, std::string* explanation)>;

// Names normalised (Unicode case folding via ICU, punctuation to spaces,
// whitespace collapsed) and compared for equality. The fallback until the
// screening module exposes a pairwise name comparison.
bool NormalisedExactMatch(const std::string& a, const std::string& b, std::string* explanation);
std::string NormaliseName(std::string_view name);

struct DenialMatch {
  std::string denial_id;
  std::string issuing_authority;
  std::vector<std::string> shared_families;  // sorted
  std::string end_user_explanation;
};

// Denials in force on `as_of` that are essentially identical to `app`.
// Needs an end-user (or consignee) on the application; without one nothing
// matches on the end-user test.
std::vector<DenialMatch> FindEssentiallyIdentical(const Application& app,
                                                  const std::vector<Denial>& denials,
                                                  const Date& as_of, const NameMatcher& matcher);

// Exchange documents. `name` names the source in error messages.
std::string DenialsToJson(const std::vector<Denial>& denials,
                          const std::string& exporting_authority, const Date& exported_on);
Result<std::vector<Denial>> DenialsFromJson(std::string_view json, const std::string& name);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_DENIALS_H_
