#include "dualuse/lists/catalogue.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dualuse/base/resources.h"

namespace dualuse::lists {

const char* ListEffectName(ListEffect e) {
  switch (e) {
    case ListEffect::kAssetFreeze:
      return "asset_freeze";
    case ListEffect::kDeniedParty:
      return "denied_party";
    case ListEffect::kLicenceRequirement:
      return "licence_requirement";
    case ListEffect::kBlocking:
      return "blocking";
    case ListEffect::kOther:
      return "other";
  }
  return "other";
}

bool ParseListEffect(const std::string& name, ListEffect* out) {
  for (ListEffect e :
       {ListEffect::kAssetFreeze, ListEffect::kDeniedParty, ListEffect::kLicenceRequirement,
        ListEffect::kBlocking, ListEffect::kOther}) {
    if (name == ListEffectName(e)) {
      *out = e;
      return true;
    }
  }
  return false;
}

const ListInfo* ListCatalogue::Find(const std::string& id) const {
  for (const ListInfo& l : lists) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

namespace {

Result<ListCatalogue> LoadCatalogue() {
  const std::string path = ResourcePath("lists-sources.json");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FailedPrecondition(path + ": cannot read the list catalogue");
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("lists") || !j["lists"].is_array())
    return Status::FailedPrecondition(path + ": $: expected an object with a \"lists\" array");
  ListCatalogue cat;
  auto str = [](const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (size_t i = 0; i < j["lists"].size(); ++i) {
    const nlohmann::json& o = j["lists"][i];
    std::string where = path + ": $.lists[" + std::to_string(i) + "]";
    if (!o.is_object() || str(o, "id").empty())
      return Status::FailedPrecondition(where + ": expected an object with an \"id\"");
    ListInfo l;
    l.id = str(o, "id");
    l.name = str(o, "name");
    l.publisher = str(o, "publisher");
    l.jurisdiction = str(o, "jurisdiction");
    l.url = str(o, "url");
    l.file = str(o, "file");
    l.licence = str(o, "licence");
    l.basis = str(o, "basis");
    if (!ParseListEffect(str(o, "effect"), &l.effect))
      return Status::FailedPrecondition(where +
                                        ".effect: expected one of asset_freeze, "
                                        "denied_party, licence_requirement, blocking, other");
    if (auto it = o.find("stale_after_days"); it != o.end() && it->is_number_integer())
      l.stale_after_days = it->get<int>();
    if (auto it = o.find("may_be_empty"); it != o.end() && it->is_boolean())
      l.may_be_empty = it->get<bool>();
    for (const char* key : {"sources", "datasets"}) {
      auto it = o.find(key);
      if (it == o.end()) continue;
      if (!it->is_array())
        return Status::FailedPrecondition(where + "." + key + ": expected an array");
      for (size_t k = 0; k < it->size(); ++k) {
        const nlohmann::json& r = (*it)[k];
        SubListRule rule;
        rule.match = r.is_object() ? str(r, "match") : "";
        rule.jurisdiction = r.is_object() ? str(r, "jurisdiction") : "";
        if (rule.match.empty() || !ParseListEffect(str(r, "effect"), &rule.effect))
          return Status::FailedPrecondition(where + "." + key + "[" + std::to_string(k) +
                                            "]: expected {\"match\", \"effect\"}");
        l.sub_lists.push_back(std::move(rule));
      }
    }
    cat.lists.push_back(std::move(l));
  }
  if (auto it = j.find("update"); it != j.end() && it->is_array()) {
    for (const auto& u : *it) {
      if (u.is_string()) cat.update.push_back(u.get<std::string>());
    }
  }
  return cat;
}

}  // namespace

Result<const ListCatalogue*> Catalogue() {
  static const Result<ListCatalogue> cat = LoadCatalogue();
  if (!cat.ok()) return cat.error();
  return &cat.value();
}

}  // namespace dualuse::lists
