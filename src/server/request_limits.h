// Bounds on the work one HTTP request may cause (docs/security.md, "Limits").
//
// Contract:
//  - ParseBoundedJson() is the one way an HTTP body becomes a document: it
//    measures the nesting first (JsonDepth, dualuse/base/json_depth.h: one
//    pass, no recursion), so a body nested 80,000 levels deep costs O(n)
//    and never reaches the parser, the record serialiser or any recursive
//    walk.
//  - CheckScreeningWork() counts the names (name, aliases, first/last
//    names) and their characters in a /screen or /match body, the
//    quantities screening time grows with, and refuses bodies over the
//    per-party and per-request bounds.
#ifndef DUALUSE_SRC_SERVER_REQUEST_LIMITS_H_
#define DUALUSE_SRC_SERVER_REQUEST_LIMITS_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "dualuse/base/result.h"

namespace dualuse::server {

struct RequestLimits {
  int max_json_depth = 32;            // arrays and objects nested in a body
  size_t max_aliases_per_party = 50;  // aliases of one party or query
  size_t max_names = 500;             // names and aliases in one request
  size_t max_name_chars = 100000;     // bytes of all names and aliases in one request
  size_t max_name_bytes = 1000;       // one alias (names are checked by the handlers)
};

// Status codes: kInvalidArgument with error code malformed_json (not JSON) or
// too_deep (nested deeper than `max_depth`).
Result<nlohmann::json> ParseBoundedJson(std::string_view text, int max_depth);

// What a screening body asks for.
struct ScreeningWork {
  size_t names = 0;  // names and aliases
  size_t chars = 0;  // their bytes
};

// Counts the names of a /screen body (`match` false: {"name", "aliases"} or
// {"parties": [...]}) or a /match body (`match` true: yente's queries with
// properties name, alias, firstName, lastName, ...). kInvalidArgument
// "too_many_names: ..." when a bound of `limits` is exceeded; shapes the
// handlers refuse anyway are counted as far as they go and left to them.
Result<ScreeningWork> CheckScreeningWork(const nlohmann::json& body, bool match,
                                         const RequestLimits& limits);

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_REQUEST_LIMITS_H_
