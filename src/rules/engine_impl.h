// Private: the engine's precomputed tables, the per-request context and the
// rule units. Each rule is a function Rule*(const Context&, Out&) in its own
// file rules_*.cc with its own tests; engine.cc runs them in the order of
// legal-reference section 1.3.
#ifndef DUALUSE_SRC_RULES_ENGINE_IMPL_H_
#define DUALUSE_SRC_RULES_ENGINE_IMPL_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/controllist/control_list.h"
#include "dualuse/law/law_data.h"
#include "dualuse/messages/catalogue.h"
#include "dualuse/rules/determination.h"
#include "dualuse/rules/request.h"
#include "dualuse/screening/screener.h"

namespace dualuse::rules {

// "a, b, c": the entry codes and concerns the findings' summaries list.
inline std::string Join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

// A provision as cited in findings: "<act>, Article <article>" and its rule id.
struct Cite {
  const law::Provision* provision = nullptr;
  std::string basis;  // "Regulation (EU) 2021/821, Article 5(2)"
  std::string rule;   // "eu-2021-821/art-5-2"
  std::string verification;
};

struct RegimeView {
  const law::Regime* regime = nullptr;
  std::map<std::string, Cite, std::less<>> cites;
  std::vector<const law::GeneralAuthorisation*> gas;  // all versions for this regime
  std::vector<const law::CodeList*> section_i;
  std::vector<const law::CodeList*> annex_iv;
  // nullptr when the regime has no such provision.
  const Cite* Get(std::string_view key) const {
    auto it = cites.find(key);
    return it == cites.end() ? nullptr : &it->second;
  }
};

class EngineImpl {
 public:
  std::shared_ptr<const law::LawData> law;
  std::shared_ptr<const controllist::ControlList> annex;
  std::vector<RegimeView> regimes;  // parallel to law->regimes()
  // Per country index (law::CountryIndex): the records about that country.
  std::vector<std::vector<const law::RestrictiveMeasure*>> measures;
  std::vector<std::vector<const law::ArmsEmbargo*>> embargoes;
  std::map<std::string, const law::AssetFreezeList*, std::less<>> asset_lists;
  // The texts of findings, review reasons, obligations and caveats
  // (data/messages); never null after Engine::Create.
  const messages::Catalogue* msg = nullptr;

  // The message `id` in `lang` (messages/catalogue.h).
  std::string Text(std::string_view lang, std::string_view id,
                   const messages::Args& args = {}) const {
    return msg->Format(lang, id, args);
  }

  const RegimeView* ViewOn(const Date& d) const;
  // Whether the Annex I entry (or its nearest listed ancestor) is a
  // cyber-surveillance entry.
  bool IsCyberEntry(std::string_view code) const;
};

// One item of the request, classified.
struct ItemInfo {
  const Item* item = nullptr;
  bool classified = false;            // control_entries given
  std::vector<std::string> annex_i;   // Annex I entries
  std::vector<std::string> national;  // "NL:..." entries
  bool listed() const { return !annex_i.empty(); }
  bool not_listed() const { return classified && annex_i.empty(); }
  bool cyber = false;          // explicit true, or a cyber-surveillance Annex I entry
  bool cyber_unknown = false;  // not stated and not implied by a listed entry
};

// A country the request names and who names it: the destination, a party's
// country (consignee, end-user, intermediate consignee, purchaser) or the
// declared country of end use. Restrictive measures apply to each.
struct NamedCountry {
  std::string country;
  std::string who;           // "the destination", "the end_user Primer OOO"
  std::optional<int> party;  // index into request.parties
  bool destination = false;
};

// A restrictive measure in force that one or more named countries trigger.
struct MeasureHit {
  const law::RestrictiveMeasure* m = nullptr;
  std::vector<size_t> via;   // indices into Context::named
  bool destination = false;  // the destination is among them
  // "the destination RU; the end_user Primer OOO (RU)".
  std::string Via(const std::vector<NamedCountry>& named) const;
  // The first party among `via`, if any.
  std::optional<int> Party(const std::vector<NamedCountry>& named) const;
};

struct Context {
  const EngineImpl* eng = nullptr;
  const AssessmentRequest* req = nullptr;
  Date as_of;
  const RegimeView* view = nullptr;
  const law::Regime* regime = nullptr;
  Activity activity = Activity::kExport;  // after normalisation (export <-> transfer)
  bool destination_is_member = false;
  bool exporter_is_member = false;
  const law::MemberStateLayer* layer = nullptr;  // the exporter's Member State, if modelled
  std::vector<ItemInfo> items;
  // The countries the request names (NamedCountry), in request order.
  std::vector<NamedCountry> named;
  // Arms embargoes in force on as_of on the purchasing country or the country
  // of destination (Art 4(1)(b)): the destination, the purchaser's and the
  // end-user's country, the declared country of end use.
  std::vector<const law::ArmsEmbargo*> embargoes;
  // The first of them that counts for Art 4(1)(b) (after Member State overrides).
  const law::ArmsEmbargo* counting_embargo = nullptr;
  std::string embargo_via;  // who names the counting embargo's country
  // Restrictive measures in force on as_of on any named country.
  std::vector<MeasureHit> measures;

  // The reader's language (AssessmentRequest::lang) and its texts.
  const std::string& lang() const { return req->lang; }
  std::string T(std::string_view id, const messages::Args& args = {}) const {
    return eng->Text(req->lang, id, args);
  }
  // A provision cited in running text, as the reader's language cites it:
  // "Regulation (EU) 2021/821, Article 5(2)" or "artikel 5, lid 2, van
  // Verordening (EU) 2021/821".
  std::string CiteText(const Cite* cite) const;
  std::string CiteText(const std::string& act, const std::string& article) const;
  // An article number as the reader's language writes it: "5(2)" or "5, lid 2".
  std::string ArticleText(const std::string& article) const;
  // A finding's basis ("<act>, Article <article>[; or and more]") in the
  // reader's language; unchanged for en and for a basis of another shape.
  std::string BasisText(const std::string& basis) const;
  // The same as a label (a finding's `basis`): "Verordening (EU) 2021/821,
  // artikel 5, lid 2" (message "cite.label"); unchanged for en.
  std::string BasisLabel(const std::string& basis) const;
  std::string Rebase(const std::string& basis, std::string_view form) const;

  bool IsExport() const {
    return activity == Activity::kExport || activity == Activity::kTransmission;
  }
  // Art 4(1) uses in `s`: WMD, military end-use only where the destination is
  // under a counting arms embargo, parts of illegally exported military items.
  bool HasArt41Use(const ConcernSet& s) const;
  const Cite* Get(std::string_view key) const { return view->Get(key); }
};

// Builds the context: normalised activity, item classes, embargoes, measures.
// Adds the information findings that normalisation produces to `out`.
struct Out;
Context MakeContext(const EngineImpl& eng, const AssessmentRequest& r, const Date& as_of, Out& out);

// The determination being built.
struct Out {
  Determination d;
  // Items (by index into Context::items) whose Art 3(1) requirement a general
  // authorisation covers, and which one.
  std::vector<std::string> covered_by;

  Finding& Add(const Cite* cite, Effect effect, std::string summary);
  Finding& Add(std::string rule, std::string basis, Effect effect, std::string summary,
               std::string verification);
  void Review(std::string reason);
};

// The rules, in evaluation order (legal-reference section 1.3).
void RuleRestrictiveMeasures(const Context& c, Out& out);  // R0 (without screening)
void RuleScreening(const Context& c, const screening::PartyScreener* screener, Out& out);  // R0
void RuleListedItems(const Context& c, Out& out);            // R1: Art 3
void RuleCatchAll(const Context& c, Out& out);               // R2: Art 4
void RuleCyberCatchAll(const Context& c, Out& out);          // R3: Art 5
void RuleNationalMeasures(const Context& c, Out& out);       // R4: Art 9/10 (428: Art 8)
void RuleBrokering(const Context& c, Out& out);              // R5: Art 6 (428: Art 5)
void RuleTransit(const Context& c, Out& out);                // R6: Art 7 (428: Art 6)
void RuleTechnicalAssistance(const Context& c, Out& out);    // R7: Art 8
void RuleIntraEuTransfer(const Context& c, Out& out);        // R8: Art 11 (428: Art 22)
void RuleGeneralAuthorisations(const Context& c, Out& out);  // R9: Art 12, Annex II
void RuleRedFlags(const Context& c, Out& out);
// The classification and due-diligence records the request rests on (information).
void RuleRecords(const Context& c, Out& out);
// Verdict, licence_required, obligations, caveats.
void Conclude(const Context& c, Out& out);

// Whether `code` lies within any entry of `list` (entries cover their sub-items).
// `partial` is set when the matching entry is marked partial.
bool InCodeList(const law::CodeList& list, std::string_view code, bool* partial = nullptr);
// Whether some entry of `list` lies strictly below `code` (the item may include it).
bool ListHasDescendant(const law::CodeList& list, std::string_view code);

}  // namespace dualuse::rules

#endif  // DUALUSE_SRC_RULES_ENGINE_IMPL_H_
