// The seam between the assessment engine and party screening.
//
// The rules engine (R0, restrictive measures) asks a PartyScreener about each
// party of a request. The screening module implements it over loaded lists;
// with no lists loaded the engine says so instead of claiming "clear".
#ifndef DUALUSE_SCREENING_SCREENER_H_
#define DUALUSE_SCREENING_SCREENER_H_

#include <map>
#include <string>
#include <vector>

#include "dualuse/lists/entity.h"

namespace dualuse::screening {

struct PartyQuery {
  std::string name;
  std::vector<std::string> aliases;
  lists::Schema schema = lists::Schema::kLegalEntity;
  std::string country;     // ISO alpha-2, may be empty
  std::string birth_date;  // YYYY[-MM[-DD]], may be empty
  std::vector<lists::Identifier> identifiers;
  // YYYY-MM-DD: only entries listed on that day count (lists::ListedOn: not
  // before their listing date, not from their delisting date); "" = every
  // entry of the lists. An assessment passes its date.
  std::string as_of;
};

struct ScreeningHit {
  std::string list;          // list id, e.g. "un_sc"
  std::string list_version;  // that list's own date, e.g. "2026-02-27"
  std::string entity_id;     // publisher's id
  lists::Schema schema = lists::Schema::kLegalEntity;
  std::string name;          // the entity's main name
  std::string matched_name;  // the name or alias that matched
  double score = 0;          // [0, 1]
  bool match = false;        // score >= match threshold
  std::vector<std::string> programs;
  std::vector<std::string> explanation;  // which name parts aligned, and how
  lists::ListEffect effect = lists::ListEffect::kOther;
  std::string jurisdiction;
  std::string source;       // sub-list for aggregated lists
  std::string listed_on;    // when the publisher listed the entity ("" = not given)
  std::string delisted_on;  // when it was delisted, if the file says
};

enum class ScreeningStatus { kClear, kPotentialMatch, kHit };
const char* ScreeningStatusName(ScreeningStatus s);  // "clear", "potential_match", "hit"

struct ScreeningResult {
  ScreeningStatus status = ScreeningStatus::kClear;
  std::vector<ScreeningHit> matches;  // best first
};

// Thread-safe for concurrent Screen() calls once built.
class PartyScreener {
 public:
  virtual ~PartyScreener() = default;
  virtual ScreeningResult Screen(const PartyQuery& query) const = 0;
  // list id -> version (the list's own date), for Determination.data_versions.
  virtual std::map<std::string, std::string> ListVersions() const = 0;
};

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_SCREENER_H_
