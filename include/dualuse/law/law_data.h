// LawData: the law as data (data/law/, see its README.md), loaded and checked.
//
// Everything the rules know about the law comes from here: the two regimes
// (Regulation (EC) No 428/2009 until 2021-09-09, Regulation (EU) 2021/821 from
// then on) with the article each uses for every rule, countries, Member States,
// Union general export authorisations, Annex IV, arms embargoes, restrictive
// measures and Member State layers. Every fact carries its source and a
// verification level; every rule-relevant fact a half-open validity period.
//
// Load() rejects data that breaks the schema (kDataLoss, one line naming file,
// JSON path and expectation): missing sources, unknown country codes, unknown
// provision keys or condition ids, overlapping periods. Annex I code existence
// is checked by the rules module (law does not depend on controllist).
// Immutable after Load; share it between threads freely.
#ifndef DUALUSE_LAW_LAW_DATA_H_
#define DUALUSE_LAW_LAW_DATA_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"

namespace dualuse::law {

enum class Verification { kVerified, kSecondary, kUnverified };  // "V", "S", "K"
const char* VerificationCode(Verification v);

struct Provenance {
  std::string source;
  Verification verification = Verification::kUnverified;
};

// A rule-relevant provision of a regime, e.g. key "cyber_catch_all_aware" ->
// article "5(2)". Keys are listed in data/law/README.md.
struct Provision {
  std::string key;
  std::string article;  // "5(2)", "4(1)(b)"
  std::string title;
  Provenance prov;
  // The uses of concern in the act's own words, where findings quote them
  // (Art 5(1) of 2021/821); "" when not recorded. Its own source and level.
  std::string uses;
  Provenance uses_prov;
};

struct Regime {
  std::string id;          // "eu-2021-821"
  std::string act;         // "Regulation (EU) 2021/821", used in every citation
  std::string act_number;  // "2021/821"
  std::string title;
  Period period;
  Provenance prov;
  int record_keeping_years = 0;
  std::string record_keeping_article;
  std::map<std::string, Provision, std::less<>> provisions;

  const Provision* Find(std::string_view key) const;
};

struct Country {
  std::string alpha2, alpha3, name;
};

struct MemberState {
  std::string country;
  Period period;  // inside the customs territory of the Union
  Provenance prov;
};

struct DatedCountry {
  std::string country;
  Period period;  // within the enclosing record's period
};

struct ItemScope {
  bool all_annex_i = false;
  bool except_annex_ii_section_i = false;
  std::vector<std::string> entries;  // covered entries (with sub-items)
  std::vector<std::string> exclude;  // excluded entries (with sub-items)
  std::vector<std::string> kinds;    // "goods", "software", "technology"; empty = all
};

struct Condition {
  std::string id;  // see README: not_informed_or_aware_art_4_1, requires_icp, ...
  std::string value;
  std::string text;
  Provenance prov;
};

struct Obligation {
  std::string text;
  Provenance prov;
};

struct GeneralAuthorisation {
  std::string id;  // "EU001"
  std::string regime;
  std::string annex;
  std::string title;
  Period period;
  Provenance prov;
  std::vector<std::string> activities;
  ItemScope items;
  bool all_destinations = false;  // destinations_all_except given
  std::vector<DatedCountry> destinations;
  std::vector<std::string> destinations_all_except;
  Provenance destinations_prov;
  std::vector<Condition> conditions;
  std::vector<Obligation> obligations;
};

// A list of Annex I codes in force for a period (Annex II Section I, Annex IV).
struct CodeEntry {
  std::string code;
  int part = 0;          // Annex IV part (1 or 2); 0 elsewhere
  bool partial = false;  // only part of the entry is meant (see note)
  std::string note;
};
struct CodeList {
  std::string regime;
  std::string annex;
  Period period;
  Provenance prov;
  bool include_annex_iv = false;
  std::vector<CodeEntry> entries;
};

struct ArmsEmbargo {
  std::string id;
  std::string country;
  std::string authority;  // "UN", "EU", "OSCE", "European Council"
  std::string kind;       // "legally_binding", "politically_binding"
  std::string scope;      // "full", "non_government", "listed_persons", "darfur"
  std::vector<std::string> acts;
  Period period;
  bool counts_for_art_4_1_b = true;
  Provenance prov;
};

// annex_i: all Annex I items; annex_i_military_end_use: Annex I items for
// military use or a military end-user; monitoring_annex: the regime's own annex
// of monitoring equipment; own_annex: another annex of the regime that the law
// data does not hold; none: a flag on the country only.
enum class MeasureScope { kAnnexI, kAnnexIMilitaryEndUse, kMonitoringAnnex, kOwnAnnex, kNone };

struct RestrictiveMeasure {
  std::string id;
  std::string country;
  std::string act;        // "Council Regulation (EU) No 833/2014"
  std::string article;    // "2"; "" when not read (then `unsettled` says so)
  std::string paragraph;  // "1"; may be empty
  std::string point;      // "a" in "Article 2(2)(a)"; may be empty
  Period period;
  MeasureScope scope = MeasureScope::kNone;
  std::string effect;  // "prohibited", "licence_required", "red_flag"
  bool human_rights = false;
  std::vector<std::string> activities;
  std::string summary;
  std::string annex;                            // monitoring annex name
  std::vector<std::string> annex_i_indicative;  // entries typically within it
  // Annex I entries the measure may except: for these the engine asks for
  // review instead of concluding (uncertain_reason says why).
  std::vector<std::string> uncertain_entries;
  std::string uncertain_reason;
  // What the sources read do not settle about this measure ("" = settled);
  // when the measure applies, the answer is marked for review with this text.
  std::string unsettled;
  Provenance prov;

  // "<act>, Article <article>(<paragraph>)(<point>)": the citation of findings
  // (the act alone when the article was not read).
  std::string Citation() const;
};

// A territory with its own ISO 3166-1 alpha-2 code whose place inside or
// outside the customs territory of the Union (Regulation (EU) No 952/2013,
// Article 4; before 1.5.2016 Regulation (EEC) No 2913/92, Article 3) differs
// from what its code alone suggests: Monaco, Åland, the outermost regions
// (inside); Greenland, the Faroe Islands, the overseas countries and
// territories (outside). Member States' own codes come from eu-member-states.json.
struct CustomsTerritoryRecord {
  std::string country;       // alpha-2 of the territory ("MC", "GL")
  std::string name;          // "Monaco"
  std::string member_state;  // the Member State it belongs to or is attached to ("FR")
  bool inside = false;       // inside the customs territory of the Union
  Period period;
  std::string basis;  // "Regulation (EU) No 952/2013, Article 4(2)(a)"
  Provenance prov;
};

// A territory without its own alpha-2 code that lies outside the customs
// territory although part of a Member State (Heligoland, Büsingen, Livigno,
// Ceuta, Melilla, ...), or a special case (Northern Ireland): shown to the
// reader when a request names the Member State's code.
struct TerritoryNote {
  std::string name;
  std::string member_state;  // the code a request would carry ("DE", "GB")
  Period period;
  std::string text;
  Provenance prov;
};

// The date from which an Annex I entry exists in its current form (the yearly
// delegated regulations that update Annex I). `before`: "not_listed" (the entry
// did not exist before valid_from) or "unknown" (the text before valid_from is
// not recorded).
struct AnnexIEntryDate {
  std::string code;
  Date valid_from;
  std::string act;  // "Commission Delegated Regulation (EU) No 1382/2014"
  std::string before;
  Provenance prov;
};

// A competent authority's name for a period (titles change with cabinets).
struct DatedAuthority {
  std::string name;
  Period period;
  Provenance prov;
};

struct AssetFreezeList {
  std::string list;  // screening list id: "un_sc", "eu_fsf"
  std::string basis;
  std::string effect;  // "prohibited"
  Provenance prov;
};

struct NationalList {
  std::string id;
  std::string prefix;  // "NL" as in "NL:..."
  std::string title;
  std::string article_basis;  // provision key, "national_measures"
  Period period;
  bool published_under_art_9_4 = false;
  std::vector<std::string> entries;  // empty: any code with the prefix
  bool intra_eu_transfer = false;
  Provenance prov;
};

struct SuspicionRule {
  std::string provision;  // "catch_all_suspicion", "cyber_catch_all_suspicion"
  std::string text;
  Period period;
  Provenance prov;
};

struct EmbargoOverride {
  std::string embargo;  // ArmsEmbargo::id
  bool counts_for_art_4_1_b = false;
  Period period;
  Provenance prov;
};

struct MemberStateLayer {
  std::string country;
  std::string name;
  std::string authority;  // competent authority (the latest record)
  Period authority_period;
  Provenance authority_prov;
  std::vector<DatedAuthority> authorities;  // by period, oldest first
  // The competent authority's name on `d`, or nullptr.
  const DatedAuthority* AuthorityOn(const Date& d) const;
  std::vector<NationalList> national_lists;
  std::vector<SuspicionRule> suspicion_rules;
  std::vector<EmbargoOverride> arms_embargo_overrides;
};

// Number of facts (records carrying a verification level) per level.
struct FactCounts {
  int verified = 0, secondary = 0, unverified = 0;
  int total() const { return verified + secondary + unverified; }
};

class LawData {
 public:
  // Loads data/law/law.json and the files it lists, from `dir` (default
  // ResourcePath("law")). kDataLoss for a file that breaks the schema.
  static Result<std::shared_ptr<const LawData>> Load(const std::string& dir = "");
  // The same checks on texts held in memory: `texts` maps each file name, as
  // law.json lists it ("law.json", "regimes.json", "member-states/nl.json"),
  // to its text. dir() is empty. For tools and fuzzing; no input may crash it.
  static Result<std::shared_ptr<const LawData>> LoadFromTexts(
      const std::map<std::string, std::string>& texts);

  // The regime in force on `d`, or nullptr (before the first regime).
  const Regime* RegimeOn(const Date& d) const;
  const Regime* FindRegime(std::string_view id) const;
  // ISO 3166-1 alpha-2 known to countries.json.
  bool IsCountry(std::string_view alpha2) const;
  const Country* FindCountry(std::string_view alpha2) const;
  // A Member State on `d` (eu-member-states.json).
  bool IsMemberState(std::string_view alpha2, const Date& d) const;
  // Inside the customs territory of the Union on `d`: a territory record for
  // the code if one covers `d`, else whether the code is a Member State's.
  bool InCustomsTerritory(std::string_view alpha2, const Date& d) const;
  // The territory record for `alpha2` on `d`, or nullptr.
  const CustomsTerritoryRecord* FindTerritory(std::string_view alpha2, const Date& d) const;
  // The date record of the Annex I entry `code` or of its nearest recorded
  // ancestor, or nullptr.
  const AnnexIEntryDate* FindAnnexIDate(std::string_view code) const;
  const MemberStateLayer* FindLayer(std::string_view country) const;
  // The national list whose prefix is `prefix` ("NL"), or nullptr.
  const NationalList* FindNationalList(std::string_view prefix, const Date& d) const;

  // "<manifest version>+sha256:<first 16 hex of the hash of the listed files>".
  const std::string& version() const { return version_; }
  const std::string& dir() const { return dir_; }
  const std::vector<std::string>& files() const { return files_; }
  const FactCounts& fact_counts() const { return counts_; }
  // Facts per file and level, for `dualuse law stats`.
  const std::map<std::string, FactCounts>& fact_counts_by_file() const { return counts_by_file_; }

  const std::vector<Regime>& regimes() const { return regimes_; }
  const std::vector<Country>& countries() const { return countries_; }
  const std::vector<MemberState>& member_states() const { return member_states_; }
  const std::vector<GeneralAuthorisation>& general_authorisations() const { return gas_; }
  const std::vector<CodeList>& annex_ii_section_i() const { return section_i_; }
  const std::vector<CodeList>& annex_iv() const { return annex_iv_; }
  const std::vector<ArmsEmbargo>& arms_embargoes() const { return embargoes_; }
  const std::vector<RestrictiveMeasure>& restrictive_measures() const { return measures_; }
  const std::vector<AssetFreezeList>& asset_freeze_lists() const { return asset_lists_; }
  const std::vector<MemberStateLayer>& layers() const { return layers_; }
  const std::vector<CustomsTerritoryRecord>& territories() const { return territories_; }
  const std::vector<TerritoryNote>& territory_notes() const { return territory_notes_; }
  const std::vector<AnnexIEntryDate>& annex_i_dates() const { return annex_i_dates_; }
  // From this date on the recorded Annex I text is the one in force; before
  // it, an entry without a date record cannot be dated (annex-i-dates.json).
  const Date& annex_i_text_from() const { return annex_i_text_from_; }
  const Provenance& annex_i_text_from_prov() const { return annex_i_text_from_prov_; }

 private:
  friend class LawLoader;
  std::string version_, dir_;
  std::vector<std::string> files_;
  FactCounts counts_;
  std::map<std::string, FactCounts> counts_by_file_;
  std::vector<Regime> regimes_;
  std::vector<Country> countries_;
  std::array<int, 26 * 26> country_index_{};  // alpha2 -> index + 1; 0 = unknown
  std::vector<MemberState> member_states_;
  std::vector<GeneralAuthorisation> gas_;
  std::vector<CodeList> section_i_;
  std::vector<CodeList> annex_iv_;
  std::vector<ArmsEmbargo> embargoes_;
  std::vector<RestrictiveMeasure> measures_;
  std::vector<AssetFreezeList> asset_lists_;
  std::vector<MemberStateLayer> layers_;
  std::vector<CustomsTerritoryRecord> territories_;
  std::vector<TerritoryNote> territory_notes_;
  std::vector<AnnexIEntryDate> annex_i_dates_;
  Date annex_i_text_from_{1900, 1, 1};
  Provenance annex_i_text_from_prov_;
};

// Index 0..675 of a two-letter upper-case code, or -1.
inline int CountryIndex(std::string_view c) {
  if (c.size() != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') return -1;
  return (c[0] - 'A') * 26 + (c[1] - 'A');
}

// True when `code` equals `entry` or is one of its sub-items ("5A001.j.1" under
// "5A001.j"). Annex I notation.
bool CodeWithin(std::string_view code, std::string_view entry);

// "4(1)(b)" -> "4-1-b": the article as it appears in rule ids.
std::string ArticleSlug(std::string_view article);

}  // namespace dualuse::law

#endif  // DUALUSE_LAW_LAW_DATA_H_
