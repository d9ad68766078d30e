#include "dualuse/service/assessment_record.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "dualuse/base/sha256.h"
#include "dualuse/rules/codec.h"
#include "dualuse/service/rescreen.h"

namespace dualuse::service {
namespace {

using Json = nlohmann::json;

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Request party types (spec section 2) in the register's schema names.
const char* SchemaOf(rules::PartyType t) {
  switch (t) {
    case rules::PartyType::kPerson:
      return "Person";
    case rules::PartyType::kVessel:
      return "Vessel";
    case rules::PartyType::kOrganization:
      return "Organization";
  }
  return "LegalEntity";
}

}  // namespace

AssessmentRecordPlan PlanAssessmentRecord(const rules::AssessmentRequest& request,
                                          const rules::Determination& d, std::string request_json,
                                          std::string determination_json, const std::string& actor,
                                          const EntityHash& entity_hash) {
  AssessmentRecordPlan plan;
  for (const rules::Party& p : request.parties) {
    store::CounterpartyInput c;
    c.name = p.name;
    c.country = p.country;
    c.schema = SchemaOf(p.type);
    c.birth_date = p.birth_date;
    c.aliases = p.aliases;
    if (!p.identifiers.empty()) {
      Json ids = Json::array();
      for (const rules::Identifier& id : p.identifiers) {
        Json one = {{"type", id.type}, {"value", id.value}};
        if (!id.country.empty()) one["country"] = id.country;
        ids.push_back(std::move(one));
      }
      c.identifiers = Dump(ids);
    }
    plan.parties.push_back(std::move(c));
  }

  store::RecordInput& in = plan.record;
  in.kind = store::kKindAssessment;
  in.actor = actor;
  in.subject = request.reference;
  in.inputs = std::move(request_json);
  in.outputs = std::move(determination_json);
  in.law_version = d.data_versions.law;
  in.list_versions = Dump(Json(d.data_versions.lists));

  // Review items: every match of a party that is not clear, each red flag.
  for (const rules::PartyScreening& ps : d.screening) {
    if (ps.status != "potential_match" && ps.status != "hit") continue;
    for (const screening::ScreeningHit& hit : ps.matches) {
      PlannedAlert pa;
      pa.party = ps.party;
      store::AlertInput& a = pa.alert;
      a.kind = hit.match ? "hit" : "potential_match";
      a.list = hit.list;
      a.entity_id = hit.entity_id;
      a.list_version = hit.list_version;
      a.entity_hash = entity_hash ? entity_hash(a.list, a.entity_id) : "version:" + a.list_version;
      a.entity_name = hit.name;
      a.matched_name = hit.matched_name;
      a.score = hit.score;
      a.effect = EffectWord(hit.effect);
      a.jurisdiction = hit.jurisdiction;
      a.programs = Dump(Json(hit.programs));
      a.details = Dump(Json{{"source", "assessment"}, {"role", ps.role}, {"party", ps.party}});
      plan.alerts.push_back(std::move(pa));
    }
  }
  // A red flag's subject names its assessment (the reference, or for a
  // request without one its content hash), so that the review queue keeps one
  // item per flag of each assessment however often it is re-run (store.h,
  // AddAlert) without merging the flags of different requests.
  const std::string prefix =
      (in.subject.empty() ? "request " + Sha256Hex(in.inputs).substr(0, 12) : in.subject) + ": ";
  for (const rules::Finding& f : d.findings) {
    if (f.effect != rules::Effect::kRedFlag) continue;
    PlannedAlert pa;
    pa.alert.kind = "red_flag";
    pa.alert.subject = prefix + f.summary;
    pa.alert.details = Dump(Json{{"rule", f.rule},
                                 {"basis", f.basis},
                                 {"effect", rules::EffectName(f.effect)},
                                 {"item", f.item},
                                 {"party", f.party ? Json(*f.party) : Json(nullptr)},
                                 {"summary", f.summary}});
    plan.alerts.push_back(std::move(pa));
  }
  if (d.review_required && plan.alerts.empty()) {
    std::string reasons;
    for (const std::string& r : d.review_reasons)
      reasons += (reasons.empty() ? "" : "; ") + r;
    PlannedAlert pa;
    pa.alert.kind = "red_flag";
    pa.alert.subject = "assessment " + in.subject + " — " + rules::EffectName(d.verdict) +
                       (reasons.empty() ? "" : " (" + reasons + ")");
    pa.alert.details =
        Dump(Json{{"review_reasons", d.review_reasons}, {"verdict", rules::EffectName(d.verdict)}});
    plan.alerts.push_back(std::move(pa));
  }
  return plan;
}

Result<std::vector<std::vector<store::AlertInput>>> RegisterParties(
    store::Store& store, const std::vector<const AssessmentRecordPlan*>& plans,
    std::vector<std::vector<int64_t>>* counterparty_ids) {
  std::vector<store::CounterpartyInput> parties;
  for (const AssessmentRecordPlan* p : plans)
    parties.insert(parties.end(), p->parties.begin(), p->parties.end());
  std::vector<store::UpsertOutcome> ups;
  if (!parties.empty()) {
    DU_ASSIGN_OR_RETURN(ups, store.UpsertCounterparties(parties));
  }
  std::vector<std::vector<store::AlertInput>> alerts;
  alerts.reserve(plans.size());
  if (counterparty_ids) counterparty_ids->assign(plans.size(), {});
  size_t next = 0;
  for (size_t i = 0; i < plans.size(); ++i) {
    const AssessmentRecordPlan& p = *plans[i];
    std::vector<int64_t> ids;
    for (size_t k = 0; k < p.parties.size(); ++k)
      ids.push_back(ups.at(next + k).id);
    next += p.parties.size();
    std::vector<store::AlertInput> mine;
    mine.reserve(p.alerts.size());
    for (const PlannedAlert& pa : p.alerts) {
      store::AlertInput a = pa.alert;
      if (pa.party >= 0 && static_cast<size_t>(pa.party) < ids.size()) {
        a.counterparty_id = ids[static_cast<size_t>(pa.party)];
      }
      mine.push_back(std::move(a));
    }
    alerts.push_back(std::move(mine));
    if (counterparty_ids) (*counterparty_ids)[i] = std::move(ids);
  }
  return alerts;
}

Result<std::vector<AssessmentRecorded>> AssessmentRecorder::Flush() {
  std::vector<AssessmentRecorded> out;
  if (pending_.empty()) return out;
  std::vector<const AssessmentRecordPlan*> plans;
  plans.reserve(pending_.size());
  for (const AssessmentRecordPlan& p : pending_)
    plans.push_back(&p);
  std::vector<std::vector<int64_t>> ids;
  DU_ASSIGN_OR_RETURN(auto alerts, RegisterParties(store_, plans, &ids));
  std::vector<store::PreparedRecord> prepared;
  prepared.reserve(pending_.size());
  for (AssessmentRecordPlan& p : pending_) {
    // inputs, outputs and list_versions were serialised here from the typed
    // request and determination (PlanAssessmentRecord's callers), so the
    // store does not parse them again.
    DU_ASSIGN_OR_RETURN(store::PreparedRecord r,
                        store::PreparedRecord::MakeSerialised(std::move(p.record)));
    prepared.push_back(std::move(r));
  }
  pending_.clear();
  std::vector<int> raised;
  DU_ASSIGN_OR_RETURN(std::vector<store::Record> recs,
                      store_.AppendPrepared(prepared, alerts, &raised));
  out.resize(recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
    out[i].record = std::move(recs[i]);
    out[i].alerts_raised = raised.at(i);
    out[i].counterparty_ids = std::move(ids[i]);
  }
  return out;
}

Result<AssessmentRecorded> RecordAssessment(store::Store& store,
                                            const rules::AssessmentRequest& request,
                                            const rules::Determination& determination,
                                            const std::string& actor,
                                            const EntityHash& entity_hash) {
  AssessmentRecorder recorder(store);
  recorder.Add(PlanAssessmentRecord(request, determination, rules::ToJson(request).dump(),
                                    rules::ToJsonString(determination), actor, entity_hash));
  DU_ASSIGN_OR_RETURN(auto written, recorder.Flush());
  return std::move(written.at(0));
}

}  // namespace dualuse::service
