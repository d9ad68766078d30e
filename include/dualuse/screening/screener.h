// The seam between the assessment engine and party screening.
//
// The rules engine (R0, restrictive measures) asks a PartyScreener about each
// party of a request. The screening module implements it over loaded lists;
// with no lists loaded the engine says so instead of claiming "clear".
#ifndef DUALUSE_SCREENING_SCREENER_H_
#define DUALUSE_SCREENING_SCREENER_H_

#include <algorithm>
#include <cstddef>
#include <functional>
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

// What one screening call asks for beyond the query (the parameters of a
// yente-style /match): which lists, which entities, from what score, how many.
// Every filter applies before the matches are cut to `limit`, and candidates
// are gathered per list, so a list's best match is never pushed out by
// candidates or matches from another list.
struct ScreenOptions {
  std::vector<std::string> lists;  // only these list ids; empty: every list
  // Further filter on the listed entity (schema, ids, topics); empty: all.
  // Applied to candidates, before they are scored.
  std::function<bool(const lists::Entity&)> accept;
  // Report matches scoring at or above this; < 0: the screener's own
  // review threshold.
  double min_score = -1;
  size_t limit = 5;  // matches reported, best first
  // Candidate names scored per list and query name; 0: yente's count for
  // `limit` (10 x limit, at most max(500, limit)). Never fewer than Screen()
  // scores over all lists.
  size_t candidates = 0;
};

// Thread-safe for concurrent Screen() calls once built.
class PartyScreener {
 public:
  virtual ~PartyScreener() = default;
  virtual ScreeningResult Screen(const PartyQuery& query) const = 0;
  // list id -> version (the list's own date), for Determination.data_versions.
  virtual std::map<std::string, std::string> ListVersions() const = 0;

  // Screening with per-call options (ScreenOptions). This default screens
  // with Screen(query) and filters its matches: it cannot see past the
  // screener's own limit, so an implementation over lists overrides it.
  virtual ScreeningResult ScreenWith(const PartyQuery& query, const ScreenOptions& options) const {
    ScreeningResult all = Screen(query), out;
    for (ScreeningHit& h : all.matches) {
      if (!options.lists.empty() &&
          std::find(options.lists.begin(), options.lists.end(), h.list) == options.lists.end())
        continue;
      if (options.min_score >= 0 && h.score < options.min_score) continue;
      const lists::Entity* e = options.accept ? FindEntity(h.list, h.entity_id) : nullptr;
      if (e && !options.accept(*e)) continue;
      if (out.matches.size() >= options.limit) break;
      if (h.match) {
        out.status = ScreeningStatus::kHit;
      } else if (out.status == ScreeningStatus::kClear) {
        out.status = ScreeningStatus::kPotentialMatch;
      }
      out.matches.push_back(std::move(h));
    }
    return out;
  }
  // The listed entity `id` (the publisher's id) of list `list`; null when
  // there is none. Valid as long as the screener.
  virtual const lists::Entity* FindEntity(const std::string& /*list*/,
                                          const std::string& /*id*/) const {
    return nullptr;
  }
  // The entities screened from list `list` (0 when unknown).
  virtual size_t EntityCount(const std::string& /*list*/) const { return 0; }
};

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_SCREENER_H_
