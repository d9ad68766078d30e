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

}  // namespace

void RuleRestrictiveMeasures(const Context& c, Out& out) {
  if (c.activity == Activity::kTransfer) return;  // intra-Union: not a third country
  const char* activity = ActivityName(c.activity);
  for (const law::RestrictiveMeasure* m : c.measures) {
    if (std::find(m->activities.begin(), m->activities.end(), activity) == m->activities.end()) {
      continue;
    }
    std::string basis =
        m->act + ", Article " + m->article + (m->paragraph.empty() ? "" : "(" + m->paragraph + ")");
    std::string rule = "rm/" + m->id;
    std::string ver = law::VerificationCode(m->prov.verification);
    Effect effect = EffectOf(m->effect);
    for (const ItemInfo& it : c.items) {
      switch (m->scope) {
        case law::MeasureScope::kAnnexI:
          if (it.listed()) {
            out.Add(rule, basis, effect,
                    Join(it.annex_i) + " is listed in Annex I and the destination is " +
                        m->country + ": " + m->summary + ".",
                    ver)
                .item = it.item->id;
          } else if (!it.classified) {
            out.Add(rule, basis, Effect::kRedFlag,
                    "Not classified: if the item is listed in Annex I, " + m->summary + ".", ver)
                .item = it.item->id;
            out.Review("Item " + it.item->id + " must be classified: " + m->act +
                       " would prohibit it if it is listed in Annex I.");
          }
          break;
        case law::MeasureScope::kAnnexIMilitaryEndUse:
          if (it.listed() && AnyMilitary(c)) {
            out.Add(rule, basis, effect,
                    Join(it.annex_i) +
                        " is listed in Annex I and may be intended for military "
                        "use or a military end-user: " +
                        m->summary + ".",
                    ver)
                .item = it.item->id;
          } else if (it.listed()) {
            out.Add(rule, basis, Effect::kInformation,
                    "Prohibited if the item is or may be intended for military use or a "
                    "military end-user (" +
                        m->summary + "); nothing in the request indicates that.",
                    ver)
                .item = it.item->id;
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
            out.Add(rule, basis, effect,
                    Join(it.annex_i) + " is monitoring or interception equipment within " +
                        m->annex + ": " + m->summary + ".",
                    ver)
                .item = it.item->id;
          } else if (it.cyber || (it.cyber_unknown && !it.not_listed())) {
            out.Add(rule, basis, Effect::kRedFlag,
                    "The item may fall within " + m->annex + " (" + m->summary +
                        "); check it against that annex.",
                    ver)
                .item = it.item->id;
            out.Review("Item " + it.item->id + " may be monitoring equipment under " + m->act +
                       " (" + m->annex + ").");
          }
          break;
        }
        case law::MeasureScope::kNone:
          break;
      }
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
            Effect::kInformation,
            "No sanctions lists are loaded: the parties were not screened, so an EU or UN "
            "asset freeze on a party was not checked. Import lists (dualuse lists import) or "
            "pass --list.",
            "V");
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
      std::string what = p.name + " matches " + h.name + " on " + h.list + " (" + h.list_version +
                         (programs.empty() ? "" : "; " + programs) +
                         (h.listed_on.empty() ? "" : "; listed on " + h.listed_on) + ")";
      Finding& f = out.Add(freeze ? "screening/asset-freeze" : "screening/listed-party", basis,
                           freeze ? Effect::kProhibited : Effect::kRedFlag,
                           what + (freeze ? ": no funds or economic resources may be made "
                                            "available to it."
                                          : ": a listing outside the EU and UN asset freezes; "
                                            "check its consequences."),
                           it != c.eng->asset_lists.end()
                               ? law::VerificationCode(it->second->prov.verification)
                               : "K");
      f.party = static_cast<int>(i);
      out.Review("Party " + std::to_string(i) + " (" + p.name + ") matches a listed entity.");
      break;
    }
    if (res.status == screening::ScreeningStatus::kPotentialMatch) {
      out.Review("Party " + std::to_string(i) + " (" + p.name +
                 ") is a potential match on a sanctions list.");
    }
    out.d.screening.push_back(std::move(s));
  }
}

}  // namespace dualuse::rules
