// Status: the outcome of an operation that can fail, as a value.
//
// No exception crosses the libdualuse API. A function that can fail returns a
// Status (or a Result<T>, see result.h). Codes are a short closed list in the
// spirit of leveldb's; the message is one line a person can act on. For bad
// input the message names the file, the place and what was expected
// (docs/spec.md section 7), e.g.
//   request.json: $.items[0].control_entries[1]: "5A01.j" is not an Annex I entry
// A Status may also carry an error code, a machine-readable name finer than
// StatusCode (e.g. "too_deep"), which HTTP answers report as error.code; it is
// not part of the message.
#ifndef DUALUSE_BASE_STATUS_H_
#define DUALUSE_BASE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace dualuse {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad usage or bad input: exit code 2
  kNotFound,            // a named thing does not exist: exit code 2
  kAlreadyExists,       // exit code 2
  kFailedPrecondition,  // the store or data is not in the state required: exit code 2
  kDataLoss,            // corrupt legal data, list file or database: exit code 2
  kUnavailable,         // database down, network unreachable: exit code 1
  kInternal,            // a bug or an environmental failure: exit code 1
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The machine-readable error code ("" when none was given).
  const std::string& error_code() const { return error_code_; }

  // Returns a copy carrying `error_code` (e.g. "too_deep"); the code and
  // message are unchanged. An OK status stays OK without a code.
  Status WithCode(std::string error_code) const;

  // "invalid argument: <message>" etc.; "OK" for success.
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>" (e.g. the file
  // name); the error code is kept.
  Status WithPrefix(std::string_view prefix) const;

  // The process exit code the spec (section 1) assigns to this status:
  // 0 for OK, 2 for bad usage or input, 1 for internal or environmental failures.
  int ExitCode() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string error_code_;
};

const char* StatusCodeName(StatusCode code);

}  // namespace dualuse

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define DU_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::dualuse::Status du_status_ = (expr);   \
    if (!du_status_.ok()) return du_status_; \
  } while (false)

#endif  // DUALUSE_BASE_STATUS_H_
