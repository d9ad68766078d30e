// Engine: construction, validation of requests, the rule pipeline.
#include "dualuse/rules/engine.h"

#include <algorithm>

#include "dualuse/base/resources.h"
#include "law/json_reader.h"
#include "rules/engine_impl.h"

namespace dualuse::rules {

using law::CodeWithin;

// ---- helpers shared by the rules

bool InCodeList(const law::CodeList& list, std::string_view code, bool* partial) {
  for (const law::CodeEntry& e : list.entries) {
    if (CodeWithin(code, e.code)) {
      if (partial) *partial = e.partial;
      return true;
    }
  }
  return false;
}

bool ListHasDescendant(const law::CodeList& list, std::string_view code) {
  for (const law::CodeEntry& e : list.entries) {
    if (e.code.size() > code.size() && CodeWithin(e.code, code)) return true;
  }
  return false;
}

Finding& Out::Add(const Cite* cite, Effect effect, std::string summary) {
  return Add(cite->rule, cite->basis, effect, std::move(summary), cite->verification);
}

Finding& Out::Add(std::string rule, std::string basis, Effect effect, std::string summary,
                  std::string verification) {
  Finding f;
  f.rule = std::move(rule);
  f.basis = std::move(basis);
  f.effect = effect;
  f.summary = std::move(summary);
  f.verification = std::move(verification);
  d.findings.push_back(std::move(f));
  return d.findings.back();
}

void Out::Review(std::string reason) {
  d.review_required = true;
  if (std::find(d.review_reasons.begin(), d.review_reasons.end(), reason) ==
      d.review_reasons.end()) {
    d.review_reasons.push_back(std::move(reason));
  }
}

const RegimeView* EngineImpl::ViewOn(const Date& d) const {
  for (const RegimeView& v : regimes) {
    if (v.regime->period.Contains(d)) return &v;
  }
  return nullptr;
}

bool EngineImpl::IsCyberEntry(std::string_view code) const {
  const controllist::ControlEntry* e = annex->FindNearest(code);
  return e && e->cyber_surveillance;
}

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
std::vector<NamedCountry> NamedCountries(const AssessmentRequest& r, bool destination_inside) {
  std::vector<NamedCountry> named;
  if (!r.destination.empty() && !destination_inside) {
    named.push_back({r.destination, "the destination", std::nullopt, true});
  }
  for (size_t i = 0; i < r.parties.size(); ++i) {
    const Party& p = r.parties[i];
    if (p.country.empty() || p.role == PartyRole::kBroker || p.role == PartyRole::kAgent) continue;
    named.push_back({p.country, std::string("the ") + PartyRoleName(p.role) + " " + p.name,
                     static_cast<int>(i), false});
  }
  if (!r.end_use_country.empty()) {
    named.push_back({r.end_use_country, "the declared country of end use", std::nullopt, false});
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
void DateEntries(const law::LawData& law, const Date& as_of, const Item& it,
                 std::vector<std::string>* annex_i, Out& out) {
  std::vector<std::string> kept;
  for (const std::string& e : *annex_i) {
    const law::AnnexIEntryDate* rec = law.FindAnnexIDate(e);
    if (rec && as_of < rec->valid_from) {
      std::string from = rec->valid_from.ToString();
      if (rec->before == "not_listed") {
        out.Add("annex-i/entry-not-yet-in-annex", rec->act, Effect::kInformation,
                e + " was added to Annex I by " + rec->act + ", applicable from " + from + ": on " +
                    as_of.ToString() + " the item was not listed under " + e +
                    ", and no authorisation is required under it.",
                law::VerificationCode(rec->prov.verification))
            .item = it.id;
        out.Review("Item " + it.id + " is classified under " + e + ", which entered Annex I on " +
                   from + ": check whether another entry of the Annex I in force on " +
                   as_of.ToString() + " covered it.");
        continue;
      }
      out.Add("annex-i/entry-text-unknown", rec->act, Effect::kInformation,
              "The text of " + e + " before " + from + " (" + rec->act +
                  ") is not recorded in the data: whether the item was listed under it on " +
                  as_of.ToString() + " is not settled.",
              law::VerificationCode(rec->prov.verification))
          .item = it.id;
      out.Review("Item " + it.id + ": the Annex I text of " + e + " in force on " +
                 as_of.ToString() + " is not recorded; check the classification against it.");
    } else if (!rec && as_of < law.annex_i_text_from()) {
      out.Add("annex-i/entry-text-unknown", "Annex I (dual-use list)", Effect::kInformation,
              "The Annex I text in the data is the one in force from " +
                  law.annex_i_text_from().ToString() + "; whether " + e + " read the same on " +
                  as_of.ToString() + " is not recorded.",
              law::VerificationCode(law.annex_i_text_from_prov().verification))
          .item = it.id;
      out.Review("Item " + it.id + ": the Annex I text of " + e + " in force on " +
                 as_of.ToString() + " is not recorded; check the classification against it.");
    }
    kept.push_back(e);
  }
  *annex_i = std::move(kept);
}

// What the data says about the destination's place in the customs territory
// (Regulation (EU) No 952/2013, Article 4) beyond Member State membership.
void TerritoryFindings(const law::LawData& law, const AssessmentRequest& r, const Date& as_of,
                       Out& out) {
  if (const law::CustomsTerritoryRecord* t = law.FindTerritory(r.destination, as_of)) {
    out.Add("scope/customs-territory", t->basis, Effect::kInformation,
            t->name + " (" + r.destination + ") " +
                (t->inside
                     ? "is inside the customs territory of the Union (with " + t->member_state + ")"
                     : "lies outside the customs territory of the Union although it "
                       "belongs to or is associated with " +
                           t->member_state) +
                " on " + as_of.ToString() + ".",
            law::VerificationCode(t->prov.verification));
  }
  for (const law::TerritoryNote& n : law.territory_notes()) {
    if (n.member_state != r.destination || !n.period.Contains(as_of)) continue;
    out.Add("scope/territory-note", n.name, Effect::kInformation, n.text,
            law::VerificationCode(n.prov.verification));
  }
}

}  // namespace

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
  TerritoryFindings(law, r, as_of, out);
  if (c.IsExport() && c.destination_is_member) {
    c.activity = Activity::kTransfer;
    out.Add("scope/destination-in-union", act + ", Article 2(2)", Effect::kInformation,
            r.destination + " is inside the customs territory of the Union on " + as_of.ToString() +
                ": this is not an export but an intra-Union transfer, assessed as such.",
            "S");
  } else if (r.activity == Activity::kTransfer && !c.destination_is_member) {
    c.activity = Activity::kExport;
    out.Add("scope/destination-outside-union", act + ", Article 2(2)", Effect::kInformation,
            r.destination + " is outside the customs territory of the Union on " +
                as_of.ToString() + ": this is an export, assessed as such.",
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
    DateEntries(law, as_of, it, &info.annex_i, out);
    info.cyber = it.cyber_surveillance.value_or(false) || cyber_entry;
    info.cyber_unknown = !it.cyber_surveillance.has_value() && !cyber_entry;
    c.items.push_back(std::move(info));
  }
  c.named = NamedCountries(r, c.destination_is_member);
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
          c.embargo_via = n.destination ? "the country of destination " + n.country
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

// ---- Engine

Engine::Engine(std::unique_ptr<EngineImpl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Create(
    std::shared_ptr<const law::LawData> law,
    std::shared_ptr<const controllist::ControlList> annex) {
  if (!law || !annex) return Status::Internal("Engine::Create: law data and Annex I required");
  auto impl = std::make_unique<EngineImpl>();
  impl->law = law;
  impl->annex = annex;
  impl->measures.resize(26 * 26);
  impl->embargoes.resize(26 * 26);
  for (const law::Regime& r : law->regimes()) {
    RegimeView v;
    v.regime = &r;
    std::string slug_prefix = r.id + "/art-";
    for (const auto& [key, p] : r.provisions) {
      Cite cite;
      cite.provision = &p;
      cite.basis = r.act + ", Article " + p.article;
      cite.rule = slug_prefix + law::ArticleSlug(p.article);
      cite.verification = law::VerificationCode(p.prov.verification);
      v.cites.emplace(key, std::move(cite));
    }
    for (const law::GeneralAuthorisation& g : law->general_authorisations()) {
      if (g.regime == r.id) v.gas.push_back(&g);
    }
    for (const law::CodeList& l : law->annex_ii_section_i()) {
      if (l.regime == r.id) v.section_i.push_back(&l);
    }
    for (const law::CodeList& l : law->annex_iv()) {
      if (l.regime == r.id) v.annex_iv.push_back(&l);
    }
    if (!v.Get("listed_export")) {
      return Status::DataLoss("regimes.json: regime " + r.id + " has no listed_export provision");
    }
    impl->regimes.push_back(std::move(v));
  }
  for (const law::RestrictiveMeasure& m : law->restrictive_measures()) {
    impl->measures[law::CountryIndex(m.country)].push_back(&m);
  }
  for (const law::ArmsEmbargo& a : law->arms_embargoes()) {
    impl->embargoes[law::CountryIndex(a.country)].push_back(&a);
  }
  for (const law::AssetFreezeList& a : law->asset_freeze_lists()) {
    impl->asset_lists.emplace(a.list, &a);
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Result<std::unique_ptr<Engine>> Engine::CreateDefault() {
  DU_ASSIGN_OR_RETURN(auto law, law::LawData::Load());
  DU_ASSIGN_OR_RETURN(auto annex, controllist::ControlList::Load());
  return Create(std::move(law), std::move(annex));
}

const law::LawData& Engine::law() const { return *impl_->law; }
const controllist::ControlList& Engine::annex() const { return *impl_->annex; }

Date Engine::EffectiveDate(const AssessmentRequest& r, const std::optional<Date>& as_of) {
  if (as_of) return *as_of;
  if (r.date) return *r.date;
  return Date::Today();
}

Status Engine::Validate(const AssessmentRequest& r, std::string_view name) const {
  using jsonutil::Path;
  using jsonutil::Quote;
  const law::LawData& law = *impl_->law;
  std::string prefix = std::string(name) + ": ";
  Path root;
  auto country = [&](const std::string& c, const Path& p) -> Status {
    if (c.empty() || law.IsCountry(c)) return Status::Ok();
    return Status::InvalidArgument(prefix + p.ToString() + ": " + Quote(c) +
                                   " is not an ISO 3166-1 alpha-2 country code");
  };
  Path exp = root.Key("exporter");
  DU_RETURN_IF_ERROR(country(r.exporter.country, exp.Key("country")));
  DU_RETURN_IF_ERROR(country(r.destination, root.Key("destination")));
  DU_RETURN_IF_ERROR(country(r.origin, root.Key("origin")));
  DU_RETURN_IF_ERROR(country(r.end_use_country, root.Key("end_use").Key("country")));
  Path parties = root.Key("parties");
  for (size_t i = 0; i < r.parties.size(); ++i) {
    Path pp = parties.At(i);
    DU_RETURN_IF_ERROR(country(r.parties[i].country, pp.Key("country")));
  }
  Path items = root.Key("items");
  for (size_t i = 0; i < r.items.size(); ++i) {
    if (!r.items[i].control_entries) continue;
    Path ip = items.At(i);
    Path cp = ip.Key("control_entries");
    const auto& entries = *r.items[i].control_entries;
    for (size_t k = 0; k < entries.size(); ++k) {
      const std::string& e = entries[k];
      if (e.size() > 3 && e[2] == ':') {
        std::string_view pfx(e.data(), 2);
        bool known = false;
        const law::MemberStateLayer* l = law.FindLayer(pfx);
        if (l) {
          for (const law::NationalList& n : l->national_lists) {
            known = known || n.entries.empty() ||
                    std::find(n.entries.begin(), n.entries.end(), e) != n.entries.end();
          }
        }
        if (!known) {
          return Status::InvalidArgument(prefix + cp.At(k).ToString() + ": " + Quote(e) +
                                         " is not an entry of a national list in the law data");
        }
      } else if (!impl_->annex->IsKnown(e)) {
        return Status::InvalidArgument(prefix + cp.At(k).ToString() + ": " + Quote(e) +
                                       " is not an Annex I entry (expected e.g. 5A001.j)");
      }
    }
  }
  return Status::Ok();
}

Result<Determination> Engine::Assess(const AssessmentRequest& r, const Date& as_of,
                                     const screening::PartyScreener* screener) const {
  const RegimeView* view = impl_->ViewOn(as_of);
  if (!view) {
    std::string first = impl_->regimes.empty()
                            ? std::string("-")
                            : impl_->regimes.front().regime->period.from.ToString();
    return Status::InvalidArgument("$.date: no regime in the law data covers " + as_of.ToString() +
                                   " (expected a date from " + first + ")");
  }
  Out out;
  Determination& d = out.d;
  d.reference = r.reference;
  d.as_of = as_of;
  d.regime = view->regime->id;
  d.regime_act = view->regime->act;
  d.data_versions.law = impl_->law->version();
  d.data_versions.annex_i = impl_->annex->version();
  Context c = MakeContext(*impl_, r, as_of, out);
  if (c.layer) {
    if (const law::DatedAuthority* a = c.layer->AuthorityOn(as_of)) d.competent_authority = a->name;
  }
  RuleRestrictiveMeasures(c, out);
  RuleScreening(c, screener, out);
  RuleListedItems(c, out);
  RuleCatchAll(c, out);
  RuleCyberCatchAll(c, out);
  RuleNationalMeasures(c, out);
  RuleBrokering(c, out);
  RuleTransit(c, out);
  RuleTechnicalAssistance(c, out);
  RuleIntraEuTransfer(c, out);
  RuleGeneralAuthorisations(c, out);
  RuleRedFlags(c, out);
  RuleRecords(c, out);
  Conclude(c, out);
  return std::move(out.d);
}

std::vector<std::string> Engine::CheckLawCodes() const {
  std::vector<std::string> problems;
  const controllist::ControlList& annex = *impl_->annex;
  auto check = [&](const std::string& where, const std::string& code) {
    if (!annex.IsKnown(code)) {
      problems.push_back(where + ": " + jsonutil::Quote(code) + " is not an Annex I entry in " +
                         annex.version());
    }
  };
  const law::LawData& law = *impl_->law;
  for (const law::GeneralAuthorisation& g : law.general_authorisations()) {
    std::string where = "general-authorisations.json: " + g.id + " (" + g.regime + ")";
    for (const std::string& e : g.items.entries)
      check(where + " items.entries", e);
    for (const std::string& e : g.items.exclude)
      check(where + " items.exclude", e);
  }
  for (const law::CodeList& l : law.annex_ii_section_i()) {
    for (const law::CodeEntry& e : l.entries) {
      check("general-authorisations.json: annex_ii_section_i (" + l.regime + ")", e.code);
    }
  }
  for (const law::CodeList& l : law.annex_iv()) {
    for (const law::CodeEntry& e : l.entries) {
      check("annex-iv.json: " + l.regime, e.code);
    }
  }
  for (const law::RestrictiveMeasure& m : law.restrictive_measures()) {
    for (const std::string& e : m.annex_i_indicative) {
      check("restrictive-measures.json: " + m.id + " annex_i_indicative", e);
    }
  }
  return problems;
}

}  // namespace dualuse::rules
