// JSON for requests and determinations (docs/spec.md sections 2, 3, 7).
// Only this header pulls in nlohmann/json_fwd.hpp; the types themselves are in
// request.h and determination.h.
#ifndef DUALUSE_RULES_CODEC_H_
#define DUALUSE_RULES_CODEC_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "dualuse/base/result.h"
#include "dualuse/rules/determination.h"
#include "dualuse/rules/request.h"

namespace dualuse::rules {

// Parses one "dualuse.assessment/1" document. Checks structure, types, enum
// values, dates, and the shape of country codes and control entries; the
// law-dependent checks (country exists, Annex I entry exists) are
// Engine::Validate. Errors are kInvalidArgument with the message
// "<name>: $.items[0].kind: expected one of goods, software, technology".
// Unknown members are ignored (the contract may grow).
Result<AssessmentRequest> ParseRequest(const nlohmann::json& j, std::string_view name);
// As above, from JSON text.
Result<AssessmentRequest> ParseRequestText(std::string_view text, std::string_view name);

// The request back as JSON (for the store and replay).
nlohmann::ordered_json ToJson(const AssessmentRequest& r);
nlohmann::ordered_json ToJson(const Determination& d);
std::string ToJsonString(const Determination& d, int indent = -1);

// The readable report: verdict, reasons with citations, authorisations,
// screening, obligations, caveats.
std::string ToText(const Determination& d);

}  // namespace dualuse::rules

#endif  // DUALUSE_RULES_CODEC_H_
