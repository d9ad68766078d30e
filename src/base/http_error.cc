#include "dualuse/base/http_error.h"

#include <string_view>

namespace dualuse {
namespace {

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

bool IsApiCode(std::string_view c) {
  static constexpr std::string_view kCodes[] = {
      "not_ready",         "too_many_queries", "dataset_not_found", "entity_not_found",
      "store_unavailable", "too_deep",         "too_many_names",    "malformed_json"};
  for (std::string_view k : kCodes) {
    if (c == k) return true;
  }
  return false;
}

}  // namespace

const char* HttpErrorCode(int http_status) {
  switch (http_status) {
    case 400:
      return "invalid_request";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

HttpError HttpErrorFor(const Status& s) {
  if (s.ok()) return {200, "ok", ""};
  HttpError e{HttpStatusOf(s.code()), HttpErrorCode(HttpStatusOf(s.code())), s.message()};
  if (!s.error_code().empty()) {
    e.code = s.error_code();
    return e;
  }
  size_t colon = s.message().find(": ");
  if (colon != std::string::npos && IsApiCode(std::string_view(s.message()).substr(0, colon))) {
    e.code = s.message().substr(0, colon);
    e.message = s.message().substr(colon + 2);
  }
  return e;
}

}  // namespace dualuse
