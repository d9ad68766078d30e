// The per-request context: the normalised activity (export or intra-Union
// transfer, by the customs territory of the Union), the items with their
// Annex I entries as in force on the date, the countries the request names,
// and the arms embargoes and restrictive measures in force on them.
#include <algorithm>

#include "rules/engine_impl.h"

namespace dualuse::rules {

bool Context::HasArt41Use(const ConcernSet& s) const {
  return s.Has(Concern::kWmd) || s.Has(Concern::kMilitaryPartsIllegallyExported) ||
         (s.Has(Concern::kMilitaryEndUse) && counting_embargo != nullptr);
}

std::string MeasureHit::Via(const std::vector<NamedCountry>& named) const {
  std::string out;
  for (size_t i : via) {
    const NamedCountry& n = named[i];
    if (!out.empty()) out += "; ";
    out += n.who + (n.destination ? " " + n.country : " (" + n.country + ")");
  }
  return out;
}

std::optional<int> MeasureHit::Party(const std::vector<NamedCountry>& named) const {
  for (size_t i : via) {
    if (named[i].party) return named[i].party;
  }
  return std::nullopt;
}

namespace {

// The countries a request names (see NamedCountry). The destination counts
// only when it lies outside the customs territory of the Union.
std::vector<NamedCountry> NamedCountries(const EngineImpl& eng, const AssessmentRequest& r,
                                         bool destination_inside) {
  std::vector<NamedCountry> named;
  if (!r.destination.empty() && !destination_inside) {
    named.push_back({r.destination, eng.Text(r.lang, "who.destination"), std::nullopt, true});
  }
  for (size_t i = 0; i < r.parties.size(); ++i) {
    const Party& p = r.parties[i];
    if (p.country.empty() || p.role == PartyRole::kBroker || p.role == PartyRole::kAgent) continue;
    named.push_back(
        {p.country,
         eng.Text(r.lang, "who.party",
                  {{"role", eng.Text(r.lang, std::string("role.") + PartyRoleName(p.role))},
                   {"party", p.name}}),
         static_cast<int>(i), false});
  }
  if (!r.end_use_country.empty()) {
    named.push_back(
        {r.end_use_country, eng.Text(r.lang, "who.end_use_country"), std::nullopt, false});
  }
  return named;
}

// Art 4(1)(b): "the purchasing country or country of destination".
bool CountsForArt41b(const NamedCountry& n, const AssessmentRequest& r) {
  if (n.destination || !n.party) return true;  // destination, declared country of end use
  PartyRole role = r.parties[*n.party].role;
  return role == PartyRole::kPurchaser || role == PartyRole::kEndUser;
}

// Annex I entries dated in the law data (annex-i-dates.json): an entry that did
// not yet exist on as_of does not make the item listed; an entry whose text on
// as_of is not recorded is kept, with a caveat and a review.
void DateEntries(const EngineImpl& eng, const AssessmentRequest& r, const Date& as_of,
                 const Item& it, std::vector<std::string>* annex_i, Out& out) {
  const law::LawData& law = *eng.law;
  auto t = [&](std::string_view id, const messages::Args& args) {
    return eng.Text(r.lang, id, args);
  };
  std::vector<std::string> kept;
  for (const std::string& e : *annex_i) {
    const law::AnnexIEntryDate* rec = law.FindAnnexIDate(e);
    if (rec && as_of < rec->valid_from) {
      if (rec->before == "not_listed") {
        out.Add("annex-i/entry-not-yet-in-annex", rec->act, Effect::kInformation,
                t("finding.entry_not_yet_in_annex",
                  {{"entry", e}, {"act", rec->act}, {"from", rec->valid_from}, {"as_of", as_of}}),
                law::VerificationCode(rec->prov.verification))
            .item = it.id;
        out.Review(t("review.entry_not_yet_in_annex",
                     {{"item", it.id}, {"entry", e}, {"from", rec->valid_from}, {"as_of", as_of}}));
        continue;
      }
      out.Add("annex-i/entry-text-unknown", rec->act, Effect::kInformation,
              t("finding.entry_text_unknown",
                {{"entry", e}, {"act", rec->act}, {"from", rec->valid_from}, {"as_of", as_of}}),
              law::VerificationCode(rec->prov.verification))
          .item = it.id;
      out.Review(t("review.entry_text_unknown", {{"item", it.id}, {"entry", e}, {"as_of", as_of}}));
    } else if (!rec && as_of < law.annex_i_text_from()) {
      out.Add("annex-i/entry-text-unknown", "Annex I (dual-use list)", Effect::kInformation,
              t("finding.annex_i_text_from",
                {{"from", law.annex_i_text_from()}, {"entry", e}, {"as_of", as_of}}),
              law::VerificationCode(law.annex_i_text_from_prov().verification))
          .item = it.id;
      out.Review(t("review.entry_text_unknown", {{"item", it.id}, {"entry", e}, {"as_of", as_of}}));
    }
    kept.push_back(e);
  }
  *annex_i = std::move(kept);
}

// What the data says about the destination's place in the customs territory
// (Regulation (EU) No 952/2013, Article 4) beyond Member State membership.
void TerritoryFindings(const EngineImpl& eng, const AssessmentRequest& r, const Date& as_of,
                       Out& out) {
  const law::LawData& law = *eng.law;
  if (const law::CustomsTerritoryRecord* t = law.FindTerritory(r.destination, as_of)) {
    out.Add("scope/customs-territory", t->basis, Effect::kInformation,
            eng.Text(r.lang, t->inside ? "finding.territory_inside" : "finding.territory_outside",
                     {{"name", t->name},
                      {"country", r.destination},
                      {"member_state", t->member_state},
                      {"as_of", as_of}}),
            law::VerificationCode(t->prov.verification));
  }
  for (const law::TerritoryNote& n : law.territory_notes()) {
    if (n.member_state != r.destination || !n.period.Contains(as_of)) continue;
    out.Add("scope/territory-note", n.name, Effect::kInformation, n.text,
            law::VerificationCode(n.prov.verification));
  }
}

}  // namespace

std::string Context::ArticleText(const std::string& article) const {
  // "5(2)", "4(1)(a)": the number, then paragraph and point in parentheses.
  std::string number, paragraph, point;
  size_t i = 0;
  while (i < article.size() && article[i] != '(')
    number += article[i++];
  std::vector<std::string> parts;
  while (i < article.size() && article[i] == '(') {
    size_t close = article.find(')', i);
    if (close == std::string::npos) return T("cite.article_raw", {{"article", article}});
    parts.push_back(article.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  if (i != article.size() || number.empty() || parts.size() > 2) {
    return T("cite.article_raw", {{"article", article}});
  }
  return T("cite.article_parts", {{"number", number},
                                  {"paragraph", parts.empty() ? "none" : parts[0]},
                                  {"point", parts.size() < 2 ? "none" : parts[1]}});
}

std::string Context::CiteText(const std::string& act, const std::string& article) const {
  std::string act_text = act;
  for (const law::Regime& r : eng->law->regimes()) {
    if (r.act == act) act_text = T("act." + r.id);
  }
  // "several": the article has a paragraph or point, which Dutch closes
  // with a comma ("artikel 5, lid 2, van").
  return T("cite.article", {{"act", act_text},
                            {"article", ArticleText(article)},
                            {"parts", article.find('(') == std::string::npos ? "one" : "several"}});
}

std::string Context::CiteText(const Cite* cite) const {
  return CiteText(regime->act, cite->provision->article);
}

std::string Context::BasisText(const std::string& basis) const {
  return Rebase(basis, "cite.article");
}

std::string Context::BasisLabel(const std::string& basis) const {
  return Rebase(basis, "cite.label");
}

std::string Context::Rebase(const std::string& basis, std::string_view form) const {
  if (lang() == messages::kDefaultLang) return basis;
  for (const law::Regime& r : eng->law->regimes()) {
    std::string head = r.act + ", Article ";
    if (basis.rfind(head, 0) != 0) continue;
    size_t end = basis.find_first_of("; ", head.size());
    std::string article =
        basis.substr(head.size(), end == std::string::npos ? end : end - head.size());
    std::string tail = end == std::string::npos ? std::string() : basis.substr(end);
    if (tail.rfind(" and ", 0) == 0) tail = " " + T("list.and") + tail.substr(4);
    return T(form, {{"act", T("act." + r.id)}, {"article", ArticleText(article)}}) + tail;
  }
  return basis;
}

Context MakeContext(const EngineImpl& eng, const AssessmentRequest& r, const Date& as_of,
                    Out& out) {
  Context c;
  c.eng = &eng;
  c.req = &r;
  c.as_of = as_of;
  c.view = eng.ViewOn(as_of);
  c.regime = c.view->regime;
  c.activity = r.activity;
  const law::LawData& law = *eng.law;
  c.destination_is_member = law.InCustomsTerritory(r.destination, as_of);
  c.exporter_is_member = law.IsMemberState(r.exporter.country, as_of);
  c.layer = law.FindLayer(r.exporter.country);
  const std::string& act = c.regime->act;
  TerritoryFindings(eng, r, as_of, out);
  if (c.IsExport() && c.destination_is_member) {
    c.activity = Activity::kTransfer;
    out.Add("scope/destination-in-union", act + ", Article 2(2)", Effect::kInformation,
            eng.Text(r.lang, "finding.destination_in_union",
                     {{"country", r.destination}, {"as_of", as_of}}),
            "S");
  } else if (r.activity == Activity::kTransfer && !c.destination_is_member) {
    c.activity = Activity::kExport;
    out.Add("scope/destination-outside-union", act + ", Article 2(2)", Effect::kInformation,
            eng.Text(r.lang, "finding.destination_outside_union",
                     {{"country", r.destination}, {"as_of", as_of}}),
            "S");
  }
  c.items.reserve(r.items.size());
  for (const Item& it : r.items) {
    ItemInfo info;
    info.item = &it;
    info.classified = it.control_entries.has_value();
    bool cyber_entry = false;
    if (it.control_entries) {
      for (const std::string& e : *it.control_entries) {
        if (e.size() > 3 && e[2] == ':') {
          info.national.push_back(e);
        } else {
          info.annex_i.push_back(e);
          cyber_entry = cyber_entry || eng.IsCyberEntry(e);
        }
      }
    }
    DateEntries(eng, r, as_of, it, &info.annex_i, out);
    info.cyber = it.cyber_surveillance.value_or(false) || cyber_entry;
    info.cyber_unknown = !it.cyber_surveillance.has_value() && !cyber_entry;
    c.items.push_back(std::move(info));
  }
  c.named = NamedCountries(eng, r, c.destination_is_member);
  for (size_t ni = 0; ni < c.named.size(); ++ni) {
    const NamedCountry& n = c.named[ni];
    int ci = law::CountryIndex(n.country);
    if (ci < 0) continue;
    if (CountsForArt41b(n, r)) {
      for (const law::ArmsEmbargo* a : eng.embargoes[ci]) {
        if (!a->period.Contains(as_of)) continue;
        if (std::find(c.embargoes.begin(), c.embargoes.end(), a) == c.embargoes.end()) {
          c.embargoes.push_back(a);
        }
        bool counts = a->counts_for_art_4_1_b;
        if (c.layer) {
          for (const law::EmbargoOverride& o : c.layer->arms_embargo_overrides) {
            if (o.embargo == a->id && o.period.Contains(as_of)) counts = o.counts_for_art_4_1_b;
          }
        }
        if (counts && !c.counting_embargo) {
          c.counting_embargo = a;
          c.embargo_via = n.destination ? eng.Text(r.lang, "who.country_of_destination",
                                                   {{"country", n.country}})
                                        : n.who + " (" + n.country + ")";
        }
      }
    }
    for (const law::RestrictiveMeasure* m : eng.measures[ci]) {
      if (!m->period.Contains(as_of)) continue;
      auto hit = std::find_if(c.measures.begin(), c.measures.end(),
                              [&](const MeasureHit& h) { return h.m == m; });
      if (hit == c.measures.end()) {
        c.measures.push_back({m, {}, false});
        hit = c.measures.end() - 1;
      }
      hit->via.push_back(ni);
      hit->destination = hit->destination || n.destination;
    }
  }
  return c;
}

}  // namespace dualuse::rules
