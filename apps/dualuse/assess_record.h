// What `dualuse assess` does with the store: applies confirmed matches from
// the review queue to the determinations, and records every determination
// (Article 27 of Regulation (EU) 2021/821: records kept at least five years).
#ifndef DUALUSE_APPS_ASSESS_RECORD_H_
#define DUALUSE_APPS_ASSESS_RECORD_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dualuse/base/status.h"
#include "dualuse/rules/determination.h"
#include "dualuse/rules/request.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {

// For every party with a confirmed match in the review queue, adds a finding:
// a confirmed EU or UN asset-freeze listing makes the determination
// prohibited; any other confirmed listing requires review (spec section 3).
Status ApplyConfirmedMatches(store::Store& store, const rules::AssessmentRequest& request,
                             rules::Determination* determination);

// For a notify_authority determination of a request carrying a due-diligence
// record (resolved by classify::ResolveRecordReferences), sets
// determination->notification: the notification to the competent authority
// under the provision the due-diligence finding cites, carrying the record.
Status AttachNotification(const nlohmann::json& resolved_request,
                          rules::Determination* determination);

// Writes one assessment record per (request, determination), registering
// the parties as counterparties and raising review items.
Status RecordAssessments(store::Store& store, const std::vector<rules::AssessmentRequest>& requests,
                         const std::vector<rules::Determination>& determinations,
                         const std::string& actor);

}  // namespace dualuse::cli

#endif  // DUALUSE_APPS_ASSESS_RECORD_H_
