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

std::string ActivityNoun(Activity a) {
  switch (a) {
    case Activity::kExport:
      return "export";
    case Activity::kTransmission:
      return "transmission";
    case Activity::kBrokering:
      return "brokering service";
    case Activity::kTransit:
      return "transit";
    case Activity::kTechnicalAssistance:
      return "technical assistance";
    case Activity::kTransfer:
      return "transfer";
  }
  return "export";
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
      Finding& f =
          out.Add("flag/security-end-user-cyber", cite->basis, Effect::kRedFlag,
                  p.name + " (" + PartyRoleName(p.role) + ") is a " + SectorName(*p.sector) +
                      " body receiving a cyber-surveillance item: check the risk of "
                      "misuse for internal repression or serious human-rights "
                      "violations.",
                  cite->verification);
      f.party = static_cast<int>(i);
      out.Review("Red flag: a security, intelligence or law-enforcement party (" + p.name +
                 ") for a cyber-surveillance item.");
    }
  }
  std::set<std::string> seen;
  for (const MeasureHit& hit : c.measures) {
    const law::RestrictiveMeasure* m = hit.m;
    if (!m->human_rights || !seen.insert(m->act).second) continue;
    std::string via = hit.Via(c.named);
    Finding& f = out.Add("flag/human-rights-measures/" + m->country, m->act, Effect::kRedFlag,
                         m->country +
                             " is subject to EU restrictive measures addressing human rights "
                             "or internal repression (" +
                             m->act + "; " + via + ").",
                         law::VerificationCode(m->prov.verification));
    f.party = hit.Party(c.named);
    out.Review("Red flag: " + via + " is under human-rights restrictive measures (" + m->act +
               ").");
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
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i)
      s += (i ? "; " : "") + v[i];
    return s;
  };
  std::string authority = d.competent_authority.empty()
                              ? "the competent authority of the Member State where the exporter "
                                "is established (" +
                                    c.req->exporter.country + ")"
                              : d.competent_authority;
  std::string noun = ActivityNoun(c.activity);
  if (!prohibit.empty()) {
    d.obligations.push_back("Do not carry out this " + noun + ": it is prohibited (" +
                            join(prohibit) + ").");
  }
  if (!licence.empty() && prohibit.empty()) {
    d.obligations.push_back("Obtain an authorisation from " + authority + " before the " + noun +
                            " (" + join(licence) + ").");
  }
  if (!notify.empty() && prohibit.empty()) {
    d.obligations.push_back("Notify " + authority +
                            " and do not proceed until it has decided "
                            "whether an authorisation is required (" +
                            join(notify) + ").");
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
        d.obligations.push_back(g->id + " condition: " + cond.text + ".");
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
        "Keep the records of this " + noun +
        " (commercial documents identifying the items, quantities, exporter, consignee and, "
        "where known, end-use and end-user) for at least " +
        (c.regime->record_keeping_years == 5   ? std::string("five")
         : c.regime->record_keeping_years == 3 ? std::string("three")
                                               : std::to_string(c.regime->record_keeping_years)) +
        " years from the end of the calendar year in which it took place (" + c.regime->act +
        ", Article " + article + ").");
  }
  const Cite* c52 = c.Get("cyber_catch_all_aware");
  if (c52 && c.activity != Activity::kTransfer) {
    const Cite* g = c.Get("guidelines");
    for (const ItemInfo& it : c.items) {
      if (!it.cyber || it.listed()) continue;
      d.obligations.push_back(
          "Item " + it.item->id +
          " is a cyber-surveillance item: record the due-diligence assessment behind this "
          "export (item capabilities, end-user and consignee, destination, red flags, "
          "mitigations, conclusion) (" +
          c52->basis + (g ? "; guidelines under " + g->basis : std::string()) + ").");
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
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (size_t i = 0; i < v.size(); ++i)
        s += (i ? (i + 1 == v.size() ? " and " : ", ") : "") + v[i];
      return s;
    };
    d.caveats.push_back(
        "This holds for what the request states. An authorisation becomes "
        "necessary if the competent authority informs the exporter of a use of "
        "concern (" +
        c.regime->act + ", Article" + (arts.size() > 1 ? "s " : " ") + list(arts) +
        "), and the exporter must notify if it becomes aware of "
        "one (Article" +
        (aware_arts.size() > 1 ? "s " : " ") + list(aware_arts) + ").");
  }
  if (d.screening.empty() && !c.req->parties.empty()) {
    // not reached: RuleScreening always fills screening when there are parties
  } else if (!d.screening.empty() && d.data_versions.lists.empty()) {
    d.caveats.push_back(
        "Parties were not screened: no sanctions lists were loaded, so EU and "
        "UN asset freezes were not checked.");
  } else if (!d.data_versions.lists.empty()) {
    std::string s = "Parties were screened against: ";
    bool first = true;
    for (const auto& [k, v] : d.data_versions.lists) {
      s += (first ? "" : ", ") + k + " " + v;
      first = false;
    }
    d.caveats.push_back(s + ".");
  }
  d.caveats.push_back("Control-list entries were checked against Annex I data " +
                      c.eng->annex->version() + "; the Annex I in force on " + c.as_of.ToString() +
                      " may differ in detail.");
  bool unverified = std::any_of(d.findings.begin(), d.findings.end(), [](const Finding& f) {
    return f.verification == "K" && Severity(f.effect) <= Severity(Effect::kGeneralAuthorisation);
  });
  if (unverified) {
    d.caveats.push_back(
        "Some findings rest on law data not yet verified against the official "
        "text (evidence level K): confirm them before relying on them.");
  }
}

}  // namespace dualuse::rules
