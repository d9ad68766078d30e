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
  std::string date;  // the list's own date, YYYY-MM-DD
  std::string date_source;
  std::string sha256;
  std::string file;         // relative to <data-dir>/lists
  std::string origin;       // the path or URL it was imported from
  std::string imported_at;  // UTC, YYYY-MM-DDTHH:MM:SSZ
  long entity_count = 0;
};

// The record as one JSON object whose keys are the field names above
// ("list_id", "format", ..., "entity_count"): what the store's audit record
// of an import (store::RecordListImport) keeps.
std::string VersionRecordJson(const VersionRecord& r);

class ListRegistry {
 public:
  explicit ListRegistry(std::string data_dir);

  // Copies an already parsed list (`version.path` is its file or directory)
  // into the registry and records it. Importing the same list and content
  // hash again returns the existing record and writes nothing.
  // `origin` defaults to version.path.
  Result<VersionRecord> Import(const ListVersion& version, const std::string& origin = "");

  // Every recorded version, sorted by list id, then date, then import time.
  Result<std::vector<VersionRecord>> Versions() const;

  // The version of `list_id` in force on `as_of`: the one with the latest
  // list date <= as_of (the latest imported among equal dates).
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
