// What the batch commands (`assess`, `screen`) share: reading input line by
// line without holding it all, the error object that answers a bad line in
// its place, and --fail-on (spec section 8).
//
// Exit codes of `assess` and `screen` (docs/spec-extensions.md):
//   0  every request answered
//   1  an internal error or an unreachable store (nothing more is answered)
//   2  unusable input as a whole (a single invalid request, a file that is
//      not JSON or CSV, bad options): nothing is answered
//   3  all answered, and some answer has a verdict or status of --fail-on
//   4  the batch ran, some lines were rejected and answered by an error
//      object; the others were answered and recorded (3 wins over 4)
#ifndef DUALUSE_APPS_BATCH_H_
#define DUALUSE_APPS_BATCH_H_

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/base/status.h"

namespace dualuse::cli {

inline constexpr int kExitFailOn = 3;
inline constexpr int kExitSomeRejected = 4;

// Reads a file (or stdin for "-") line by line through a buffer of its own.
class LineReader {
 public:
  static Result<LineReader> Open(const std::string& path);
  LineReader(LineReader&& other) noexcept;
  LineReader& operator=(LineReader&&) = delete;
  ~LineReader();

  // The next line without its "\n" (and "\r"); false at the end of input.
  bool Next(std::string* line);
  // Everything not read yet.
  std::string Rest();
  // The line number of the line Next() returned last (1-based).
  size_t line_number() const { return line_; }
  // True when the next Next() would wait for input (a pipe or terminal with
  // nothing buffered): the time to write out answers held back.
  bool WouldBlock();

 private:
  LineReader(int fd, bool owned) : fd_(fd), owned_(owned) {}
  bool Fill();
  int fd_;
  bool owned_;
  bool eof_ = false;
  std::string buf_;
  size_t pos_ = 0;
  size_t line_ = 0;
};

// The answer to a rejected line: {"line": N, "error": {"code":
// "invalid_request", "path": "$...", "message": "..."}}. `status` is the
// parser's error "<name>: $.path: <expectation>"; `name` is stripped.
nlohmann::ordered_json LineError(size_t line, const Status& status, const std::string& name);

// --fail-on: comma-separated words, each one of `allowed`; kInvalidArgument
// naming the first unknown one.
Result<std::set<std::string>> ParseFailOn(const std::string& text,
                                          const std::vector<std::string>& allowed);

// Writes to stdout in large blocks; Flush() writes out and flushes.
class OutputBuffer {
 public:
  ~OutputBuffer() { Flush(); }
  void Write(const std::string& s) {
    buf_ += s;
    if (buf_.size() > (1 << 16)) Flush();
  }
  bool Flush();

 private:
  std::string buf_;
};

}  // namespace dualuse::cli

#endif  // DUALUSE_APPS_BATCH_H_
