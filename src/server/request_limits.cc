#include "request_limits.h"

#include <string>

#include "dualuse/base/json_depth.h"

namespace dualuse::server {
namespace {

using nlohmann::json;

// Names of one party (a /screen party object) or one yente query.
struct Counter {
  const RequestLimits& limits;
  ScreeningWork work;

  Status Name(const std::string& where, const std::string& s) {
    ++work.names;
    work.chars += s.size();
    if (work.names > limits.max_names) {
      return Status::InvalidArgument("more than " + std::to_string(limits.max_names) +
                                     " names and aliases in one request")
          .WithCode("too_many_names");
    }
    if (work.chars > limits.max_name_chars) {
      return Status::InvalidArgument("names and aliases longer than " +
                                     std::to_string(limits.max_name_chars) +
                                     " bytes together in one request")
          .WithCode("too_many_names");
    }
    if (s.size() > limits.max_name_bytes) {
      return Status::InvalidArgument(where + ": longer than " +
                                     std::to_string(limits.max_name_bytes) + " bytes")
          .WithCode("too_many_names");
    }
    return Status::Ok();
  }

  Status Aliases(const std::string& where, size_t n) const {
    if (n > limits.max_aliases_per_party) {
      return Status::InvalidArgument(where + ": more than " +
                                     std::to_string(limits.max_aliases_per_party) + " aliases")
          .WithCode("too_many_names");
    }
    return Status::Ok();
  }

  // {"name": "...", "aliases": [...] or "a;b;c"}
  Status Party(const json& p, const std::string& where) {
    if (!p.is_object()) return Status::Ok();
    if (auto it = p.find("name"); it != p.end() && it->is_string()) {
      DU_RETURN_IF_ERROR(Name(where + ".name", it->get_ref<const std::string&>()));
    }
    auto it = p.find("aliases");
    if (it == p.end()) return Status::Ok();
    size_t n = 0;
    if (it->is_string()) {
      const std::string& s = it->get_ref<const std::string&>();
      size_t start = 0;
      while (start <= s.size()) {
        size_t end = s.find(';', start);
        if (end == std::string::npos) end = s.size();
        if (end > start) {
          DU_RETURN_IF_ERROR(Aliases(where + ".aliases", ++n));
          DU_RETURN_IF_ERROR(Name(where + ".aliases", s.substr(start, end - start)));
        }
        start = end + 1;
      }
    } else if (it->is_array()) {
      DU_RETURN_IF_ERROR(Aliases(where + ".aliases", it->size()));
      for (const json& a : *it) {
        if (a.is_string())
          DU_RETURN_IF_ERROR(Name(where + ".aliases", a.get_ref<const std::string&>()));
      }
    }
    return Status::Ok();
  }

  // yente: properties.{name, alias, firstName, lastName, ...}: a string or a list.
  Status Query(const json& q, const std::string& where) {
    if (!q.is_object()) return Status::Ok();
    auto props = q.find("properties");
    if (props == q.end() || !props->is_object()) return Status::Ok();
    size_t n = 0;
    for (const char* key : {"name", "alias", "firstName", "lastName", "middleName", "fatherName",
                            "previousName", "weakAlias"}) {
      auto it = props->find(key);
      if (it == props->end()) continue;
      const std::string at = where + ".properties." + key;
      if (it->is_string()) {
        ++n;
        DU_RETURN_IF_ERROR(Name(at, it->get_ref<const std::string&>()));
      } else if (it->is_array()) {
        for (const json& v : *it) {
          if (!v.is_string()) continue;
          ++n;
          DU_RETURN_IF_ERROR(Name(at, v.get_ref<const std::string&>()));
        }
      }
      // The first name is the query's name; the others are its aliases.
      if (n > 1) DU_RETURN_IF_ERROR(Aliases(where + ".properties", n - 1));
    }
    return Status::Ok();
  }
};

}  // namespace

Result<json> ParseBoundedJson(std::string_view text, int max_depth) {
  if (JsonDepth(text, max_depth) > max_depth) {
    return Status::InvalidArgument(
               "the request body nests arrays and objects deeper "
               "than " +
               std::to_string(max_depth) + " levels")
        .WithCode("too_deep");
  }
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::InvalidArgument("the request body is not valid JSON").WithCode("malformed_json");
  }
  return j;
}

Result<ScreeningWork> CheckScreeningWork(const json& body, bool match,
                                         const RequestLimits& limits) {
  Counter c{limits, {}};
  if (!body.is_object()) return c.work;
  if (match) {
    auto q = body.find("queries");
    if (q == body.end() || !q->is_object()) return c.work;
    for (const auto& [key, ex] : q->items())
      DU_RETURN_IF_ERROR(c.Query(ex, "$.queries." + key));
    return c.work;
  }
  if (auto parties = body.find("parties"); parties != body.end()) {
    if (!parties->is_array()) return c.work;
    for (size_t i = 0; i < parties->size(); ++i)
      DU_RETURN_IF_ERROR(c.Party((*parties)[i], "$.parties[" + std::to_string(i) + "]"));
    return c.work;
  }
  DU_RETURN_IF_ERROR(c.Party(body, "$"));
  return c.work;
}

}  // namespace dualuse::server
