#include "dualuse/service/screening_record.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "dualuse/lists/catalogue.h"

namespace dualuse::service {

using json = nlohmann::json;

std::vector<store::AlertInput> ScreeningReviewItems(
    const std::vector<std::pair<std::string, screening::ScreeningResult>>& screened) {
  constexpr size_t kMaxAlertsPerParty = 5;
  std::vector<store::AlertInput> alerts;
  for (const auto& [name, r] : screened) {
    if (r.status == screening::ScreeningStatus::kClear) continue;
    for (size_t i = 0; i < r.matches.size() && i < kMaxAlertsPerParty; ++i) {
      const auto& h = r.matches[i];
      store::AlertInput a;
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", h.score);
      a.subject =
          name + " — " + h.list + " " + h.entity_id + " \"" + h.matched_name + "\" " + score;
      a.kind = h.match ? "hit" : "potential_match";
      a.list = h.list;
      a.list_version = h.list_version;
      a.entity_id = h.entity_id;
      a.entity_name = h.name;
      a.matched_name = h.matched_name;
      a.score = h.score;
      a.effect = lists::ListEffectName(h.effect);
      a.jurisdiction = h.jurisdiction;
      a.programs = json(h.programs).dump(-1, ' ', false, json::error_handler_t::replace);
      a.details = json{{"query", name}, {"explanation", h.explanation}}.dump(
          -1, ' ', false, json::error_handler_t::replace);
      alerts.push_back(std::move(a));
    }
  }
  return alerts;
}

}  // namespace dualuse::service
