#include "json_schema_check.h"

#include <regex>
#include <set>

namespace dualuse::server::testing {
namespace {

using nlohmann::json;

const std::set<std::string> kKnown = {
    "type",     "nullable",    "properties", "required", "additionalProperties",
    "items",    "enum",        "minimum",    "maximum",  "minItems",
    "maxItems", "minLength",   "maxLength",  "anyOf",    "allOf",
    "$ref",     "description", "pattern"};

bool HasType(const json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  return false;
}

// UTF-8 code points, as JSON Schema counts string length.
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

class Checker {
 public:
  explicit Checker(const json& root) : root_(root) {}

  void Check(const json& v, const json& s, const std::string& at) {
    if (!s.is_object()) return Fail(at, "schema is not an object");
    for (const auto& [k, _] : s.items()) {
      if (!kKnown.count(k)) Fail(at, "schema keyword '" + k + "' is not supported by the checker");
    }
    if (s.contains("$ref")) return Check(v, Resolve(s["$ref"].get<std::string>(), at), at);
    if (v.is_null() && s.value("nullable", false)) return;
    if (s.contains("allOf")) {
      for (const json& sub : s["allOf"])
        Check(v, sub, at);
    }
    if (s.contains("anyOf")) {
      bool any = false;
      for (const json& sub : s["anyOf"]) {
        Checker c(root_);
        c.Check(v, sub, at);
        any = any || c.errors_.empty();
      }
      if (!any) Fail(at, "matches none of anyOf");
    }
    if (s.contains("type") && !HasType(v, s["type"].get<std::string>())) {
      return Fail(at, "expected " + s["type"].get<std::string>() + ", got " + v.type_name());
    }
    if (s.contains("enum")) {
      bool found = false;
      for (const json& e : s["enum"])
        found = found || e == v;
      if (!found) Fail(at, v.dump() + " is not in enum " + s["enum"].dump());
    }
    if (v.is_number()) {
      if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>()) {
        Fail(at, "below minimum");
      }
      if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>()) {
        Fail(at, "above maximum");
      }
    }
    if (v.is_string()) {
      size_t n = CodePoints(v.get<std::string>());
      if (s.contains("minLength") && n < s["minLength"].get<size_t>()) Fail(at, "too short");
      if (s.contains("maxLength") && n > s["maxLength"].get<size_t>()) Fail(at, "too long");
      // ECMA-262 regular expression, unanchored unless it says ^...$ (JSON Schema).
      if (s.contains("pattern") &&
          !std::regex_search(v.get<std::string>(), std::regex(s["pattern"].get<std::string>()))) {
        Fail(at, v.dump() + " does not match pattern " + s["pattern"].dump());
      }
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s["minItems"].get<size_t>()) {
        Fail(at, "fewer items than minItems");
      }
      if (s.contains("maxItems") && v.size() > s["maxItems"].get<size_t>()) {
        Fail(at, "more items than maxItems");
      }
      if (s.contains("items")) {
        for (size_t i = 0; i < v.size(); ++i) {
          Check(v[i], s["items"], at + "[" + std::to_string(i) + "]");
        }
      }
    }
    if (v.is_object()) CheckObject(v, s, at);
  }

  std::vector<std::string> errors_;

 private:
  void CheckObject(const json& v, const json& s, const std::string& at) {
    if (s.contains("required")) {
      for (const json& r : s["required"]) {
        if (!v.contains(r.get<std::string>()))
          Fail(at, "missing required '" + r.get<std::string>() + "'");
      }
    }
    const json props = s.value("properties", json::object());
    for (const auto& [k, val] : v.items()) {
      if (props.contains(k)) {
        Check(val, props[k], at + "." + k);
      } else if (s.contains("additionalProperties")) {
        const json& ap = s["additionalProperties"];
        if (ap.is_boolean() && !ap.get<bool>()) Fail(at, "unexpected property '" + k + "'");
        if (ap.is_object()) Check(val, ap, at + "." + k);
      }
    }
  }

  const json& Resolve(const std::string& ref, const std::string& at) {
    static const json kEmpty = json::object();
    const std::string prefix = "#/components/schemas/";
    if (ref.rfind(prefix, 0) != 0) {
      Fail(at, "unsupported $ref " + ref);
      return kEmpty;
    }
    const json& schemas = root_["components"]["schemas"];
    std::string name = ref.substr(prefix.size());
    if (!schemas.contains(name)) {
      Fail(at, "dangling $ref " + ref);
      return kEmpty;
    }
    return schemas[name];
  }

  void Fail(const std::string& at, const std::string& what) { errors_.push_back(at + ": " + what); }

  const json& root_;
};

}  // namespace

std::vector<std::string> CheckSchema(const nlohmann::json& value, const nlohmann::json& schema,
                                     const nlohmann::json& root) {
  Checker c(root);
  c.Check(value, schema, "$");
  return c.errors_;
}

nlohmann::json ResponseSchema(const nlohmann::json& openapi, const std::string& path,
                              const std::string& method, int status) {
  const nlohmann::json* p = &openapi;
  for (const std::string& key :
       {std::string("paths"), path, method, std::string("responses"), std::to_string(status),
        std::string("content"), std::string("application/json"), std::string("schema")}) {
    if (!p->is_object() || !p->contains(key)) return nullptr;
    p = &(*p)[key];
  }
  return *p;
}

}  // namespace dualuse::server::testing
