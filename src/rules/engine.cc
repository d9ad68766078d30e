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

// ---- Engine

Engine::Engine(std::unique_ptr<EngineImpl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Create(
    std::shared_ptr<const law::LawData> law,
    std::shared_ptr<const controllist::ControlList> annex) {
  if (!law || !annex) return Status::Internal("Engine::Create: law data and Annex I required");
  auto impl = std::make_unique<EngineImpl>();
  DU_ASSIGN_OR_RETURN(impl->msg, messages::Catalogue::Default());
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
  d.lang = impl_->msg->Speaks(r.lang) ? r.lang : messages::kDefaultLang;
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
  // Citations as the reader's language writes them (spec section 8); rule
  // ids stay as they are.
  for (Finding& f : d.findings)
    f.basis = c.BasisLabel(f.basis);
  for (GeneralAuthorisationResult& a : d.authorisations)
    a.basis = c.BasisLabel(a.basis);
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
