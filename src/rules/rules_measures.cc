// R0: restrictive measures (Council regulations under Article 215 TFEU) and
// party screening. They are checked first and override any authorisation
// (legal-reference section 1.3, R0).
#include <algorithm>

#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

Effect EffectOf(const std::string& s) {
  if (s == "prohibited") return Effect::kProhibited;
  if (s == "licence_required") return Effect::kLicenceRequired;
  return Effect::kRedFlag;
}

bool AnyMilitary(const Context& c) {
  const Knowledge& k = c.req->knowledge;
  if (k.informed.Has(Concern::kMilitaryEndUse) || k.aware.Has(Concern::kMilitaryEndUse) ||
      k.suspects.Has(Concern::kMilitaryEndUse)) {
    return true;
  }
  return std::any_of(c.req->parties.begin(), c.req->parties.end(),
                     [](const Party& p) { return p.sector && *p.sector == Sector::kMilitary; });
}

// Whether an Annex I entry of the item and an entry the measure may except
// overlap (either lies within the other).
bool Uncertain(const law::RestrictiveMeasure& m, const ItemInfo& it) {
  for (const std::string& code : it.annex_i) {
    for (const std::string& u : m.uncertain_entries) {
      if (law::CodeWithin(code, u) || law::CodeWithin(u, code)) return true;
    }
  }
  return false;
}

}  // namespace

// Each measure in force on a country the request names (the destination, a
// party's country, the declared country of end use) is applied to each item;
// the finding cites the article, paragraph and point from the data and says
// which country and party triggered it.
void RuleRestrictiveMeasures(const Context& c, Out& out) {
  // An intra-Union transfer whose end-user or declared end use lies in a
  // country under measures is an indirect supply to it: the measures on
  // "export" apply (e.g. 833/2014 Article 2(1): "directly or indirectly").
  const char* activity = c.activity == Activity::kTransfer ? "export" : ActivityName(c.activity);
  for (const MeasureHit& hit : c.measures) {
    const law::RestrictiveMeasure* m = hit.m;
    if (std::find(m->activities.begin(), m->activities.end(), activity) == m->activities.end()) {
      continue;
    }
    std::string basis = m->Citation();
    std::string rule = "rm/" + m->id;
    std::string ver = law::VerificationCode(m->prov.verification);
    std::string via = hit.Via(c.named);
    std::optional<int> party = hit.Party(c.named);
    Effect effect = EffectOf(m->effect);
    bool fired = false;
    auto add = [&](Effect e, const ItemInfo& it, const std::string& text) {
      Finding& f =
          out.Add(rule, basis, e, c.T("measure.with_via", {{"text", text}, {"via", via}}), ver);
      f.item = it.item->id;
      f.party = party;
      fired = true;
    };
    for (const ItemInfo& it : c.items) {
      bool uncertain = Uncertain(*m, it);
      switch (m->scope) {
        case law::MeasureScope::kAnnexI:
          if (it.listed() && uncertain) {
            add(Effect::kRedFlag, it,
                c.T("measure.listed_may_be_excepted",
                    {{"entries", Join(it.annex_i)}, {"summary", m->summary}}));
            out.Review(c.T("review.item_reason",
                           {{"item", it.item->id}, {"reason", m->uncertain_reason}}));
          } else if (it.listed()) {
            add(effect, it,
                c.T("measure.listed", {{"entries", Join(it.annex_i)}, {"summary", m->summary}}));
          } else if (!it.classified) {
            add(Effect::kRedFlag, it, c.T("measure.not_classified", {{"summary", m->summary}}));
            out.Review(
                c.T("review.measure_not_classified", {{"item", it.item->id}, {"act", m->act}}));
          }
          break;
        case law::MeasureScope::kAnnexIMilitaryEndUse:
          if (it.listed() && AnyMilitary(c)) {
            add(uncertain ? Effect::kRedFlag : effect, it,
                c.T("measure.listed_military",
                    {{"entries", Join(it.annex_i)}, {"summary", m->summary}}));
            if (uncertain) {
              out.Review(c.T("review.item_reason",
                             {{"item", it.item->id}, {"reason", m->uncertain_reason}}));
            }
          } else if (it.listed()) {
            add(Effect::kInformation, it, c.T("measure.military_if", {{"summary", m->summary}}));
          } else if (!it.classified && AnyMilitary(c)) {
            add(Effect::kRedFlag, it, c.T("measure.not_classified", {{"summary", m->summary}}));
            out.Review(
                c.T("review.measure_not_classified", {{"item", it.item->id}, {"act", m->act}}));
          }
          break;
        case law::MeasureScope::kMonitoringAnnex: {
          bool indicative = false;
          for (const std::string& code : it.annex_i) {
            for (const std::string& e : m->annex_i_indicative) {
              indicative = indicative || law::CodeWithin(code, e);
            }
          }
          if (indicative) {
            add(effect, it,
                c.T("measure.monitoring",
                    {{"entries", Join(it.annex_i)}, {"annex", m->annex}, {"summary", m->summary}}));
          } else if (it.cyber || (it.cyber_unknown && !it.not_listed())) {
            add(Effect::kRedFlag, it,
                c.T("measure.may_fall_within", {{"annex", m->annex}, {"summary", m->summary}}));
            out.Review(c.T("review.monitoring",
                           {{"item", it.item->id}, {"act", m->act}, {"annex", m->annex}}));
          }
          break;
        }
        case law::MeasureScope::kOwnAnnex:
          // Items listed in Annex I are dealt with by the regime's Annex I
          // measure; the regime's own annex reaches further.
          if (!it.listed()) {
            add(Effect::kRedFlag, it,
                c.T("measure.may_be_listed", {{"annex", m->annex}, {"summary", m->summary}}));
            out.Review(c.T("review.own_annex",
                           {{"item", it.item->id}, {"annex", m->annex}, {"basis", basis}}));
          }
          break;
        case law::MeasureScope::kNone:
          break;
      }
    }
    if (fired && !m->unsettled.empty()) {
      out.Review(basis + ": " + m->unsettled);
    }
  }
}

void RuleScreening(const Context& c, const screening::PartyScreener* screener, Out& out) {
  const AssessmentRequest& r = *c.req;
  if (r.parties.empty()) return;
  if (!screener) {
    for (size_t i = 0; i < r.parties.size(); ++i) {
      PartyScreening s;
      s.party = static_cast<int>(i);
      s.role = PartyRoleName(r.parties[i].role);
      s.status = "not_screened";
      out.d.screening.push_back(std::move(s));
    }
    out.Add("screening/not-screened", "EU and UN asset freezes (party screening)",
            Effect::kInformation, c.T("finding.not_screened"), "V");
    return;
  }
  out.d.data_versions.lists = screener->ListVersions();
  for (size_t i = 0; i < r.parties.size(); ++i) {
    const Party& p = r.parties[i];
    screening::PartyQuery q;
    q.name = p.name;
    q.aliases = p.aliases;
    q.schema = p.type == PartyType::kPerson   ? lists::Schema::kPerson
               : p.type == PartyType::kVessel ? lists::Schema::kVessel
                                              : lists::Schema::kOrganization;
    q.country = p.country;
    q.birth_date = p.birth_date;
    q.as_of = c.as_of.ToString();  // a party listed after the export's date is no hit
    for (const Identifier& id : p.identifiers)
      q.identifiers.push_back({id.type, id.value, id.country});
    screening::ScreeningResult res = screener->Screen(q);
    PartyScreening s;
    s.party = static_cast<int>(i);
    s.role = PartyRoleName(p.role);
    s.status = res.status == screening::ScreeningStatus::kHit              ? "hit"
               : res.status == screening::ScreeningStatus::kPotentialMatch ? "potential_match"
                                                                           : "clear";
    s.matches = res.matches;
    for (const screening::ScreeningHit& h : res.matches) {
      if (!h.match) continue;
      auto it = c.eng->asset_lists.find(h.list);
      bool freeze = it != c.eng->asset_lists.end()
                        ? it->second->effect == "prohibited"
                        : h.effect == lists::ListEffect::kAssetFreeze &&
                              (h.jurisdiction == "EU" || h.jurisdiction == "UN");
      std::string basis =
          it != c.eng->asset_lists.end() ? it->second->basis : "Asset freeze (" + h.list + ")";
      std::string programs;
      for (const std::string& pr : h.programs)
        programs += (programs.empty() ? "" : ", ") + pr;
      std::string what =
          c.T("screening.match", {{"party", p.name},
                                  {"entity", h.name},
                                  {"list", h.list},
                                  {"version", h.list_version},
                                  {"programs", programs.empty() ? "none" : programs},
                                  {"listed_on", h.listed_on.empty() ? "none" : h.listed_on}});
      Finding& f = out.Add(
          freeze ? "screening/asset-freeze" : "screening/listed-party", basis,
          freeze ? Effect::kProhibited : Effect::kRedFlag,
          c.T(freeze ? "finding.asset_freeze" : "finding.listed_party", {{"match", what}}),
          it != c.eng->asset_lists.end() ? law::VerificationCode(it->second->prov.verification)
                                         : "K");
      f.party = static_cast<int>(i);
      out.Review(c.T("review.party_listed", {{"index", std::to_string(i)}, {"party", p.name}}));
      break;
    }
    if (res.status == screening::ScreeningStatus::kPotentialMatch) {
      out.Review(
          c.T("review.party_potential_match", {{"index", std::to_string(i)}, {"party", p.name}}));
    }
    out.d.screening.push_back(std::move(s));
  }
}

}  // namespace dualuse::rules
