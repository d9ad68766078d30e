#include "dualuse/base/status.h"

namespace dualuse {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kAlreadyExists:
      return "already exists";
    case StatusCode::kFailedPrecondition:
      return "failed precondition";
    case StatusCode::kDataLoss:
      return "data loss";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::WithPrefix(std::string_view prefix) const {
  if (ok()) return *this;
  Status s(code_, std::string(prefix) + ": " + message_);
  s.error_code_ = error_code_;
  return s;
}

Status Status::WithCode(std::string error_code) const {
  if (ok()) return *this;
  Status s = *this;
  s.error_code_ = std::move(error_code);
  return s;
}

int Status::ExitCode() const {
  switch (code_) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kDataLoss:
      return 2;
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return 1;
  }
  return 1;
}

}  // namespace dualuse
