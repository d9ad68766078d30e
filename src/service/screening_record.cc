#include "dualuse/service/screening_record.h"

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "dualuse/lists/catalogue.h"
#include "dualuse/service/rescreen.h"

namespace dualuse::service {

using json = nlohmann::json;

namespace {

constexpr size_t kMaxAlertsPerParty = 5;

store::AlertInput ItemFor(const std::string& name, const screening::ScreeningHit& h) {
  store::AlertInput a;
  char score[16];
  std::snprintf(score, sizeof score, "%.2f", h.score);
  a.subject = name + " — " + h.list + " " + h.entity_id + " \"" + h.matched_name + "\" " + score;
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
  return a;
}

// A UN reference number as lists write it ("QDi.001", "qdi.001 "): trimmed,
// upper-cased, so that the same number on two lists is one key.
std::string ReferenceKey(const std::string& v) {
  std::string out;
  for (unsigned char c : v) {
    if (!std::isspace(c)) out += static_cast<char>(std::toupper(c));
  }
  return out;
}

}  // namespace

std::vector<store::AlertInput> ScreeningReviewItems(const std::vector<ScreenedParty>& screened,
                                                    const screening::PartyScreener* screener) {
  std::vector<store::AlertInput> alerts;
  for (const ScreenedParty& p : screened) {
    if (!p.result || p.result->status == screening::ScreeningStatus::kClear) continue;
    for (size_t i = 0; i < p.result->matches.size() && i < kMaxAlertsPerParty; ++i) {
      store::AlertInput a = ItemFor(p.query.name, p.result->matches[i]);
      a.party_name = p.query.name;
      a.party_country = p.query.country;
      a.party_birth_date = p.query.birth_date;
      if (screener) ListedEntityIdentity(*screener, &a);
      alerts.push_back(std::move(a));
    }
  }
  return alerts;
}

void ListedEntityIdentity(const screening::PartyScreener& screener, store::AlertInput* a) {
  const lists::Entity* e = screener.FindEntity(a->list, a->entity_id);
  if (!e) {
    if (a->entity_hash.empty() && !a->list_version.empty()) {
      a->entity_hash = "version:" + a->list_version;
    }
    return;
  }
  a->entity_hash = EntityContentHash(*e);
  for (const lists::Identifier& id : e->identifiers) {
    if (id.type == "un_reference" && !ReferenceKey(id.value).empty()) {
      a->entity_key = "un_reference:" + ReferenceKey(id.value);
      break;
    }
  }
}

std::function<std::string(const std::string&, const std::string&)> ListedEntityHashes(
    const screening::PartyScreener* screener) {
  if (!screener) return {};
  return [screener, versions = screener->ListVersions()](const std::string& list,
                                                         const std::string& id) -> std::string {
    if (const lists::Entity* e = screener->FindEntity(list, id)) return EntityContentHash(*e);
    auto v = versions.find(list);
    return "version:" + (v == versions.end() ? std::string() : v->second);
  };
}

Result<std::vector<std::vector<std::optional<store::AlertStanding>>>> PriorReviews(
    store::Store& store, const std::vector<ScreenedParty>& screened,
    const std::vector<store::AlertInput>& items) {
  std::vector<std::vector<std::optional<store::AlertStanding>>> out(screened.size());
  DU_ASSIGN_OR_RETURN(std::vector<store::AlertStanding> standings, store.Standings(items));
  size_t next = 0;
  for (size_t p = 0; p < screened.size(); ++p) {
    const screening::ScreeningResult* r = screened[p].result;
    if (!r) continue;
    out[p].resize(r->matches.size());
    if (r->status == screening::ScreeningStatus::kClear) continue;
    for (size_t i = 0; i < r->matches.size() && i < kMaxAlertsPerParty; ++i, ++next) {
      if (next >= standings.size()) break;
      const store::AlertStanding& s = standings[next];
      if (s.outcome != store::AlertOutcome::kRaised) out[p][i] = s;
    }
  }
  return out;
}

json PriorReviewJson(const store::AlertStanding& s) {
  json j = {{"state", s.state}};
  if (s.alert_id) j["item"] = s.alert_id;
  if (s.good_guy_id) j["good_guy"] = s.good_guy_id;
  if (!s.decided_by.empty()) j["by"] = s.decided_by;
  if (!s.decided_at.empty()) j["at"] = s.decided_at;
  if (!s.reason.empty()) j["reason"] = s.reason;
  return j;
}

}  // namespace dualuse::service
