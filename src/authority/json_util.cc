#include "authority/json_util.h"

#include <cmath>
#include <cstdio>

#include "dualuse/base/json_depth.h"

namespace dualuse::authority::internal {

Result<Json> ParseJson(std::string_view text, const std::string& name) {
  // Nesting first, in one pass: no document nested deeper than this is
  // parsed, kept or re-serialised (docs/security.md, "Limits").
  constexpr int kMaxDepth = 64;
  if (JsonDepth(text, kMaxDepth) > kMaxDepth) {
    return Status::InvalidArgument(name + ": $: nested deeper than " + std::to_string(kMaxDepth) +
                                   " levels");
  }
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::InvalidArgument(name + ": $: not valid JSON (expected a JSON document)");
  }
  return j;
}

Fields::Fields(const Json& obj, std::string path, std::string name)
    : obj_(&obj), path_(std::move(path)), name_(std::move(name)) {
  if (!obj.is_object()) Fail(path_, "expected a JSON object");
}

std::string Fields::PathOf(const char* key) const { return path_ + "." + key; }
std::string Fields::PathOf(const char* key, size_t index) const {
  return PathOf(key) + "[" + std::to_string(index) + "]";
}

void Fields::Fail(const std::string& path, const std::string& expectation) {
  if (st_.ok()) st_ = Status::InvalidArgument(name_ + ": " + path + ": " + expectation);
}

const Json* Fields::Get(const char* key, bool required, const char* what) {
  if (!st_.ok() || !obj_->is_object()) return nullptr;
  auto it = obj_->find(key);
  if (it == obj_->end() || it->is_null()) {
    if (required) Fail(PathOf(key), std::string("missing; expected ") + what);
    return nullptr;
  }
  return &*it;
}

std::string Fields::Str(const char* key, bool required) {
  const Json* v = Get(key, required, "a string");
  if (!v) return "";
  if (!v->is_string()) {
    Fail(PathOf(key), "expected a string");
    return "";
  }
  std::string s = v->get<std::string>();
  if (required && s.empty()) Fail(PathOf(key), "expected a non-empty string");
  return s;
}

double Fields::Num(const char* key, bool required, double def) {
  const Json* v = Get(key, required, "a number");
  if (!v) return def;
  if (!v->is_number()) {
    Fail(PathOf(key), "expected a number");
    return def;
  }
  double d = v->get<double>();
  if (!std::isfinite(d)) {
    Fail(PathOf(key), "expected a finite number");
    return def;
  }
  return d;
}

std::optional<double> Fields::OptNum(const char* key) {
  const Json* v = Get(key, false, "a number");
  if (!v) return std::nullopt;
  return Num(key, true);
}

bool Fields::Bool(const char* key, bool def) {
  const Json* v = Get(key, false, "true or false");
  if (!v) return def;
  if (!v->is_boolean()) {
    Fail(PathOf(key), "expected true or false");
    return def;
  }
  return v->get<bool>();
}

Date Fields::DateField(const char* key, bool required) {
  std::string s = Str(key, required);
  if (s.empty()) return Date{};
  auto d = Date::Parse(s);
  if (!d) {
    Fail(PathOf(key), "\"" + s + "\" is not a date (expected YYYY-MM-DD)");
    return Date{};
  }
  return *d;
}

std::optional<Date> Fields::OptDate(const char* key) {
  const Json* v = Get(key, false, "a date");
  if (!v) return std::nullopt;
  if (v->is_string() && v->get<std::string>().empty()) return std::nullopt;
  return DateField(key, true);
}

std::vector<std::string> Fields::StrList(const char* key, bool required) {
  std::vector<std::string> out;
  const Json* a = Array(key, required);
  if (!a) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string()) {
      Fail(PathOf(key, i), "expected a string");
      return {};
    }
    out.push_back((*a)[i].get<std::string>());
  }
  return out;
}

const Json* Fields::Array(const char* key, bool required) {
  const Json* v = Get(key, required, "an array");
  if (!v) return nullptr;
  if (!v->is_array()) {
    Fail(PathOf(key), "expected an array");
    return nullptr;
  }
  return v;
}

const Json* Fields::Object(const char* key, bool required) {
  const Json* v = Get(key, required, "an object");
  if (!v) return nullptr;
  if (!v->is_object()) {
    Fail(PathOf(key), "expected an object");
    return nullptr;
  }
  return v;
}

std::string FormatNumber(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

}  // namespace dualuse::authority::internal
