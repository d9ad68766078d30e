// Path-tracking helpers over nlohmann::json for the loaders of law data and
// requests. Errors read "<file>: $.items[0].kind: expected one of goods, ..."
// (spec section 7). A Path is a chain on the stack: nothing is allocated
// unless an error is reported. Private to libdualuse (law and rules).
#ifndef DUALUSE_LAW_JSON_READER_H_
#define DUALUSE_LAW_JSON_READER_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"

namespace dualuse::jsonutil {

using nlohmann::json;

struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  long index = -1;

  Path Key(std::string_view k) const { return Path{this, k, -1}; }
  Path At(size_t i) const { return Path{this, {}, static_cast<long>(i)}; }
  std::string ToString() const;
};

// Collects the first error (later ones are consequences, usually).
class Errors {
 public:
  explicit Errors(std::string prefix) : prefix_(std::move(prefix)) {}
  void Fail(const Path& p, const std::string& what);
  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  std::string prefix_;
  std::string message_;
};

const char* TypeName(const json& j);
// Quotes a short excerpt of a JSON value for an error message.
std::string Excerpt(const json& j);
std::string Quote(std::string_view s);

// Member `key` of object `obj` or nullptr when absent. `obj` must be an object.
inline const json* Member(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// Readers: return false (after e.Fail) on a wrong type or a missing required
// member; leave *out untouched when an optional member is absent.
bool RequireObject(const json& j, const Path& p, Errors& e);
bool RequireArray(const json& j, const Path& p, Errors& e);
bool ReadString(const json& obj, const Path& p, std::string_view key, bool required,
                std::string* out, Errors& e);
bool ReadNonEmptyString(const json& obj, const Path& p, std::string_view key, bool required,
                        std::string* out, Errors& e);
bool ReadBool(const json& obj, const Path& p, std::string_view key, bool required,
              std::optional<bool>* out, Errors& e);
bool ReadBool(const json& obj, const Path& p, std::string_view key, bool required, bool* out,
              Errors& e);
bool ReadNumber(const json& obj, const Path& p, std::string_view key, bool required,
                std::optional<double>* out, Errors& e);
bool ReadInt(const json& obj, const Path& p, std::string_view key, bool required, int* out,
             Errors& e);
bool ReadDate(const json& obj, const Path& p, std::string_view key, bool required,
              std::optional<Date>* out, Errors& e);
bool ReadStringArray(const json& obj, const Path& p, std::string_view key, bool required,
                     std::vector<std::string>* out, Errors& e);

}  // namespace dualuse::jsonutil

#endif  // DUALUSE_LAW_JSON_READER_H_
