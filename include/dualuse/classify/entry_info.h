// What `dualuse classify show <code>` tells about an Annex I entry: its text and
// notes, related entries, Annex IV status, the Union general authorisations
// that exclude it (from data/law, when present), the US ECCN with the same
// number and its reasons for control, and CN code hints.
#ifndef DUALUSE_CLASSIFY_ENTRY_INFO_H_
#define DUALUSE_CLASSIFY_ENTRY_INFO_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/controllist/control_list.h"

namespace dualuse::classify {

// data/law/annex-iv.json and general-authorisations.json, read leniently: the
// files belong to the rules module; what is missing is reported, not fatal.
struct LawLists {
  bool annex_iv_available = false;
  bool ga_available = false;
  std::string annex_iv_file, ga_file;
  struct Code {
    std::string code;
    int part = 0;
    bool partial = false;
    std::string note;
  };
  struct CodeList {
    std::string regime, annex, valid_from, valid_until, source, verification;
    bool include_annex_iv = false;
    std::vector<Code> entries;
  };
  struct Ga {
    std::string id, regime, title, valid_from, valid_until, source, verification;
    bool all_annex_i = false, except_section_i = false;
    std::vector<std::string> entries, exclude, kinds;
  };
  std::vector<CodeList> annex_iv, section_i;
  std::vector<Ga> gas;
  std::vector<std::string> problems;  // why something could not be read
};
LawLists LoadLawLists(const std::string& law_dir);  // default ResourcePath("law")

struct UsEccn {
  std::string eccn, heading, reason_for_control, related_controls;
  struct Row {
    std::string control, chart;
  };
  std::vector<Row> country_chart;
  struct Item {
    std::string paragraph, kind, text;
  };
  std::vector<Item> items;
};
struct UsCcl {
  std::string citation, issue_date, source;
  std::vector<UsEccn> entries;
  const UsEccn* Find(std::string_view eccn) const;
};
// data/classify/us-ccl.json (scripts/gen-us-ccl.py). kDataLoss when malformed.
Result<UsCcl> LoadUsCcl(const std::string& path);

struct CnHint {
  std::string cn;  // prefix: 4, 6 or 8 digits
  std::string description;
  std::vector<std::string> entries;
};
struct CnHints {
  std::string source, verification, warning;
  std::vector<CnHint> hints;
};
// data/classify/cn-hints.json. With `list`, every entry must exist (kDataLoss).
Result<CnHints> LoadCnHints(const std::string& path, const controllist::ControlList* list);
// Hints whose prefix matches the 8-digit `cn` ("85176200", spaces and dots
// ignored), longest prefix first. kInvalidArgument unless 8 digits.
Result<std::vector<CnHint>> HintsForCn(const CnHints& hints, std::string_view cn);

struct EntryInfo {
  const controllist::ControlEntry* entry = nullptr;
  std::vector<const controllist::ControlEntry*> ancestors;  // parent first
  std::vector<std::string> references;                      // codes its text points to
  std::vector<std::string> referenced_by;                   // entries whose heading points to it
  std::vector<const controllist::ControlDefinition*> definitions;  // quoted terms it uses
  // Annex IV (regime in force on the date): "yes", "partly", "no", or "unknown".
  std::string annex_iv = "unknown";
  std::string annex_iv_detail;
  struct GaStatus {
    std::string id, status,
        reason;  // status: "excluded", "partly_excluded", "not_in_scope", "covered"
  };
  std::vector<GaStatus> general_authorisations;  // empty when the data is missing
  std::string regime;
  std::optional<UsEccn> us;              // same-numbered ECCN, with the paragraph text
  std::string us_paragraph;              // "j" for 5A001.j
  std::vector<std::string> us_controls;  // country-chart rows naming this paragraph
  std::vector<CnHint> cn_hints;          // hints naming this entry or an ancestor
  std::vector<std::string> notes_on_sources;
};

struct DescribeOptions {
  Date date = Date::Today();
  const LawLists* law = nullptr;
  const UsCcl* us = nullptr;
  const CnHints* cn = nullptr;
};

// kNotFound when `code` is not an entry (nor has a nearest ancestor), kInvalidArgument
// when it is not Annex I syntax.
Result<EntryInfo> DescribeEntry(const controllist::ControlList& list, std::string_view code,
                                const DescribeOptions& o);

std::string EntryInfoToJson(const EntryInfo& info);
std::string EntryInfoToText(const EntryInfo& info);

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_ENTRY_INFO_H_
