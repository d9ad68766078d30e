#include "dualuse/service/list_requirements.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dualuse/lists/catalogue.h"
#include "dualuse/lists/registry.h"
#include "dualuse/messages/catalogue.h"

namespace dualuse::service {

Result<ListRequirements> LoadListRequirements(const std::string& data_dir, bool explicit_lists) {
  ListRequirements r;
  r.required = {"eu_fsf", "un_sc"};
  const std::string path = data_dir + "/required-lists.json";
  bool declared = false;
  if (std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (!j.is_object() || !j.contains("required") || !j["required"].is_array()) {
      return Status::InvalidArgument(path + ": $.required: expected an array of list ids");
    }
    r.required.clear();
    for (size_t i = 0; i < j["required"].size(); ++i) {
      const nlohmann::json& id = j["required"][i];
      if (!id.is_string() || id.get<std::string>().empty()) {
        return Status::InvalidArgument(path + ": $.required[" + std::to_string(i) +
                                       "]: expected a list id");
      }
      r.required.push_back(id.get<std::string>());
    }
    declared = true;
  }
  if (explicit_lists) {
    r.enforced = false;
    return r;
  }
  if (declared) {
    r.enforced = true;
    return r;
  }
  lists::ListRegistry registry(data_dir);
  auto versions = registry.Versions();
  r.enforced = versions.ok() && !versions->empty();
  return r;
}

namespace {

// The message `id` in the determination's language (data/messages).
std::string Text(const rules::Determination& d, const char* id, const messages::Args& args = {}) {
  auto c = messages::Catalogue::Default();
  return c.ok() ? (*c)->Format(d.lang, id, args) : std::string(id);
}

std::string Age(const rules::Determination& d, long days) {
  return days < 0 ? Text(d, "lists.undated") : Text(d, "lists.age", {{"days", days}});
}

}  // namespace

std::vector<ListUsed> ListsUsed(const std::map<std::string, std::string>& versions,
                                const Date& today) {
  const lists::ListCatalogue* catalogue = nullptr;
  if (auto c = lists::Catalogue(); c.ok()) catalogue = *c;
  std::vector<ListUsed> out;
  for (const auto& [id, version] : versions) {
    ListUsed u;
    u.list = id;
    u.version = version;
    if (const lists::ListInfo* info = catalogue ? catalogue->Find(id) : nullptr) {
      u.stale_after_days = info->stale_after_days;
    }
    // A version is the list's own date, possibly with a suffix ("2026-02-27#ab12").
    if (auto d = Date::Parse(version.substr(0, version.find_first_not_of("0123456789-")))) {
      u.age_days = today.DaysSinceEpoch() - d->DaysSinceEpoch();
      u.stale = u.age_days > u.stale_after_days;
    } else {
      u.stale = true;  // an undated list cannot be shown as fresh
    }
    out.push_back(std::move(u));
  }
  return out;
}

void ApplyListRequirements(const ListRequirements& requirements,
                           const std::map<std::string, std::string>& versions, const Date& today,
                           rules::Determination* det) {
  std::vector<ListUsed> used = ListsUsed(versions, today);
  std::string named;
  for (const ListUsed& u : used) {
    named +=
        (named.empty() ? "" : ", ") + u.list + " " + u.version + " (" + Age(*det, u.age_days) + ")";
  }
  if (!used.empty())
    det->caveats.push_back(Text(*det, "caveat.lists_screened", {{"lists", named}}));
  std::set<std::string> have;
  for (const ListUsed& u : used) {
    have.insert(u.list);
    if (u.stale && requirements.enforced) {
      det->review_required = true;
      det->review_reasons.push_back(Text(*det, "review.list_stale",
                                         {{"list", u.list},
                                          {"version", u.version},
                                          {"age", Age(*det, u.age_days)},
                                          {"days", static_cast<long>(u.stale_after_days)}}));
    }
  }
  if (!requirements.enforced) return;
  for (const std::string& id : requirements.required) {
    if (have.count(id)) continue;
    det->review_required = true;
    det->review_reasons.push_back(Text(*det, "review.list_missing", {{"list", id}}));
  }
}

}  // namespace dualuse::service
