// The imported list versions of a data directory, until the store
// (include/dualuse/store/) takes them over with an audit trail.
//
// Layout: <data-dir>/lists/<list-id>/<date>-<sha256[0:12]>.<ext> (a directory
// of the same name for an OFAC CSV trio) and <data-dir>/lists/manifest.json,
// written atomically (temporary file + rename) under an exclusive lock
// (<data-dir>/lists/.lock, flock), so a reader never sees a half-written
// manifest and two importers never lose each other's entries.
#ifndef DUALUSE_LISTS_REGISTRY_H_
#define DUALUSE_LISTS_REGISTRY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/lists/list.h"

namespace dualuse::lists {

// One imported version, as the manifest records it.
struct VersionRecord {
  std::string list_id;
  std::string format;  // ListFormatName
  std::string publisher;
  std::string date;  // the list's own date, YYYY-MM-DD; "" when the file carries none
  std::string date_source;
  std::string version;  // date, or "undated:<sha256[0:12]>"
  std::string sha256;
  std::string file;         // relative to <data-dir>/lists
  std::string origin;       // the path or URL it was imported from
  std::string imported_at;  // UTC, YYYY-MM-DDTHH:MM:SSZ
  long entity_count = 0;
  long skipped_rows = 0;   // records of the file left out (ListVersion::skipped)
  long warning_count = 0;  // ListVersion::warnings
  std::string import_id;   // shared by the versions of one ImportAll
  // The shrink guard's figures against the version it replaces (same list,
  // latest dated on or before this one): that version's entity count (-1:
  // none), how many of its entity ids are gone, and whether --allow-shrink
  // let a refused shrink through.
  long previous_entities = -1;
  long removed_entities = 0;
  bool shrink_allowed = false;
};

// The day from which a version is in force: its date, or for an undated
// version the day it was imported (the file existed then; nothing is known
// about before).
std::string InForceFrom(const VersionRecord& r);

struct ImportOptions {
  // An import that removes more than this share of the entity ids of the
  // version it replaces, or leaves the list empty, is refused
  // (kFailedPrecondition) unless allow_shrink. A list the catalogue marks
  // may_be_empty (an EU act whose annex lists no one) may be empty when it
  // replaces nothing that was not.
  double max_shrink = 0.10;
  bool allow_shrink = false;
  // Writes the audit records of the new versions, all or none (the store's
  // AppendBatch), called under the registry's lock once the files are in
  // place and before the manifest names them. An error aborts the import.
  std::function<Status(const std::vector<VersionRecord>&)> record;
  // Whether the import `import_id` was recorded (for Recover).
  std::function<Result<bool>(const std::string& import_id)> recorded;
  // Origins, one per version (default: each version's path).
  std::vector<std::string> origins;
};

struct ImportOutcome {
  VersionRecord record;
  bool imported = false;  // false: this content was already imported (nothing written)
};

// The record as one JSON object whose keys are the field names above
// ("list_id", "format", ..., "entity_count"): what the store's audit record
// of an import (store::RecordListImport) keeps.
std::string VersionRecordJson(const VersionRecord& r);

// Removes the compiled list snapshots (snapshot-*.bin) of a registry's
// directory; ImportAll does after each commit. Best effort: a file that
// cannot be removed stays (a snapshot names the versions it was built from,
// so a stale one is never used).
void RemoveListSnapshots(const std::string& lists_dir);

class ListRegistry {
 public:
  explicit ListRegistry(std::string data_dir);

  // Copies an already parsed list (`version.path` is its file or directory)
  // into the registry and records it. Importing the same list and content
  // hash again returns the existing record and writes nothing.
  // `origin` defaults to version.path. ImportAll with default options.
  Result<VersionRecord> Import(const ListVersion& version, const std::string& origin = "");

  // Imports several versions all or nothing, under the registry's lock:
  // recovers an interrupted import first (Recover), checks every version
  // against the shrink guard, copies the files, writes the manifest to
  // manifest.pending.json, calls options.record, then renames the pending
  // manifest over manifest.json (the commit). A process killed at any point
  // leaves the old manifest or the new one; the audit records exist iff the
  // commit happened or Recover rolls it forward.
  Result<std::vector<ImportOutcome>> ImportAll(const std::vector<const ListVersion*>& versions,
                                               const ImportOptions& options);

  // Finishes or undoes an import interrupted between its audit record and
  // its commit: a manifest.pending.json whose import was recorded
  // (`recorded`) becomes the manifest; one that was not is removed. Without
  // `recorded`, the pending manifest is left for a caller that has the store.
  Status Recover(const std::function<Result<bool>(const std::string&)>& recorded);

  // Every recorded version, sorted by list id, then date, then import time.
  Result<std::vector<VersionRecord>> Versions() const;

  // The version of `list_id` in force on `as_of`: the one with the latest
  // InForceFrom <= as_of (the latest imported among equal days).
  // kNotFound when there is none.
  Result<VersionRecord> Current(const std::string& list_id, const Date& as_of) const;

  // Loads the in-force version of every list on `as_of` (lists with no
  // version on that date are left out). Empty vector when nothing is imported.
  Result<std::vector<ListVersion>> LoadAllCurrent(const Date& as_of) const;

  // Loads one recorded version from its stored file.
  Result<ListVersion> Load(const VersionRecord& record) const;

  // Finds a version by "<list-id>@<date>" or "<list-id>@<sha256 prefix>" or
  // "<list-id>" (the newest). kNotFound when none, kInvalidArgument when ambiguous.
  Result<VersionRecord> Find(const std::string& ref) const;

  const std::string& lists_dir() const { return lists_dir_; }

 private:
  std::string lists_dir_;
};

}  // namespace dualuse::lists

#endif  // DUALUSE_LISTS_REGISTRY_H_
