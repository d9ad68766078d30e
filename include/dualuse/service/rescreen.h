// Re-screening the counterparty register after a list update.
//
// Lists change every week; a counterparty cleared on Monday can be listed on
// Friday. Re-screening looks only at what changed:
//   - the new and changed entities of each updated list (lists::DiffLists
//     between the version last re-screened and the new one) against ALL
//     counterparties, through a temporary index over the changed entities
//     (a mini list built with the matcher's public API);
//   - the new and changed counterparties (content_hash != screened_hash)
//     against all current lists.
// Each potential match or hit becomes a review item (Store::AddAlert rules:
// a dismissed pair is not raised again until the listing or the
// counterparty changes). Alerts, the "screened" marks, the list versions
// covered and one `rescreen` record are written in one transaction.
//
// The store module does not link the matcher: the caller passes the
// screeners (screening::ListScreener in the CLI and tests).
#ifndef DUALUSE_SERVICE_RESCREEN_H_
#define DUALUSE_SERVICE_RESCREEN_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/lists/entity.h"
#include "dualuse/screening/screener.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// SHA-256 over the fields that decide whom an entity matches (those
// lists::DiffLists compares: schema, names with strength and script,
// birth dates, countries, identifiers, programmes), each as a sorted set.
// Equal iff DiffLists would not report the entity as changed.
std::string EntityContentHash(const lists::Entity& e);

// lists::ListEffect as the word stored in alerts: "asset_freeze",
// "denied_party", "licence_requirement", "blocking", "other".
const char* EffectWord(lists::ListEffect e);

// The screening query for a registered counterparty.
screening::PartyQuery QueryFor(const store::Counterparty& c);

// What changed in one list.
struct ListUpdate {
  std::string list;                    // list id
  std::string old_version;             // "" when this list was never re-screened
  std::string new_version;             // recorded as covered once the rescreen commits
  std::vector<lists::Entity> changed;  // added and changed entities (new content)
  size_t removed = 0;                  // for the record only
};

// Builds a screener over the changed entities of `updates` (a mini list per
// update, with its list id and new version).
using MiniScreenerFactory = std::function<Result<std::unique_ptr<screening::PartyScreener>>(
    const std::vector<ListUpdate>& updates)>;

struct RescreenOptions {
  std::string actor = "system";
  unsigned threads = 2;
  // Called from the calling thread now and then: (done, total) queries.
  std::function<void(size_t done, size_t total)> progress;
  // Entity content hash for hits from the all-lists screener, by (list, id).
  // Unset: "version:<list version>".
  std::function<std::string(const std::string& list, const std::string& id)> entity_hash;
};

struct RescreenReport {
  size_t counterparties = 0;                // in the register
  size_t new_counterparties = 0;            // screened against all lists
  size_t changed_entities = 0;              // screened against all counterparties
  size_t queries = 0;                       // screenings run
  std::vector<store::AlertInput> proposed;  // every potential match and hit found
  size_t raised = 0, suppressed = 0, duplicates = 0;
  int64_t record_id = 0;
  std::vector<std::pair<std::string, double>> timings;  // phase -> wall seconds
};

// `all_lists` screens new counterparties; null leaves them for a later run
// (they stay "new"). `make_mini` may be null when no update has changes.
Result<RescreenReport> Rescreen(store::Store& store, const std::vector<ListUpdate>& updates,
                                const screening::PartyScreener* all_lists,
                                const MiniScreenerFactory& make_mini,
                                const RescreenOptions& options = {});

// Turns screening hits of one counterparty into alert inputs (every match in
// `result`, whose scores are at or above the screener's review threshold).
std::vector<store::AlertInput> AlertsFor(
    const store::Counterparty& c, const screening::ScreeningResult& result,
    const std::function<std::string(const std::string&, const std::string&)>& entity_hash,
    const std::string& source);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_RESCREEN_H_
