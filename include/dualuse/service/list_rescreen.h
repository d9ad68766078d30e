// Re-screening wired to the imported lists (lists::ListRegistry) and the
// matcher (screening::ListScreener): what `dualuse rescreen` runs.
#ifndef DUALUSE_SERVICE_LIST_RESCREEN_H_
#define DUALUSE_SERVICE_LIST_RESCREEN_H_

#include <memory>
#include <string>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"
#include "dualuse/service/rescreen.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// The matcher options re-screening uses: the engine's thresholds, and room
// for every entity a counterparty resembles (not only the best five).
screening::EngineOptions RescreenEngineOptions();

// A screener over the changed entities of `updates` (a mini list each).
Result<std::unique_ptr<screening::PartyScreener>> MakeMiniScreener(
    const std::vector<ListUpdate>& updates);

// The added and changed (new content) entities of a diff.
ListUpdate UpdateFromDiff(const lists::ListDiff& diff, const std::string& list,
                          const std::string& old_version, const std::string& new_version);

// The version string the store keeps per list: "<date>@<sha256[0:12]>".
std::string ListVersionTag(const std::string& date, const std::string& sha256);

struct RescreenRun {
  RescreenReport report;
  std::vector<ListUpdate> updates;  // what changed, per list (entities omitted)
};

// For every list imported in <data_dir> (its version in force on `as_of`):
// diffs it against the version the store last re-screened, screens the
// changed entities against all counterparties and new counterparties
// against all lists. A list never re-screened before counts as all new.
Result<RescreenRun> RescreenFromRegistry(store::Store& store, const std::string& data_dir,
                                         const Date& as_of, const RescreenOptions& options);

// The same for two list files given directly (`--old`, `--new`): the new one
// also serves as "all lists" for new counterparties.
Result<RescreenRun> RescreenFromFiles(store::Store& store, const std::string& old_path,
                                      const std::string& new_path, const RescreenOptions& options);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_LIST_RESCREEN_H_
