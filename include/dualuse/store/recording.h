// Hooks that turn what a command did into records (and review items).
//
// `dualuse assess` calls RecordAssessment once per request it answered,
// `dualuse screen` RecordScreening once per run, `dualuse lists import`
// RecordListImport once per imported version. Each writes one hash-chained
// record (kind assessment / screening / list_import) and, for assessments,
// registers the parties as counterparties and raises a review item for each
// potential match, hit and red flag of the determination.
#ifndef DUALUSE_STORE_RECORDING_H_
#define DUALUSE_STORE_RECORDING_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/store/store.h"

namespace dualuse::store {

struct RecordingOptions {
  // Content hash of a listed entity (EntityContentHash), by list and entity
  // id; when unset, the list version stands in (a dismissal then holds until
  // the next version of that list).
  std::function<std::string(const std::string& list, const std::string& entity_id)> entity_hash;
};

struct AssessmentRecorded {
  Record record;
  int alerts_raised = 0;
  std::vector<int64_t> counterparty_ids;  // per request party, in order
};

// request_json: a dualuse.assessment/1 document; determination_json: the
// dualuse.determination/1 the engine gave for it. The record keeps the
// request as inputs and the determination (with as_of and data_versions) as
// outputs; subject is the request's reference. kInvalidArgument when either
// is not JSON of the expected shape.
Result<AssessmentRecorded> RecordAssessment(Store& store, const std::string& request_json,
                                            const std::string& determination_json,
                                            const std::string& actor,
                                            const RecordingOptions& options = {});

// A screening run: the queries (JSON) and the results (JSON), with the list
// versions used (list id -> version).
Result<Record> RecordScreening(Store& store, const std::string& queries_json,
                               const std::string& results_json,
                               const std::map<std::string, std::string>& list_versions,
                               const std::string& actor);

// One imported list version: its id, date, sha256, format, origin, entity
// count, as a JSON object (lists::VersionRecord fields).
Result<Record> RecordListImport(Store& store, const std::string& version_json,
                                const std::string& actor);

// The versions of one multi-file import, one record each, in one transaction
// (all or none). The subject is "<list_id>@<version>" (version: the list's
// date, or "undated:<sha256 prefix>").
Result<std::vector<Record>> RecordListImports(Store& store,
                                              const std::vector<std::string>& version_jsons,
                                              const std::string& actor);

// The outputs of the newest record of `kind` about `subject` (e.g. a
// classification record "CR-..." stored by POST /classify/records), nullopt
// when there is none. Used to resolve references in assessment requests.
Result<std::optional<std::string>> LatestRecordOutputs(Store& store, const std::string& kind,
                                                       const std::string& subject);

// The actor for records written by the CLI: $DUALUSE_ACTOR, else
// "cli:" + the login name, else "cli".
std::string DefaultActor();

}  // namespace dualuse::store

#endif  // DUALUSE_STORE_RECORDING_H_
