#include "assess_record.h"

#include <nlohmann/json.hpp>

#include "dualuse/classify/integration.h"
#include "dualuse/rules/codec.h"
#include "dualuse/store/recording.h"

namespace dualuse::cli {

Status ApplyConfirmedMatches(store::Store& store, const rules::AssessmentRequest& request,
                             rules::Determination* det) {
  for (size_t i = 0; i < request.parties.size(); ++i) {
    const auto& party = request.parties[i];
    DU_ASSIGN_OR_RETURN(auto confirmed, store.ConfirmedMatchesFor(
                                            store::CounterpartyKey(party.name, party.country)));
    for (const auto& m : confirmed) {
      bool prohibited = m.verdict == "prohibited";
      rules::Finding f;
      f.rule = "review/confirmed-match";
      f.basis = (m.jurisdiction.empty() ? std::string("Listing") : m.jurisdiction + " listing") +
                " on " + m.list + " (version " + m.list_version + ", entity " + m.entity_id +
                "), confirmed by " + m.decided_by + " on " + m.decided_at + " (review item " +
                std::to_string(m.alert_id) + ")";
      f.effect = prohibited ? rules::Effect::kProhibited : rules::Effect::kRedFlag;
      f.party = static_cast<int>(i);
      f.summary = "A reviewer confirmed that " + party.name + " is " + m.entity_name + " (" +
                  m.list + "): " +
                  (prohibited ? "an asset freeze forbids making the items available."
                              : "the listing must be reviewed before the items move.");
      det->findings.push_back(std::move(f));
      det->review_required = true;
      det->review_reasons.push_back("Confirmed match of party " + std::to_string(i) + " (" +
                                    party.name + ") with " + m.list + " entity " + m.entity_id);
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

Status RecordAssessments(store::Store& store, const std::vector<rules::AssessmentRequest>& requests,
                         const std::vector<rules::Determination>& determinations,
                         const std::string& actor) {
  for (size_t i = 0; i < requests.size() && i < determinations.size(); ++i) {
    std::string request_json = rules::ToJson(requests[i]).dump();
    std::string determination_json = rules::ToJsonString(determinations[i]);
    auto recorded = store::RecordAssessment(store, request_json, determination_json, actor);
    if (!recorded.ok()) return recorded.error();
  }
  return Status::Ok();
}

}  // namespace dualuse::cli
