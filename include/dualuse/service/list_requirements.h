// Which sanctions lists an answer must have been screened against, and how
// old they may be. Every screening and assessment answer says which lists it
// used, with their version and age; a missing or stale required list makes the
// answer review_required with that reason, at every door (CLI and HTTP).
//
// The requirement: <data-dir>/required-lists.json ({"required": ["eu_fsf",
// "un_sc"]}) when present, else the EU financial sanctions list (eu_fsf) and the
// UN Security Council list (un_sc): the asset freezes that make an export
// prohibited (spec section 3). A list is stale when older than its catalogue's
// stale_after_days (data/lists-sources.json).
//
// When is it enforced (docs/spec-extensions.md):
//  - lists from the data directory (no --list): always, as soon as the data
//    directory holds an imported list or declares required-lists.json. A data
//    directory with no list at all is the "not screened" case the engine
//    already reports (every party "not_screened", a finding saying so);
//  - explicit --list files: relaxed. The person chose the files (a test, an
//    investigation of a past date); the answer names them with their age.
#ifndef DUALUSE_SERVICE_LIST_REQUIREMENTS_H_
#define DUALUSE_SERVICE_LIST_REQUIREMENTS_H_

#include <map>
#include <string>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/rules/determination.h"

namespace dualuse::service {

struct ListRequirements {
  std::vector<std::string> required;  // list ids; empty: none
  bool enforced = false;              // false: the lists used are only named
};

// The requirement of a data directory; `explicit_lists`: --list files given.
// kInvalidArgument for a malformed required-lists.json (naming it).
Result<ListRequirements> LoadListRequirements(const std::string& data_dir, bool explicit_lists);

struct ListUsed {
  std::string list, version;
  long age_days = -1;  // -1: the version is not a date
  int stale_after_days = 7;
  bool stale = false;
};

// The lists of `versions` (list id -> version, the screener's) on `today`.
std::vector<ListUsed> ListsUsed(const std::map<std::string, std::string>& versions,
                                const Date& today);

// Adds to the determination a caveat naming every list used with its version
// and age on `today` (the date the law is applied on); when enforced, a
// review reason for every required list that is missing and every list used
// that is stale, and review_required.
void ApplyListRequirements(const ListRequirements& requirements,
                           const std::map<std::string, std::string>& versions, const Date& today,
                           rules::Determination* determination);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_LIST_REQUIREMENTS_H_
