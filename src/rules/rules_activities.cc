// R5-R8: brokering (2021/821 Art 6; 428/2009 Art 5), transit (Art 7; 428: Art
// 6), technical assistance (Art 8, 2021/821 only) and intra-Union transfer
// (Art 11 / Annex IV; 428/2009: Art 22).
#include <algorithm>

#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

bool HasCircumstance(const Context& c, std::string_view what) {
  const auto& v = c.req->export_circumstances;
  return std::find(v.begin(), v.end(), what) != v.end();
}

}  // namespace

void RuleBrokering(const Context& c, Out& out) {
  if (c.activity != Activity::kBrokering) return;
  const Cite* inf = c.Get("brokering_informed");
  const Cite* aw = c.Get("brokering_aware");
  if (!inf) return;
  const Knowledge& k = c.req->knowledge;
  for (const ItemInfo& it : c.items) {
    if (!it.listed()) continue;
    const std::string& id = it.item->id;
    if (c.HasArt41Use(k.informed)) {
      out.Add(inf, Effect::kLicenceRequired,
              "Brokering services for " + Join(it.annex_i) + " (from " + c.req->origin + " to " +
                  c.req->destination +
                  "): the broker was informed of a use referred to in the general catch-all.")
          .item = id;
    } else if (aw && c.HasArt41Use(k.aware)) {
      out.Add(aw, Effect::kNotifyAuthority,
              "The broker is aware that " + Join(it.annex_i) +
                  " is intended for a use referred to in the general catch-all: it must notify "
                  "the competent authority.")
          .item = id;
    } else {
      out.Add(inf, Effect::kInformation,
              "Brokering services for Annex I items need an authorisation only where the broker "
              "has been informed of a use referred to in the general catch-all; nothing in the "
              "request says so.")
          .item = id;
    }
  }
}

void RuleTransit(const Context& c, Out& out) {
  if (c.activity != Activity::kTransit) return;
  const Cite* t = c.Get("transit");
  if (!t) return;
  const Knowledge& k = c.req->knowledge;
  for (const ItemInfo& it : c.items) {
    if (!it.listed()) continue;
    const std::string& id = it.item->id;
    if (c.HasArt41Use(k.informed)) {
      out.Add(t, Effect::kLicenceRequired,
              "Transit of " + Join(it.annex_i) + " to " + c.req->destination +
                  ": the competent authority of the Member State of transit has indicated a use "
                  "referred to in the general catch-all; it may prohibit the transit or impose "
                  "an authorisation requirement. Do not proceed without its decision.")
          .item = id;
    } else if (c.HasArt41Use(k.aware)) {
      out.Add(t, Effect::kRedFlag,
              "Transit of " + Join(it.annex_i) +
                  " known to be intended for a use referred to in the general catch-all: the "
                  "Member State of transit may prohibit it.")
          .item = id;
      out.Review("Transit of item " + id + " with a known use of concern.");
    } else {
      out.Add(t, Effect::kInformation,
              "Transit of non-Union Annex I items needs no authorisation unless the Member State "
              "of transit prohibits it or imposes one in the individual case.")
          .item = id;
    }
  }
}

void RuleTechnicalAssistance(const Context& c, Out& out) {
  if (c.activity != Activity::kTechnicalAssistance) return;
  const Cite* inf = c.Get("technical_assistance_informed");
  const Cite* aw = c.Get("technical_assistance_aware");
  const Cite* ex = c.Get("technical_assistance_exemptions");
  if (!inf) {
    out.Add("scope/no-technical-assistance-rule", c.regime->act, Effect::kInformation,
            c.regime->act +
                " has no rule on technical assistance as such; national law may "
                "control it, and transfers of technology are exports.",
            law::VerificationCode(c.regime->prov.verification));
    return;
  }
  // Art 8(3)(a): within, into or to a resident of an Annex II Section A Part 2 country.
  std::string exemption;
  if (c.destination_is_member) exemption = "the assistance is provided within the Union";
  for (const law::GeneralAuthorisation* g : c.view->gas) {
    if (!exemption.empty()) break;
    if (g->id != "EU001" || !g->period.Contains(c.as_of)) continue;
    for (const law::DatedCountry& d : g->destinations) {
      if (d.country == c.req->destination && d.period.Contains(c.as_of)) {
        exemption = c.req->destination + " is listed in " + g->annex + ", Part 2";
      }
    }
  }
  if (exemption.empty() && HasCircumstance(c, "public_domain")) {
    exemption = "the information is in the public domain";
  }
  if (exemption.empty() && HasCircumstance(c, "basic_scientific_research")) {
    exemption = "it is basic scientific research";
  }
  if (exemption.empty() && HasCircumstance(c, "installation_maintenance_repair")) {
    exemption =
        "it is the minimum necessary for installation, operation, maintenance or repair of "
        "items whose export was authorised";
  }
  const Knowledge& k = c.req->knowledge;
  for (const ItemInfo& it : c.items) {
    if (!it.listed()) continue;
    const std::string& id = it.item->id;
    if (!exemption.empty() && ex) {
      out.Add(ex, Effect::kInformation, "Exempt: " + exemption + ".").item = id;
    } else if (c.HasArt41Use(k.informed)) {
      out.Add(inf, Effect::kLicenceRequired,
              "Technical assistance related to " + Join(it.annex_i) +
                  ": the supplier was informed of a use referred to in the general catch-all.")
          .item = id;
    } else if (aw && c.HasArt41Use(k.aware)) {
      out.Add(aw, Effect::kNotifyAuthority,
              "The supplier is aware of a use referred to in the general catch-all: it must "
              "notify the competent authority.")
          .item = id;
    } else {
      out.Add(inf, Effect::kInformation,
              "Technical assistance related to Annex I items needs an authorisation only where "
              "the supplier has been informed of a use referred to in the general catch-all.")
          .item = id;
    }
  }
}

void RuleIntraEuTransfer(const Context& c, Out& out) {
  if (c.activity != Activity::kTransfer) return;
  const Cite* t = c.Get("intra_eu_transfer");
  if (!t) return;
  const law::CodeList* annex_iv = nullptr;
  for (const law::CodeList* l : c.view->annex_iv) {
    if (l->period.Contains(c.as_of)) annex_iv = l;
  }
  for (const ItemInfo& it : c.items) {
    const std::string& id = it.item->id;
    for (const std::string& entry : it.national) {
      const law::NationalList* nl = c.eng->law->FindNationalList(entry.substr(0, 2), c.as_of);
      if (nl && nl->intra_eu_transfer && c.req->exporter.country == nl->prefix) {
        out.Add(t->rule, t->basis + "; " + nl->title, Effect::kLicenceRequired,
                entry + ": the national list also controls transfers within the Union.",
                law::VerificationCode(nl->prov.verification))
            .item = id;
      }
    }
    if (!it.listed()) continue;
    std::vector<std::string> in, partial;
    int part = 0;
    for (const std::string& code : it.annex_i) {
      if (!annex_iv) break;
      for (const law::CodeEntry& e : annex_iv->entries) {
        if (law::CodeWithin(code, e.code)) {
          (e.partial ? partial : in).push_back(code + (e.note.empty() ? "" : " (" + e.note + ")"));
          part = std::max(part, e.part);
        } else if (law::CodeWithin(e.code, code)) {
          partial.push_back(code + " (includes " + e.code + ")");
        }
      }
    }
    if (!in.empty()) {
      out.Add(t, Effect::kLicenceRequired,
              Join(in) +
                  " is listed in Annex IV: its transfer within the Union needs an "
                  "authorisation" +
                  (part == 2 ? "; no general authorisation is possible for Annex IV Part 2 items."
                             : "."))
          .item = id;
    } else if (!partial.empty()) {
      out.Add(t, Effect::kRedFlag,
              "Annex IV may cover the item in part: " + Join(partial) +
                  ". Check the Annex IV wording.")
          .item = id;
      out.Review("Item " + id + " may be an Annex IV item (transfer within the Union).");
    } else {
      out.Add(t, Effect::kInformation,
              Join(it.annex_i) +
                  " is not listed in Annex IV: its transfer within the Union "
                  "needs no authorisation (" +
                  (annex_iv ? annex_iv->annex : std::string("Annex IV")) +
                  "). Where the final destination is outside the Union, the Member State of "
                  "dispatch may still require one.")
          .item = id;
      // A "no authorisation" resting on an unverified Annex IV list must not
      // stand silently.
      if (annex_iv && annex_iv->prov.verification == law::Verification::kUnverified) {
        out.Review("Item " + id + ": the " + annex_iv->annex + " list of " + c.regime->act +
                   " in the law data is not verified against the act; check that " +
                   Join(it.annex_i) + " is not in it.");
      }
    }
  }
}

}  // namespace dualuse::rules
