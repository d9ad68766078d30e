// JSON for the authority's documents: record payloads, API and CLI input and
// output. Parsers never throw; bad input gives InvalidArgument
// "<name>: <JSON path>: <expectation>". An input may omit `id` (assigned on
// recording).
#ifndef DUALUSE_AUTHORITY_CODEC_H_
#define DUALUSE_AUTHORITY_CODEC_H_

#include <string>
#include <string_view>

#include "dualuse/authority/types.h"
#include "dualuse/base/result.h"

namespace dualuse::authority {

std::string ToJson(const Application& a);
std::string ToJson(const CriteriaAssessment& a);
std::string ToJson(const Consultation& c);
std::string ToJson(const Decision& d);
std::string ToJson(const Licence& l);
std::string ToJson(const Booking& b);
std::string ToJson(const Denial& d);

Result<Application> ApplicationFromJson(std::string_view json, const std::string& name);
Result<CriteriaAssessment> AssessmentFromJson(std::string_view json, const std::string& name);
Result<Consultation> ConsultationFromJson(std::string_view json, const std::string& name);
Result<Decision> DecisionFromJson(std::string_view json, const std::string& name);
Result<Licence> LicenceFromJson(std::string_view json, const std::string& name);
Result<Booking> BookingFromJson(std::string_view json, const std::string& name);
Result<Denial> DenialFromJson(std::string_view json, const std::string& name);

// A filing, `dualuse.authority-filing/1`: the exporter's assessment request
// (spec section 2) and the determination it got (section 3), plus what the
// authority needs beyond them:
//   {"schema": "dualuse.authority-filing/1",
//    "request": {...}, "determination": {...},
//    "classification_records": {"<item id>": "<record id>"},
//    "reviews": [{"party": 0, "decision": "dismissed", "reason": "..."}],
//    "due_diligence": [{"question": "...", "answer": "..."}],
//    "licence_type": "individual" | "global"}
// The verdict decides the kind: licence_required -> application,
// notify_authority -> notification; any other verdict is FailedPrecondition
// (nothing to file). The id is left empty.
Result<Application> ApplicationFromFiling(std::string_view json, const std::string& name);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_CODEC_H_
