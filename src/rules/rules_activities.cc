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
              c.T("finding.brokering_informed", {{"entries", Join(it.annex_i)},
                                                 {"origin", c.req->origin},
                                                 {"destination", c.req->destination}}))
          .item = id;
    } else if (aw && c.HasArt41Use(k.aware)) {
      out.Add(aw, Effect::kNotifyAuthority,
              c.T("finding.brokering_aware", {{"entries", Join(it.annex_i)}}))
          .item = id;
    } else {
      out.Add(inf, Effect::kInformation, c.T("finding.brokering_none")).item = id;
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
              c.T("finding.transit_informed",
                  {{"entries", Join(it.annex_i)}, {"destination", c.req->destination}}))
          .item = id;
    } else if (c.HasArt41Use(k.aware)) {
      out.Add(t, Effect::kRedFlag, c.T("finding.transit_aware", {{"entries", Join(it.annex_i)}}))
          .item = id;
      out.Review(c.T("review.transit_aware", {{"item", id}}));
    } else {
      out.Add(t, Effect::kInformation, c.T("finding.transit_none")).item = id;
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
            c.T("finding.no_technical_assistance_rule", {{"act", c.T("act." + c.regime->id)}}),
            law::VerificationCode(c.regime->prov.verification));
    return;
  }
  // Art 8(3)(a): within, into or to a resident of an Annex II Section A Part 2 country.
  std::string exemption;
  if (c.destination_is_member) exemption = c.T("exemption.within_union");
  for (const law::GeneralAuthorisation* g : c.view->gas) {
    if (!exemption.empty()) break;
    if (g->id != "EU001" || !g->period.Contains(c.as_of)) continue;
    for (const law::DatedCountry& d : g->destinations) {
      if (d.country == c.req->destination && d.period.Contains(c.as_of)) {
        exemption = c.T("exemption.part_2", {{"country", c.req->destination}, {"annex", g->annex}});
      }
    }
  }
  if (exemption.empty() && HasCircumstance(c, "public_domain")) {
    exemption = c.T("exemption.public_domain");
  }
  if (exemption.empty() && HasCircumstance(c, "basic_scientific_research")) {
    exemption = c.T("exemption.basic_research");
  }
  if (exemption.empty() && HasCircumstance(c, "installation_maintenance_repair")) {
    exemption = c.T("exemption.installation");
  }
  const Knowledge& k = c.req->knowledge;
  for (const ItemInfo& it : c.items) {
    if (!it.listed()) continue;
    const std::string& id = it.item->id;
    if (!exemption.empty() && ex) {
      out.Add(ex, Effect::kInformation, c.T("finding.exempt", {{"exemption", exemption}})).item =
          id;
    } else if (c.HasArt41Use(k.informed)) {
      out.Add(inf, Effect::kLicenceRequired,
              c.T("finding.technical_assistance_informed", {{"entries", Join(it.annex_i)}}))
          .item = id;
    } else if (aw && c.HasArt41Use(k.aware)) {
      out.Add(aw, Effect::kNotifyAuthority, c.T("finding.technical_assistance_aware")).item = id;
    } else {
      out.Add(inf, Effect::kInformation, c.T("finding.technical_assistance_none")).item = id;
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
                c.T("finding.national_transfer", {{"entry", entry}}),
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
          partial.push_back(c.T("annex_iv.includes", {{"code", code}, {"entry", e.code}}));
        }
      }
    }
    if (!in.empty()) {
      out.Add(t, Effect::kLicenceRequired,
              c.T("finding.annex_iv_listed", {{"entries", Join(in)}, {"part", part}}))
          .item = id;
    } else if (!partial.empty()) {
      out.Add(t, Effect::kRedFlag, c.T("finding.annex_iv_partial", {{"entries", Join(partial)}}))
          .item = id;
      out.Review(c.T("review.annex_iv_partial", {{"item", id}}));
    } else {
      out.Add(t, Effect::kInformation,
              c.T("finding.annex_iv_not_listed",
                  {{"entries", Join(it.annex_i)},
                   {"annex", annex_iv ? annex_iv->annex : std::string("Annex IV")}}))
          .item = id;
      // A "no authorisation" resting on an unverified Annex IV list must not
      // stand silently.
      if (annex_iv && annex_iv->prov.verification == law::Verification::kUnverified) {
        out.Review(c.T("review.annex_iv_unverified", {{"item", id},
                                                      {"annex", annex_iv->annex},
                                                      {"act", c.T("act." + c.regime->id)},
                                                      {"entries", Join(it.annex_i)}}));
      }
    }
  }
}

}  // namespace dualuse::rules
