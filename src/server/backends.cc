#include "dualuse/server/backends.h"

#include <set>

#include "dualuse/base/date.h"
#include "dualuse/classify/integration.h"
#include "dualuse/lists/catalogue.h"
#include "dualuse/lists/registry.h"
#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"
#include "dualuse/store/recording.h"

namespace dualuse::server {

RulesAssessor::RulesAssessor(std::unique_ptr<rules::Engine> engine,
                             const screening::PartyScreener* screener, std::string records_dir,
                             store::Store* store)
    : engine_(std::move(engine)),
      screener_(screener),
      records_dir_(std::move(records_dir)),
      store_(store) {}
RulesAssessor::~RulesAssessor() = default;

Result<std::unique_ptr<RulesAssessor>> RulesAssessor::Create(
    const screening::PartyScreener* screener, std::string records_dir, store::Store* store) {
  DU_ASSIGN_OR_RETURN(auto engine, rules::Engine::CreateDefault());
  return std::unique_ptr<RulesAssessor>(
      new RulesAssessor(std::move(engine), screener, std::move(records_dir), store));
}

Result<nlohmann::json> RulesAssessor::Assess(const nlohmann::json& request) const {
  classify::ResolveOptions records;
  records.records_dir = records_dir_;
  records.allow_paths = false;  // a client must not make the server read its files
  if (store_) {
    records.find_record = [this](const std::string& id) {
      // as src/server/classify_routes.cc stores them
      return store::LatestRecordOutputs(*store_, "classification", id);
    };
  }
  DU_ASSIGN_OR_RETURN(nlohmann::json resolved, classify::ResolveRecordReferences(request, records));
  DU_ASSIGN_OR_RETURN(rules::AssessmentRequest r, rules::ParseRequest(resolved, "request"));
  DU_RETURN_IF_ERROR(engine_->Validate(r, "request"));
  DU_ASSIGN_OR_RETURN(rules::Determination d,
                      engine_->Assess(r, rules::Engine::EffectiveDate(r, std::nullopt), screener_));
  // The Article 5(2) notification, under the provision the due-diligence finding cites.
  classify::NotificationContext nc;
  nc.verdict = rules::EffectName(d.verdict);
  nc.authority = d.competent_authority;
  for (const rules::Finding& f : d.findings) {
    if (f.rule == rules::kDueDiligenceRecordRule) nc.basis = f.basis;
  }
  DU_ASSIGN_OR_RETURN(d.notification, classify::NotificationFor(resolved, nc));
  return nlohmann::json::parse(rules::ToJson(d).dump());
}

Result<std::vector<ListStatusEntry>> RegistryListStatus::Lists() const {
  lists::ListRegistry registry(data_dir_);
  DU_ASSIGN_OR_RETURN(auto versions, registry.Versions());
  const lists::ListCatalogue* catalogue = nullptr;
  if (auto c = lists::Catalogue(); c.ok()) catalogue = *c;
  Date today = Date::Today();
  std::set<std::string> ids;
  for (const auto& v : versions)
    ids.insert(v.list_id);
  std::vector<ListStatusEntry> out;
  for (const std::string& id : ids) {
    auto current = registry.Current(id, today);
    if (!current.ok()) continue;  // only versions dated in the future
    ListStatusEntry e;
    e.id = id;
    e.version = current->date;
    e.imported_at = current->imported_at;
    e.entity_count = current->entity_count;
    if (const lists::ListInfo* info = catalogue ? catalogue->Find(id) : nullptr) {
      e.name = info->name;
      e.stale_after_days = info->stale_after_days;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace dualuse::server
