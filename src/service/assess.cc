#include "dualuse/service/assess.h"

#include <utility>

#include "dualuse/classify/integration.h"
#include "dualuse/messages/catalogue.h"
#include "dualuse/rules/codec.h"
#include "dualuse/service/recording.h"

namespace dualuse::service {

AssessService::AssessService(std::unique_ptr<rules::Engine> engine,
                             const screening::PartyScreener* screener, AssessOptions options)
    : engine_(std::move(engine)), screener_(screener), options_(std::move(options)) {}
AssessService::~AssessService() = default;

Result<std::unique_ptr<AssessService>> AssessService::Create(
    const screening::PartyScreener* screener, AssessOptions options) {
  DU_ASSIGN_OR_RETURN(auto engine, rules::Engine::CreateDefault());
  return std::unique_ptr<AssessService>(
      new AssessService(std::move(engine), screener, std::move(options)));
}

Result<PreparedAssessment> AssessService::Prepare(const nlohmann::json& request,
                                                  const std::string& name,
                                                  store::Store* store) const {
  classify::ResolveOptions records;
  records.records_dir = options_.records_dir;
  records.base_dir = options_.base_dir;
  records.allow_paths = options_.allow_paths;
  records.name = name;
  if (store) {
    // as POST /classify/records keeps them
    records.find_record = [store](const std::string& id) {
      return LatestRecordOutputs(*store, "classification", id);
    };
  }
  PreparedAssessment out;
  DU_ASSIGN_OR_RETURN(out.resolved, classify::ResolveRecordReferences(request, records));
  DU_ASSIGN_OR_RETURN(out.request, rules::ParseRequest(out.resolved, name));
  DU_RETURN_IF_ERROR(engine_->Validate(out.request, name));
  out.date = rules::Engine::EffectiveDate(out.request, options_.as_of);
  if (!engine_->law().RegimeOn(out.date)) {
    return Status::InvalidArgument(name + ": $.date: no regime in the law data covers " +
                                   out.date.ToString());
  }
  return out;
}

Result<rules::Determination> AssessService::Decide(const PreparedAssessment& prepared,
                                                   store::Store* store) const {
  DU_ASSIGN_OR_RETURN(rules::Determination d,
                      engine_->Assess(prepared.request, prepared.date, screener_));
  if (store)
    DU_RETURN_IF_ERROR(ApplyConfirmedMatches(*store, engine_->law(), prepared.request, &d));
  ApplyListRequirements(
      options_.lists, screener_ ? screener_->ListVersions() : std::map<std::string, std::string>{},
      prepared.date, &d);
  // The notification, once the verdict is final; it is part of the record.
  DU_RETURN_IF_ERROR(AttachNotification(prepared.resolved, &d));
  return d;
}

Result<rules::Determination> AssessService::Assess(const nlohmann::json& request,
                                                   const std::string& name,
                                                   store::Store* store) const {
  DU_ASSIGN_OR_RETURN(PreparedAssessment p, Prepare(request, name, store));
  return Decide(p, store);
}

rules::Effect ConfirmedListingEffect(const law::LawData& law, const store::ConfirmedMatch& m) {
  for (const law::AssetFreezeList& l : law.asset_freeze_lists()) {
    if (l.list == m.list) {
      return l.effect == "prohibited" ? rules::Effect::kProhibited : rules::Effect::kRedFlag;
    }
  }
  if (m.effect == "asset_freeze" && (m.jurisdiction == "EU" || m.jurisdiction == "UN")) {
    return rules::Effect::kProhibited;
  }
  return rules::Effect::kRedFlag;
}

Status ApplyConfirmedMatches(store::Store& store, const law::LawData& law,
                             const rules::AssessmentRequest& request, rules::Determination* det) {
  for (size_t i = 0; i < request.parties.size(); ++i) {
    const auto& party = request.parties[i];
    DU_ASSIGN_OR_RETURN(auto confirmed, store.ConfirmedMatchesFor(
                                            store::CounterpartyKey(party.name, party.country)));
    for (const auto& m : confirmed) {
      rules::Effect effect = ConfirmedListingEffect(law, m);
      bool prohibited = effect == rules::Effect::kProhibited;
      rules::Finding f;
      f.rule = "review/confirmed-match";
      f.basis = (m.jurisdiction.empty() ? std::string("Listing") : m.jurisdiction + " listing") +
                " on " + m.list + " (version " + m.list_version + ", entity " + m.entity_id +
                "), confirmed by " + m.decided_by + " on " + m.decided_at + " (review item " +
                std::to_string(m.alert_id) + ")";
      f.effect = effect;
      f.party = static_cast<int>(i);
      auto cat = messages::Catalogue::Default();
      auto text = [&](const char* id, const messages::Args& args) {
        return cat.ok() ? (*cat)->Format(det->lang, id, args) : std::string(id);
      };
      f.summary = text(prohibited ? "finding.confirmed_freeze" : "finding.confirmed_listing",
                       {{"party", party.name}, {"entity", m.entity_name}, {"list", m.list}});
      det->findings.push_back(std::move(f));
      det->review_required = true;
      det->review_reasons.push_back(text("review.confirmed_match", {{"index", std::to_string(i)},
                                                                    {"party", party.name},
                                                                    {"list", m.list},
                                                                    {"entity", m.entity_id}}));
      if (prohibited &&
          rules::Severity(rules::Effect::kProhibited) < rules::Severity(det->verdict)) {
        det->verdict = rules::Effect::kProhibited;
      }
    }
  }
  return Status::Ok();
}

Status AttachNotification(const nlohmann::json& resolved_request, rules::Determination* det) {
  classify::NotificationContext nc;
  nc.verdict = rules::EffectName(det->verdict);
  nc.authority = det->competent_authority;
  for (const rules::Finding& f : det->findings) {
    if (f.rule == rules::kDueDiligenceRecordRule) nc.basis = f.basis;
  }
  DU_ASSIGN_OR_RETURN(det->notification, classify::NotificationFor(resolved_request, nc));
  return Status::Ok();
}

}  // namespace dualuse::service
