#include "classify/json_reader.h"

#include <fstream>
#include <sstream>

namespace dualuse::classify {

using nlohmann::json;

Result<json> JsonReader::Parse(std::string_view text) const {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Fail("$", "expected valid JSON");
  if (!doc.is_object()) return Fail("$", "expected a JSON object");
  return doc;
}

Result<std::string> JsonReader::Str(const json& obj, const std::string& place, const char* key,
                                    bool required) const {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Fail(place + "." + key, "missing (expected a string)");
    return std::string();
  }
  if (!it->is_string()) return Fail(place + "." + key, "expected a string");
  std::string v = it->get<std::string>();
  if (required && v.empty()) return Fail(place + "." + key, "expected a non-empty string");
  return v;
}

Result<std::vector<std::string>> JsonReader::StrArray(const json& obj, const std::string& place,
                                                      const char* key, bool required) const {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Fail(place + "." + key, "missing (expected an array of strings)");
    return out;
  }
  if (!it->is_array()) return Fail(place + "." + key, "expected an array of strings");
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return Fail(place + "." + key + "[" + std::to_string(i) + "]", "expected a string");
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

Result<std::optional<bool>> JsonReader::Bool(const json& obj, const std::string& place,
                                             const char* key, bool required) const {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Fail(place + "." + key, "missing (expected true or false)");
    return std::optional<bool>();
  }
  if (!it->is_boolean()) return Fail(place + "." + key, "expected true or false");
  return std::optional<bool>(it->get<bool>());
}

Result<const json*> JsonReader::Object(const json& obj, const std::string& place, const char* key,
                                       bool required) const {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Fail(place + "." + key, "missing (expected an object)");
    return static_cast<const json*>(nullptr);
  }
  if (!it->is_object()) return Fail(place + "." + key, "expected an object");
  return &*it;
}

Result<const json*> JsonReader::Array(const json& obj, const std::string& place, const char* key,
                                      bool required) const {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Fail(place + "." + key, "missing (expected an array)");
    return static_cast<const json*>(nullptr);
  }
  if (!it->is_array()) return Fail(place + "." + key, "expected an array");
  return &*it;
}

Result<std::string> JsonReader::Enum(const json& obj, const std::string& place, const char* key,
                                     const std::vector<std::string>& allowed, bool required) const {
  DU_ASSIGN_OR_RETURN(std::string v, Str(obj, place, key, required));
  if (v.empty() && !required) return v;
  for (const auto& a : allowed) {
    if (a == v) return v;
  }
  return Fail(place + "." + key,
              "\"" + v + "\" is not allowed (expected " + JoinAlternatives(allowed) + ")");
}

Result<std::string> ReadFileText(const std::string& path, StatusCode code_when_missing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(code_when_missing, path + ": cannot be read");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string JoinAlternatives(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? " or " : ", ";
    out += values[i];
  }
  return out;
}

}  // namespace dualuse::classify
