// Red flags (legal-reference 1.3 and 4: due diligence), the verdict,
// obligations (records: 2021/821 Art 27 / 428/2009 Art 20; general
// authorisation registration; due-diligence record for cyber-surveillance
// items) and caveats (legal-reference 1.4).
#include <algorithm>
#include <set>

#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

bool SecuritySector(const Party& p) {
  return p.sector && (*p.sector == Sector::kGovernmentSecurity ||
                      *p.sector == Sector::kLawEnforcement || *p.sector == Sector::kIntelligence);
}

const Cite* DueDiligenceCite(const Context& c) {
  if (const Cite* g = c.Get("guidelines")) return g;
  if (const Cite* g = c.Get("authorisation_criteria")) return g;
  return c.Get("listed_export");
}

// The message id of the activity's noun ("export", "uitvoer").
const char* ActivityNoun(Activity a) {
  switch (a) {
    case Activity::kExport:
      return "activity.export";
    case Activity::kTransmission:
      return "activity.transmission";
    case Activity::kBrokering:
      return "activity.brokering";
    case Activity::kTransit:
      return "activity.transit";
    case Activity::kTechnicalAssistance:
      return "activity.technical_assistance";
    case Activity::kTransfer:
      return "activity.transfer";
  }
  return "activity.export";
}

}  // namespace

void RuleRedFlags(const Context& c, Out& out) {
  const AssessmentRequest& r = *c.req;
  bool any_cyber =
      std::any_of(c.items.begin(), c.items.end(), [](const ItemInfo& it) { return it.cyber; });
  if (any_cyber && c.activity != Activity::kTransfer) {
    const Cite* cite = DueDiligenceCite(c);
    for (size_t i = 0; i < r.parties.size(); ++i) {
      const Party& p = r.parties[i];
      if (!SecuritySector(p)) continue;
      Finding& f = out.Add("flag/security-end-user-cyber", cite->basis, Effect::kRedFlag,
                           c.T("flag.security_end_user_cyber",
                               {{"party", p.name},
                                {"role", c.T(std::string("role.") + PartyRoleName(p.role))},
                                {"sector", c.T(std::string("sector.") + SectorName(*p.sector))}}),
                           cite->verification);
      f.party = static_cast<int>(i);
      out.Review(c.T("review.security_end_user_cyber", {{"party", p.name}}));
    }
  }
  std::set<std::string> seen;
  for (const MeasureHit& hit : c.measures) {
    const law::RestrictiveMeasure* m = hit.m;
    if (!m->human_rights || !seen.insert(m->act).second) continue;
    std::string via = hit.Via(c.named);
    Finding& f = out.Add(
        "flag/human-rights-measures/" + m->country, m->act, Effect::kRedFlag,
        c.T("flag.human_rights_measures", {{"country", m->country}, {"act", m->act}, {"via", via}}),
        law::VerificationCode(m->prov.verification));
    f.party = hit.Party(c.named);
    out.Review(c.T("review.human_rights_measures", {{"via", via}, {"act", m->act}}));
  }
}

void Conclude(const Context& c, Out& out) {
  Determination& d = out.d;
  Effect verdict = Effect::kNoLicenceRequired;
  bool covered = false;
  std::vector<std::string> prohibit, licence, notify;
  for (const Finding& f : d.findings) {
    if (f.effect == Effect::kLicenceRequired && !f.covered_by.empty()) {
      covered = true;
      continue;
    }
    if (Severity(f.effect) <= Severity(Effect::kNeedsClassification) &&
        Severity(f.effect) < Severity(verdict)) {
      verdict = f.effect;
    }
    auto add = [](std::vector<std::string>& v, const std::string& b) {
      if (std::find(v.begin(), v.end(), b) == v.end()) v.push_back(b);
    };
    if (f.effect == Effect::kProhibited) add(prohibit, f.basis);
    if (f.effect == Effect::kLicenceRequired) add(licence, f.basis);
    if (f.effect == Effect::kNotifyAuthority) add(notify, f.basis);
  }
  if (verdict == Effect::kNoLicenceRequired && covered) verdict = Effect::kGeneralAuthorisation;
  d.verdict = verdict;
  d.licence_required = !licence.empty();
  auto join = [&c](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i)
      s += (i ? "; " : "") + c.BasisText(v[i]);
    return s;
  };
  std::string authority =
      d.competent_authority.empty()
          ? c.T("obligation.authority_of_exporter", {{"country", c.req->exporter.country}})
          : d.competent_authority;
  std::string noun = c.T(ActivityNoun(c.activity));
  if (!prohibit.empty()) {
    d.obligations.push_back(
        c.T("obligation.prohibited", {{"activity", noun}, {"basis", join(prohibit)}}));
  }
  if (!licence.empty() && prohibit.empty()) {
    d.obligations.push_back(
        c.T("obligation.licence",
            {{"authority", authority}, {"activity", noun}, {"basis", join(licence)}}));
  }
  if (!notify.empty() && prohibit.empty()) {
    d.obligations.push_back(
        c.T("obligation.notify", {{"authority", authority}, {"basis", join(notify)}}));
  }
  std::set<std::string> used;
  for (const std::string& g : out.covered_by) {
    if (!g.empty()) used.insert(g);
  }
  if (verdict == Effect::kGeneralAuthorisation || (covered && prohibit.empty())) {
    for (const law::GeneralAuthorisation* g : c.view->gas) {
      if (!used.count(g->id) || !g->period.Contains(c.as_of)) continue;
      for (const law::Obligation& o : g->obligations) {
        d.obligations.push_back(g->id + ": " + o.text + ".");
      }
      for (const law::Condition& cond : g->conditions) {
        d.obligations.push_back(
            c.T("obligation.ga_condition", {{"ga", g->id}, {"text", cond.text}}));
      }
    }
  }
  bool any_listed =
      std::any_of(c.items.begin(), c.items.end(), [](const ItemInfo& it) { return it.listed(); });
  bool controlled = any_listed || !licence.empty() || !notify.empty() || covered;
  if (controlled && prohibit.empty() && c.regime->record_keeping_years > 0) {
    const Cite* rk = c.Get("record_keeping");
    std::string article = rk ? rk->provision->article : c.regime->record_keeping_article;
    d.obligations.push_back(
        c.T("obligation.record_keeping", {{"activity", noun},
                                          {"years", c.regime->record_keeping_years},
                                          {"basis", c.CiteText(c.regime->act, article)}}));
  }
  const Cite* c52 = c.Get("cyber_catch_all_aware");
  if (c52 && c.activity != Activity::kTransfer) {
    const Cite* g = c.Get("guidelines");
    for (const ItemInfo& it : c.items) {
      if (!it.cyber || it.listed()) continue;
      d.obligations.push_back(
          c.T(g ? "obligation.cyber_due_diligence_guidelines" : "obligation.cyber_due_diligence",
              {{"item", it.item->id},
               {"basis", c.CiteText(c52)},
               {"guidelines", g ? c.CiteText(g) : std::string()}}));
    }
  }
  // Caveats (legal-reference 1.4).
  if (verdict == Effect::kNoLicenceRequired || verdict == Effect::kGeneralAuthorisation) {
    std::vector<std::string> arts;
    for (const char* key :
         {"catch_all_wmd", "cyber_catch_all_informed", "national_list_other_ms"}) {
      if (const Cite* ci = c.Get(key)) arts.push_back(ci->provision->article);
    }
    std::vector<std::string> aware_arts;
    for (const char* key : {"catch_all_aware", "cyber_catch_all_aware"}) {
      if (const Cite* ci = c.Get(key)) aware_arts.push_back(ci->provision->article);
    }
    std::string and_word = c.T("list.and");
    auto list = [&and_word](const std::vector<std::string>& v) {
      std::string s;
      for (size_t i = 0; i < v.size(); ++i)
        s += (i ? (i + 1 == v.size() ? " " + and_word + " " : ", ") : "") + v[i];
      return s;
    };
    d.caveats.push_back(c.T("caveat.catch_alls", {{"act", c.T("act." + c.regime->id)},
                                                  {"articles", list(arts)},
                                                  {"count", arts.size()},
                                                  {"aware_articles", list(aware_arts)},
                                                  {"aware_count", aware_arts.size()}}));
  }
  if (d.screening.empty() && !c.req->parties.empty()) {
    // not reached: RuleScreening always fills screening when there are parties
  } else if (!d.screening.empty() && d.data_versions.lists.empty()) {
    d.caveats.push_back(c.T("caveat.not_screened"));
  } else if (!d.data_versions.lists.empty()) {
    std::string s;
    bool first = true;
    for (const auto& [k, v] : d.data_versions.lists) {
      s += (first ? "" : ", ") + k + " " + v;
      first = false;
    }
    d.caveats.push_back(c.T("caveat.screened_against", {{"lists", s}}));
  }
  d.caveats.push_back(
      c.T("caveat.annex_i_version", {{"version", c.eng->annex->version()}, {"as_of", c.as_of}}));
  bool unverified = std::any_of(d.findings.begin(), d.findings.end(), [](const Finding& f) {
    return f.verification == "K" && Severity(f.effect) <= Severity(Effect::kGeneralAuthorisation);
  });
  if (unverified) {
    d.caveats.push_back(c.T("caveat.unverified"));
  }
}

}  // namespace dualuse::rules
