// Path-aware JSON field reading for the authority's parsers (private).
// Errors read "<name>: <path>: <expectation>" (spec section 7); the first
// error wins and later reads are no-ops returning defaults.
#ifndef DUALUSE_SRC_AUTHORITY_JSON_UTIL_H_
#define DUALUSE_SRC_AUTHORITY_JSON_UTIL_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"

namespace dualuse::authority::internal {

using Json = nlohmann::json;

// Parses `text`; InvalidArgument "<name>: $: not valid JSON (...)" otherwise.
Result<Json> ParseJson(std::string_view text, const std::string& name);

class Fields {
 public:
  // `obj` must be a JSON object (an error is recorded otherwise).
  Fields(const Json& obj, std::string path, std::string name);

  std::string Str(const char* key, bool required = false);
  double Num(const char* key, bool required = false, double def = 0);
  std::optional<double> OptNum(const char* key);
  bool Bool(const char* key, bool def = false);
  Date DateField(const char* key, bool required = true);
  std::optional<Date> OptDate(const char* key);
  std::vector<std::string> StrList(const char* key, bool required = false);
  // The array under `key`, or nullptr when absent (an error if required or
  // present but not an array).
  const Json* Array(const char* key, bool required = false);
  // The object under `key`, or nullptr when absent.
  const Json* Object(const char* key, bool required = false);

  std::string PathOf(const char* key) const;
  std::string PathOf(const char* key, size_t index) const;
  const std::string& name() const { return name_; }
  void Fail(const std::string& path, const std::string& expectation);
  void Merge(const Status& s) {
    if (st_.ok() && !s.ok()) st_ = s;
  }
  bool ok() const { return st_.ok(); }
  const Status& status() const { return st_; }

 private:
  const Json* Get(const char* key, bool required, const char* what);
  const Json* obj_;
  std::string path_;
  std::string name_;
  Status st_;
};

std::string FormatNumber(double v);  // "12", "12.5"

}  // namespace dualuse::authority::internal

#endif  // DUALUSE_SRC_AUTHORITY_JSON_UTIL_H_
