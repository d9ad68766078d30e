// Reading JSON documents with one-line errors "<file>: <JSON path>: <expectation>"
// (spec section 7). Data files fail with kDataLoss, user input with
// kInvalidArgument; both exit with code 2.
#ifndef DUALUSE_SRC_CLASSIFY_JSON_READER_H_
#define DUALUSE_SRC_CLASSIFY_JSON_READER_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"

namespace dualuse::classify {

class JsonReader {
 public:
  JsonReader(std::string file, StatusCode code) : file_(std::move(file)), code_(code) {}

  Status Fail(const std::string& place, const std::string& expectation) const {
    return Status(code_, file_ + ": " + place + ": " + expectation);
  }
  // Parses `text`; the document must be an object.
  Result<nlohmann::json> Parse(std::string_view text) const;
  // Required/optional members. Optional ones return "" / empty / nullopt when absent or null.
  Result<std::string> Str(const nlohmann::json& obj, const std::string& place, const char* key,
                          bool required) const;
  Result<std::vector<std::string>> StrArray(const nlohmann::json& obj, const std::string& place,
                                            const char* key, bool required) const;
  Result<std::optional<bool>> Bool(const nlohmann::json& obj, const std::string& place,
                                   const char* key, bool required) const;
  // Member that must be an object / array (nullptr when optional and absent).
  Result<const nlohmann::json*> Object(const nlohmann::json& obj, const std::string& place,
                                       const char* key, bool required) const;
  Result<const nlohmann::json*> Array(const nlohmann::json& obj, const std::string& place,
                                      const char* key, bool required) const;
  // A string member whose value must be one of `allowed`.
  Result<std::string> Enum(const nlohmann::json& obj, const std::string& place, const char* key,
                           const std::vector<std::string>& allowed, bool required) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  StatusCode code_;
};

// Reads a whole file; kNotFound / kInvalidArgument-style error naming it.
Result<std::string> ReadFileText(const std::string& path, StatusCode code_when_missing);

// "a, b or c" for messages.
std::string JoinAlternatives(const std::vector<std::string>& values);

}  // namespace dualuse::classify

#endif  // DUALUSE_SRC_CLASSIFY_JSON_READER_H_
