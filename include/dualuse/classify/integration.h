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

#include <nlohmann/json.hpp>
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
// annex_version} to items[i].classification_records.
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

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_INTEGRATION_H_
