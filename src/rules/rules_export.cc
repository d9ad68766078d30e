// R1-R4: listed items (Art 3), the general catch-all (Art 4), the
// cyber-surveillance catch-all (Art 5, 2021/821 only) and national measures
// (Art 9/10; 428/2009: Art 8). Article numbers come from data/law/regimes.json.
#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

std::string EmbargoText(const Context& c, const law::ArmsEmbargo& a) {
  return c.T("embargo.text",
             {{"authority", a.authority}, {"country", a.country}, {"act", a.acts.front()}});
}

bool HumanRights(const ConcernSet& s) {
  return s.Has(Concern::kInternalRepression) || s.Has(Concern::kHumanRights);
}

const law::SuspicionRule* SuspicionRuleFor(const Context& c, std::string_view provision) {
  if (!c.layer) return nullptr;
  for (const law::SuspicionRule& r : c.layer->suspicion_rules) {
    if (r.provision == provision && r.period.Contains(c.as_of)) return &r;
  }
  return nullptr;
}

// A Member State's "grounds for suspecting" rule (Art 4(3), 5(3)), if recorded.
void Suspicion(const Context& c, Out& out, const ItemInfo& it, std::string_view key,
               const std::string& what) {
  const Cite* cite = c.Get(key);
  if (!cite) return;
  const law::SuspicionRule* rule = SuspicionRuleFor(c, key);
  if (rule) {
    out.Add(cite, Effect::kLicenceRequired,
            c.T("finding.suspicion_rule",
                {{"what", what},
                 {"country", c.req->exporter.country},
                 {"rule", rule->text.empty() ? rule->prov.source : rule->text}}))
        .item = it.item->id;
  } else {
    out.Add(
           cite, Effect::kInformation,
           c.T("finding.suspicion_no_rule", {{"what", what}, {"country", c.req->exporter.country}}))
        .item = it.item->id;
    out.Review(c.T("review.suspicion", {{"what", what}, {"item", it.item->id}}));
  }
}

// Art 5(1)'s uses in the act's words (regimes.json, "uses"): from the
// regime in force, or, under a regime without the clause (428/2009), from
// the one that introduced it, so that the finding can say what is missing.
std::string Art5Uses(const Context& c, const Cite* c51) {
  if (c51 && !c51->provision->uses.empty()) return c51->provision->uses;
  for (const law::Regime& r : c.eng->law->regimes()) {
    auto it = r.provisions.find("cyber_catch_all_informed");
    if (it != r.provisions.end() && !it->second.uses.empty()) return it->second.uses;
  }
  return "a use of concern under the cyber-surveillance catch-all";  // not in the law data
}

}  // namespace

void RuleListedItems(const Context& c, Out& out) {
  const Cite* cite =
      c.Get(c.activity == Activity::kTransfer && c.Get("intra_eu_transfer") ? "intra_eu_transfer"
                                                                            : "listed_export");
  for (const ItemInfo& it : c.items) {
    if (!it.classified) {
      out.Add(cite, Effect::kNeedsClassification, c.T("finding.not_classified")).item = it.item->id;
      out.Review(c.T("review.not_classified", {{"item", it.item->id}}));
      continue;
    }
    if (!c.IsExport() || !it.listed()) continue;
    out.Add(c.Get("listed_export"), Effect::kLicenceRequired,
            c.T("finding.listed", {{"entries", Join(it.annex_i)}, {"count", it.annex_i.size()}}))
        .item = it.item->id;
  }
}

void RuleCatchAll(const Context& c, Out& out) {
  if (!c.IsExport()) return;
  const Knowledge& k = c.req->knowledge;
  const Cite* wmd = c.Get("catch_all_wmd");
  const Cite* mil = c.Get("catch_all_military_embargo");
  const Cite* parts = c.Get("catch_all_military_parts");
  const Cite* aware = c.Get("catch_all_aware");
  std::string dest = c.req->destination;
  for (const ItemInfo& it : c.items) {
    if (it.listed()) continue;  // Art 4 concerns items not listed in Annex I
    const std::string& id = it.item->id;
    if (wmd && k.informed.Has(Concern::kWmd)) {
      out.Add(wmd, Effect::kLicenceRequired, c.T("finding.informed_wmd")).item = id;
    }
    if (mil && k.informed.Has(Concern::kMilitaryEndUse)) {
      if (c.counting_embargo) {
        out.Add(mil, Effect::kLicenceRequired,
                c.T("finding.informed_military_embargo",
                    {{"via", c.embargo_via}, {"embargo", EmbargoText(c, *c.counting_embargo)}}))
            .item = id;
      } else {
        out.Add(mil, Effect::kInformation,
                c.T("finding.military_no_embargo",
                    {{"country", dest},
                     {"as_of", c.as_of},
                     {"only", c.embargoes.empty() ? std::string("none")
                                                  : EmbargoText(c, *c.embargoes.front()) + ", " +
                                                        c.embargoes.front()->kind}}))
            .item = id;
      }
    }
    if (parts && k.informed.Has(Concern::kMilitaryPartsIllegallyExported)) {
      out.Add(parts, Effect::kLicenceRequired, c.T("finding.informed_military_parts")).item = id;
    }
    ConcernSet informed_uses;
    if (k.informed.Has(Concern::kWmd)) informed_uses.Add(Concern::kWmd);
    if (k.informed.Has(Concern::kMilitaryPartsIllegallyExported)) {
      informed_uses.Add(Concern::kMilitaryPartsIllegallyExported);
    }
    if (k.informed.Has(Concern::kMilitaryEndUse) && c.counting_embargo) {
      informed_uses.Add(Concern::kMilitaryEndUse);
    }
    std::vector<std::string> aware_of;
    if (k.aware.Has(Concern::kWmd) && !informed_uses.Has(Concern::kWmd)) {
      aware_of.push_back(c.T("use.wmd"));
    }
    if (k.aware.Has(Concern::kMilitaryEndUse) && !informed_uses.Has(Concern::kMilitaryEndUse)) {
      if (c.counting_embargo) {
        aware_of.push_back(
            c.T("use.military_embargo",
                {{"via", c.embargo_via}, {"embargo", EmbargoText(c, *c.counting_embargo)}}));
      } else if (mil) {
        out.Add(mil, Effect::kInformation,
                c.T("finding.aware_military_no_embargo", {{"country", dest}, {"as_of", c.as_of}}))
            .item = id;
      }
    }
    if (k.aware.Has(Concern::kMilitaryPartsIllegallyExported) &&
        !informed_uses.Has(Concern::kMilitaryPartsIllegallyExported)) {
      aware_of.push_back(c.T("use.military_parts"));
    }
    if (aware && !aware_of.empty()) {
      out.Add(aware, Effect::kNotifyAuthority,
              c.T("finding.aware_catch_all", {{"uses", Join(aware_of)}}))
          .item = id;
    }
    ConcernSet suspected;
    if (k.suspects.Has(Concern::kWmd)) suspected.Add(Concern::kWmd);
    if (k.suspects.Has(Concern::kMilitaryPartsIllegallyExported)) {
      suspected.Add(Concern::kMilitaryPartsIllegallyExported);
    }
    if (k.suspects.Has(Concern::kMilitaryEndUse) && c.counting_embargo) {
      suspected.Add(Concern::kMilitaryEndUse);
    }
    if (!suspected.empty()) {
      Suspicion(c, out, it, "catch_all_suspicion", c.T("use.general_catch_all"));
    }
  }
}

void RuleCyberCatchAll(const Context& c, Out& out) {
  if (!c.IsExport()) return;
  const Knowledge& k = c.req->knowledge;
  bool informed = HumanRights(k.informed), aware = HumanRights(k.aware),
       suspects = HumanRights(k.suspects);
  if (!informed && !aware && !suspects) return;
  const Cite* c51 = c.Get("cyber_catch_all_informed");
  const Cite* c52 = c.Get("cyber_catch_all_aware");
  const std::string use = Art5Uses(c, c51);
  for (const ItemInfo& it : c.items) {
    if (it.listed()) continue;  // Art 5 concerns items not listed in Annex I
    const std::string& id = it.item->id;
    if (!c51 || !c52) {
      if (!it.cyber && !it.cyber_unknown) continue;
      const Cite* nat = c.Get("national_measures");
      std::string basis_article = nat ? nat->provision->article : "-";
      Finding& f = out.Add(
          nat ? nat : c.Get("listed_export"), Effect::kInformation,
          c.T("finding.no_cyber_catch_all",
              {{"act", c.T("act." + c.regime->id)},
               {"use", use},
               {"article", basis_article == "-" ? basis_article : c.ArticleText(basis_article)},
               {"country", c.layer ? c.layer->country : std::string("none")}}));
      f.item = id;
      continue;
    }
    if (it.cyber) {
      if (informed) {
        out.Add(c51, Effect::kLicenceRequired, c.T("finding.cyber_informed", {{"use", use}})).item =
            id;
      } else if (aware) {
        out.Add(c52, Effect::kNotifyAuthority, c.T("finding.cyber_aware", {{"use", use}})).item =
            id;
      } else {
        Suspicion(c, out, it, "cyber_catch_all_suspicion", use);
      }
    } else if (it.cyber_unknown) {
      out.Add(informed ? c51 : c52, Effect::kRedFlag,
              c.T(informed ? "finding.cyber_unknown_informed" : "finding.cyber_unknown_aware",
                  {{"use", use}}))
          .item = id;
      out.Review(c.T("review.cyber_unknown",
                     {{"item", id}, {"basis", c.CiteText(c.regime->act, "2(20)")}}));
    }
  }
}

void RuleNationalMeasures(const Context& c, Out& out) {
  if (!c.IsExport()) return;
  const Cite* own = c.Get("national_measures");
  const Cite* other = c.Get("national_list_other_ms");
  const Knowledge& k = c.req->knowledge;
  for (const ItemInfo& it : c.items) {
    for (const std::string& entry : it.national) {
      std::string prefix = entry.substr(0, 2);
      const law::NationalList* nl = c.eng->law->FindNationalList(prefix, c.as_of);
      if (!own) continue;
      if (!nl) {
        out.Add(own, Effect::kInformation,
                c.T("finding.no_national_list",
                    {{"entry", entry}, {"prefix", prefix}, {"as_of", c.as_of}}))
            .item = it.item->id;
        continue;
      }
      std::string ver = law::VerificationCode(nl->prov.verification);
      if (c.req->exporter.country == nl->prefix) {
        Finding& f =
            out.Add(own->rule, own->basis + "; " + nl->title, Effect::kLicenceRequired,
                    c.T("finding.national_own", {{"entry", entry}, {"prefix", nl->prefix}}), ver);
        f.item = it.item->id;
      } else if (other && nl->published_under_art_9_4) {
        bool informed = k.informed.Has(Concern::kPublicSecurity) ||
                        k.informed.Has(Concern::kHumanRights) ||
                        k.informed.Has(Concern::kInternalRepression);
        Finding& f =
            out.Add(other->rule, other->basis + "; " + nl->title,
                    informed ? Effect::kLicenceRequired : Effect::kInformation,
                    c.T(informed ? "finding.national_other_informed" : "finding.national_other",
                        {{"entry", entry}, {"prefix", nl->prefix}}),
                    ver);
        f.item = it.item->id;
      } else {
        out.Add(own->rule, own->basis + "; " + nl->title, Effect::kInformation,
                c.T("finding.national_only_own", {{"entry", entry}, {"prefix", nl->prefix}}), ver)
            .item = it.item->id;
      }
    }
  }
}

}  // namespace dualuse::rules
