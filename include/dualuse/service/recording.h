// Hooks that turn what a command did into records. `dualuse screen` calls
// RecordScreening once per run, `dualuse lists import` RecordListImport once
// per imported version; each writes one hash-chained record (kind screening /
// list_import). Assessments are recorded by assessment_record.h.
#ifndef DUALUSE_SERVICE_RECORDING_H_
#define DUALUSE_SERVICE_RECORDING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// A screening run: the queries (JSON) and the results (JSON), with the list
// versions used (list id -> version), and its review items
// (screening_record.h) raised in the same transaction.
Result<store::Record> RecordScreening(store::Store& store, const std::string& queries_json,
                                      const std::string& results_json,
                                      const std::map<std::string, std::string>& list_versions,
                                      const std::string& actor,
                                      const std::vector<store::AlertInput>& review_items = {});

// One imported list version: its id, date, sha256, format, origin, entity
// count, as a JSON object (lists::VersionRecord fields).
Result<store::Record> RecordListImport(store::Store& store, const std::string& version_json,
                                       const std::string& actor);

// The versions of one multi-file import, one record each, in one transaction
// (all or none). The subject is "<list_id>@<version>" (version: the list's
// date, or "undated:<sha256 prefix>").
Result<std::vector<store::Record>> RecordListImports(store::Store& store,
                                                     const std::vector<std::string>& version_jsons,
                                                     const std::string& actor);

// The outputs of the newest record of `kind` about `subject` (e.g. a
// classification record "CR-..." stored by POST /classify/records), nullopt
// when there is none. Used to resolve references in assessment requests.
Result<std::optional<std::string>> LatestRecordOutputs(store::Store& store, const std::string& kind,
                                                       const std::string& subject);

// The actor for records written by the CLI: $DUALUSE_ACTOR, else
// "cli:" + the login name, else "cli".
std::string DefaultActor();

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_RECORDING_H_
