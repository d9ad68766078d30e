// The HTTP answer for a failed Status: the one mapping the server and the
// licensing authority's API use (docs/spec.md, "Errors"; web/openapi.json
// Error). The body is {"error": {"code": <code>, "message": <message>}}.
#ifndef DUALUSE_BASE_HTTP_ERROR_H_
#define DUALUSE_BASE_HTTP_ERROR_H_

#include <string>

#include "dualuse/base/status.h"

namespace dualuse {

struct HttpError {
  int status;           // HTTP status
  std::string code;     // error.code
  std::string message;  // error.message
};

// InvalidArgument 400 invalid_request, NotFound 404 not_found, AlreadyExists
// and FailedPrecondition 409 conflict, Unavailable 503 unavailable, DataLoss
// and Internal 500 internal; OK is 200 "ok". The Status's error code
// (Status::WithCode, e.g. "too_deep") replaces the code; so does a message
// starting with "<code>: " for one of the API's codes (not_ready,
// too_many_queries, dataset_not_found, entity_not_found, store_unavailable,
// too_deep, too_many_names, malformed_json), which is then cut from the message.
HttpError HttpErrorFor(const Status& status);

// The error code of an HTTP status the handlers answer by number: 400
// invalid_request, 403 forbidden, 404 not_found, 405 method_not_allowed,
// 409 conflict, 503 unavailable, anything else internal.
const char* HttpErrorCode(int http_status);

}  // namespace dualuse

#endif  // DUALUSE_BASE_HTTP_ERROR_H_
