#include "law/json_reader.h"

#include <cstdio>

namespace dualuse::jsonutil {

std::string Path::ToString() const {
  std::vector<const Path*> chain;
  for (const Path* p = this; p; p = p->parent)
    chain.push_back(p);
  std::string out = "$";
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Path* p = *it;
    if (p->index >= 0) {
      out += "[" + std::to_string(p->index) + "]";
    } else if (!p->key.empty()) {
      out += ".";
      out += p->key;
    }
  }
  return out;
}

void Errors::Fail(const Path& p, const std::string& what) {
  if (!message_.empty()) return;
  message_ =
      prefix_.empty() ? p.ToString() + ": " + what : prefix_ + ": " + p.ToString() + ": " + what;
}

const char* TypeName(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  size_t n = 0;
  for (unsigned char c : s) {
    if (++n > 60) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Excerpt(const json& j) {
  if (j.is_string()) return Quote(j.get_ref<const std::string&>());
  std::string s = j.dump(-1, ' ', true, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 60) + "...";
  return s;
}

bool RequireObject(const json& j, const Path& p, Errors& e) {
  if (j.is_object()) return true;
  e.Fail(p, std::string("expected an object, got ") + TypeName(j));
  return false;
}

bool RequireArray(const json& j, const Path& p, Errors& e) {
  if (j.is_array()) return true;
  e.Fail(p, std::string("expected an array, got ") + TypeName(j));
  return false;
}

namespace {

const json* Lookup(const json& obj, const Path& p, std::string_view key, bool required, Errors& e) {
  const json* v = Member(obj, key);
  if (!v && required) e.Fail(p.Key(key), "missing (required)");
  return v;
}

}  // namespace

bool ReadString(const json& obj, const Path& p, std::string_view key, bool required,
                std::string* out, Errors& e) {
  const json* v = Lookup(obj, p, key, required, e);
  if (!v) return !required;
  if (!v->is_string()) {
    e.Fail(p.Key(key), std::string("expected a string, got ") + TypeName(*v));
    return false;
  }
  *out = v->get_ref<const std::string&>();
  return true;
}

bool ReadNonEmptyString(const json& obj, const Path& p, std::string_view key, bool required,
                        std::string* out, Errors& e) {
  const json* v = Member(obj, key);
  if (!ReadString(obj, p, key, required, out, e)) return false;
  if (v && out->empty()) {
    e.Fail(p.Key(key), "expected a non-empty string");
    return false;
  }
  return true;
}

bool ReadBool(const json& obj, const Path& p, std::string_view key, bool required,
              std::optional<bool>* out, Errors& e) {
  const json* v = Lookup(obj, p, key, required, e);
  if (!v) return !required;
  if (!v->is_boolean()) {
    e.Fail(p.Key(key), std::string("expected true or false, got ") + TypeName(*v));
    return false;
  }
  *out = v->get<bool>();
  return true;
}

bool ReadBool(const json& obj, const Path& p, std::string_view key, bool required, bool* out,
              Errors& e) {
  std::optional<bool> b;
  if (!ReadBool(obj, p, key, required, &b, e)) return false;
  if (b) *out = *b;
  return true;
}

bool ReadNumber(const json& obj, const Path& p, std::string_view key, bool required,
                std::optional<double>* out, Errors& e) {
  const json* v = Lookup(obj, p, key, required, e);
  if (!v) return !required;
  if (!v->is_number()) {
    e.Fail(p.Key(key), std::string("expected a number, got ") + TypeName(*v));
    return false;
  }
  *out = v->get<double>();
  return true;
}

bool ReadInt(const json& obj, const Path& p, std::string_view key, bool required, int* out,
             Errors& e) {
  const json* v = Lookup(obj, p, key, required, e);
  if (!v) return !required;
  if (!v->is_number_integer() || v->get<long long>() < -1000000 || v->get<long long>() > 1000000) {
    e.Fail(p.Key(key), std::string("expected a small integer, got ") + Excerpt(*v));
    return false;
  }
  *out = static_cast<int>(v->get<long long>());
  return true;
}

bool ReadDate(const json& obj, const Path& p, std::string_view key, bool required,
              std::optional<Date>* out, Errors& e) {
  std::string s;
  const json* v = Member(obj, key);
  if (!ReadString(obj, p, key, required, &s, e)) return false;
  if (!v) return true;
  auto d = Date::Parse(s);
  if (!d) {
    e.Fail(p.Key(key), "expected a date YYYY-MM-DD, got " + Quote(s));
    return false;
  }
  *out = *d;
  return true;
}

bool ReadStringArray(const json& obj, const Path& p, std::string_view key, bool required,
                     std::vector<std::string>* out, Errors& e) {
  const json* v = Lookup(obj, p, key, required, e);
  if (!v) return !required;
  Path ap = p.Key(key);
  if (!RequireArray(*v, ap, e)) return false;
  out->clear();
  out->reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const json& s = (*v)[i];
    if (!s.is_string()) {
      e.Fail(ap.At(i), std::string("expected a string, got ") + TypeName(s));
      return false;
    }
    out->push_back(s.get_ref<const std::string&>());
  }
  return true;
}

}  // namespace dualuse::jsonutil
