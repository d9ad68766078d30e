// How classification and due-diligence records feed `dualuse assess`.
//
// The assessment request (spec section 2, dualuse.assessment/1) is taken and
// returned as JSON so that the rules module needs nothing from classify but
// these calls. Intended use in `assess`, before the rules run:
//
//   for each items[i] with "classification_record": "CR-..." (a reference) or
//   an embedded record object: load it (LoadClassificationRecord), then
//   request = ApplyClassificationRecord(request, record, items[i].id);
//   if the request has "due_diligence": "<path>" or an embedded record:
//   request = ApplyDueDiligence(request, ParseDueDiligence(...)).
//
// The returned request carries what the records established (control_entries,
// cyber_surveillance, knowledge) and, for citation in the determination,
// items[i].classification_records[] and due_diligence{...} with ids and hashes.
#ifndef DUALUSE_CLASSIFY_INTEGRATION_H_
#define DUALUSE_CLASSIFY_INTEGRATION_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dualuse/base/result.h"
#include "dualuse/classify/decision_tree.h"
#include "dualuse/classify/due_diligence.h"

namespace dualuse::classify {

// Applies a classification record to the item `item_id` (empty: the record's
// item id, else the request's only item).
//   listed                      -> control_entries := record entries (plus other entries kept)
//   not_listed                  -> entries within what the tree examined are removed; a missing
//                                  control_entries becomes [] (assessed as not listed)
//   cyber_surveillance_item /
//   not_cyber_surveillance_item -> cyber_surveillance := true / false
//   refer                       -> kFailedPrecondition (the record does not classify the item)
// Appends {id, tree, tree_version, outcome, entries, cyber_surveillance, who, when,
// annex_version, record_sha256} to items[i].classification_records; record_sha256 is the
// SHA-256 of RecordToJson(record) (the canonical form `classify ask --save` stores, without
// the final newline).
// kInvalidArgument when the request is not an assessment request or the item is unknown.
Result<nlohmann::json> ApplyClassificationRecord(const nlohmann::json& request,
                                                 const ClassificationRecord& record,
                                                 std::string_view item_id = "");

// Merges KnowledgeFromDueDiligence(record) into request.knowledge (union of
// values) and sets request.due_diligence = {reference, conclusion, concerns,
// date, prepared_by, record_sha256, record}. kInvalidArgument when the record's
// reference differs from the request's.
Result<nlohmann::json> ApplyDueDiligence(const nlohmann::json& request,
                                         const DueDiligenceRecord& record);

// Reads a stored classification record: `ref` is a file path, or an id "CR-..."
// looked up as <records_dir>/<id>.json.
Result<ClassificationRecord> LoadClassificationRecord(const std::string& ref,
                                                      const std::string& records_dir);

// Where ResolveRecordReferences looks for records, and what it accepts.
struct ResolveOptions {
  std::string records_dir;       // <data-dir>/classification-records: "CR-..." ids are read here
  std::string base_dir;          // relative paths are read from here ("" = working directory)
  bool allow_paths = true;       // false (HTTP): only ids and embedded records, no file paths
  std::string name = "request";  // the request's name in error messages (its file name)
  // Consulted first for a "CR-..." id (e.g. the server's store, where POST
  // /classify/records keeps records): the stored record's JSON text, nullopt
  // when it has none. The record is checked against its id (RecordFromJson).
  std::function<Result<std::optional<std::string>>(const std::string& id)> find_record;
};

// Resolves the record references of an assessment request (spec section 2
// extension, docs/classification.md) before the rules run:
//   items[i].classification_record: "CR-<16 hex>" (looked up in records_dir),
//     a path to a dualuse.classification/1 file, an embedded record object,
//     or an array of these -> ApplyClassificationRecord for item i
//     (items[i].classification_records[] gets the citations);
//   due_diligence: a path to a dualuse.due-diligence/1 file or an embedded
//     record -> ApplyDueDiligence (request.due_diligence gets the citation and
//     the record). An already resolved due_diligence ({..., "record_sha256",
//     "record"}) is resolved again from its record, and the hash must match.
// A request without references comes back unchanged. A bad reference is
// kInvalidArgument "<name>: $.items[0].classification_record: <expectation>"
// (or $.due_diligence...). A request that is not an object, or has no items
// array, is returned unchanged (the request parser reports it).
Result<nlohmann::json> ResolveRecordReferences(const nlohmann::json& request,
                                               const ResolveOptions& options);
Result<nlohmann::json> ResolveRecordReferences(const nlohmann::json& request,
                                               const std::string& records_dir);

// What the notification needs from the determination.
struct NotificationContext {
  std::string verdict;    // the determination's verdict ("notify_authority", ...)
  std::string basis;      // the provision the notification is made under, as the
                          // determination cites it (from the law data); "" = the default
  std::string authority;  // the competent authority, "" when unknown
};

// The notification to the competent authority (dualuse.notification/1 JSON
// text, NotificationJson) carrying the due-diligence record of a resolved
// request, when the verdict is notify_authority and the record concludes
// "aware" or "suspect"; "" otherwise. The exporter is request.exporter.name.
Result<std::string> NotificationFor(const nlohmann::json& resolved_request,
                                    const NotificationContext& context);

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_INTEGRATION_H_
