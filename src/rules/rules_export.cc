// R1-R4: listed items (Art 3), the general catch-all (Art 4), the
// cyber-surveillance catch-all (Art 5, 2021/821 only) and national measures
// (Art 9/10; 428/2009: Art 8). Article numbers come from data/law/regimes.json.
#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

std::string EmbargoText(const law::ArmsEmbargo& a) {
  return a.authority + " arms embargo on " + a.country + " (" + a.acts.front() + ")";
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
            "The exporter has grounds for suspecting " + what + "; " + c.req->exporter.country +
                " requires an authorisation in that case (" +
                (rule->text.empty() ? rule->prov.source : rule->text) + ").")
        .item = it.item->id;
  } else {
    out.Add(cite, Effect::kInformation,
            "The exporter has grounds for suspecting " + what +
                "; a Member State may require an authorisation for that, but no such rule is "
                "recorded for " +
                c.req->exporter.country + " in the law data.")
        .item = it.item->id;
    out.Review("The exporter suspects " + what + " for item " + it.item->id +
               ": check the Member State's suspicion rule.");
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
      out.Add(cite, Effect::kNeedsClassification,
              "The item has not been classified: whether it is listed in Annex I (and needs an "
              "authorisation) cannot be told.")
          .item = it.item->id;
      out.Review("Item " + it.item->id + " has no classification.");
      continue;
    }
    if (!c.IsExport() || !it.listed()) continue;
    out.Add(c.Get("listed_export"), Effect::kLicenceRequired,
            Join(it.annex_i) + (it.annex_i.size() > 1 ? " are" : " is") +
                " listed in Annex I; its export needs an authorisation.")
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
      out.Add(wmd, Effect::kLicenceRequired,
              "The competent authority informed the exporter that the item is or may be "
              "intended for chemical, biological or nuclear weapons or missiles capable of "
              "delivering them.")
          .item = id;
    }
    if (mil && k.informed.Has(Concern::kMilitaryEndUse)) {
      if (c.counting_embargo) {
        out.Add(mil, Effect::kLicenceRequired,
                "The exporter was informed of a possible military end-use, and " + c.embargo_via +
                    " is subject to an arms embargo: " + EmbargoText(*c.counting_embargo) + ".")
            .item = id;
      } else {
        out.Add(mil, Effect::kInformation,
                "A military end-use counts only where the purchasing country or country of "
                "destination is subject to an arms embargo decided by the Council, the OSCE or a "
                "binding UN Security Council resolution; " +
                    dest + " is not on " + c.as_of.ToString() +
                    (c.embargoes.empty() ? ""
                                         : " (only " + EmbargoText(*c.embargoes.front()) + ", " +
                                               c.embargoes.front()->kind + ")") +
                    ".")
            .item = id;
      }
    }
    if (parts && k.informed.Has(Concern::kMilitaryPartsIllegallyExported)) {
      out.Add(parts, Effect::kLicenceRequired,
              "The exporter was informed that the item is or may be intended as parts or "
              "components of military items exported without or in violation of an "
              "authorisation.")
          .item = id;
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
      aware_of.push_back("chemical, biological or nuclear weapons or their missiles");
    }
    if (k.aware.Has(Concern::kMilitaryEndUse) && !informed_uses.Has(Concern::kMilitaryEndUse)) {
      if (c.counting_embargo) {
        aware_of.push_back("a military end-use where " + c.embargo_via + " is subject to an " +
                           EmbargoText(*c.counting_embargo));
      } else if (mil) {
        out.Add(mil, Effect::kInformation,
                "The exporter is aware of a military end-use, but " + dest +
                    " is not subject to an arms embargo that counts for this rule on " +
                    c.as_of.ToString() + ": no notification duty arises from it.")
            .item = id;
      }
    }
    if (k.aware.Has(Concern::kMilitaryPartsIllegallyExported) &&
        !informed_uses.Has(Concern::kMilitaryPartsIllegallyExported)) {
      aware_of.push_back("parts or components of illegally exported military items");
    }
    if (aware && !aware_of.empty()) {
      out.Add(aware, Effect::kNotifyAuthority,
              "The exporter is aware that the item is intended for " + Join(aware_of) +
                  ": it must notify the competent authority, which decides whether the export "
                  "needs an authorisation.")
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
      Suspicion(c, out, it, "catch_all_suspicion", "a use referred to in the general catch-all");
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
          c.regime->act + " has no catch-all for items intended for " + use +
              "; only a national measure (Article " + basis_article +
              ") could require an authorisation" +
              (c.layer ? ", and none is recorded for " + c.layer->country : std::string()) + ".");
      f.item = id;
      continue;
    }
    if (it.cyber) {
      if (informed) {
        out.Add(c51, Effect::kLicenceRequired,
                "The competent authority informed the exporter that this cyber-surveillance "
                "item is or may be intended for " +
                    use + ".")
            .item = id;
      } else if (aware) {
        out.Add(c52, Effect::kNotifyAuthority,
                "The exporter's due diligence found that this cyber-surveillance item is "
                "intended for " +
                    use +
                    ": it must notify the competent authority, which decides whether the export "
                    "needs an authorisation.")
            .item = id;
      } else {
        Suspicion(c, out, it, "cyber_catch_all_suspicion", use);
      }
    } else if (it.cyber_unknown) {
      out.Add(
             informed ? c51 : c52, Effect::kRedFlag,
             "The request does not say whether the item is a cyber-surveillance item "
             "(Article 2(20)); if it is, this rule applies because of the " +
                 std::string(informed ? "information from the authority" : "exporter's knowledge") +
                 " about " + use + ".")
          .item = id;
      out.Review("Item " + id +
                 ": decide whether it is a cyber-surveillance item (Article 2(20) of " +
                 c.regime->act + ").");
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
                entry + ": no national control list of " + prefix + " is in force on " +
                    c.as_of.ToString() + ".")
            .item = it.item->id;
        continue;
      }
      std::string ver = law::VerificationCode(nl->prov.verification);
      if (c.req->exporter.country == nl->prefix) {
        Finding& f = out.Add(own->rule, own->basis + "; " + nl->title, Effect::kLicenceRequired,
                             entry + " is on the national control list of " + nl->prefix +
                                 ": its export from " + nl->prefix + " needs an authorisation.",
                             ver);
        f.item = it.item->id;
      } else if (other && nl->published_under_art_9_4) {
        bool informed = k.informed.Has(Concern::kPublicSecurity) ||
                        k.informed.Has(Concern::kHumanRights) ||
                        k.informed.Has(Concern::kInternalRepression);
        Finding& f = out.Add(other->rule, other->basis + "; " + nl->title,
                             informed ? Effect::kLicenceRequired : Effect::kInformation,
                             informed ? entry + " is on a national list of " + nl->prefix +
                                            " published by the Commission, and the exporter "
                                            "was informed of a use of concern."
                                      : entry + " is on a national list of " + nl->prefix +
                                            " published by the Commission: an authorisation is "
                                            "needed only if the exporter's authority informs it "
                                            "of a use of concern.",
                             ver);
        f.item = it.item->id;
      } else {
        out.Add(own->rule, own->basis + "; " + nl->title, Effect::kInformation,
                entry + " is on the national control list of " + nl->prefix +
                    ", which binds exports from " + nl->prefix +
                    " only (not recorded as "
                    "published for other Member States).",
                ver)
            .item = it.item->id;
      }
    }
  }
}

}  // namespace dualuse::rules
