// Downloading the official list files from their publishers (libcurl) and
// importing each into a ListRegistry once it parses.
#ifndef DUALUSE_LISTS_UPDATE_H_
#define DUALUSE_LISTS_UPDATE_H_

#include <functional>
#include <string>
#include <vector>

#include "dualuse/base/status.h"
#include "dualuse/lists/registry.h"

namespace dualuse::lists {

struct UpdateOptions {
  // Only these list ids (default: the "update" set of data/lists-sources.json).
  std::vector<std::string> only;
  // When set, each list is fetched from <source_base>/<file> instead of its
  // official URL (tests, mirrors). No trailing slash needed.
  std::string source_base;
  long timeout_seconds = 300;
  // Called during a download with (list id, bytes so far, total or -1).
  std::function<void(const std::string&, long long, long long)> progress;
};

struct UpdateOutcome {
  std::string list_id;
  std::string url;
  Status status;          // OK, or why this list was left as it was
  bool imported = false;  // false also when the content was already imported
  VersionRecord record;   // when status is OK
};

// For each list: downloads to a temporary file under <lists>/.download/,
// parses it with LoadList, and only then imports it (Import is atomic). A
// failed or malformed download leaves the current version in place and is
// reported in its outcome; the other lists still update. The returned vector
// has one outcome per list attempted.
std::vector<UpdateOutcome> UpdateLists(ListRegistry& registry, const UpdateOptions& options);

}  // namespace dualuse::lists

#endif  // DUALUSE_LISTS_UPDATE_H_
