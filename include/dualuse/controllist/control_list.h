// ControlList: Annex I of the dual-use Regulation as data, for look-ups.
//
// Loaded from data/law/annex-i/ (see its README for the format and sources).
// Codes use Annex I notation: category digit, product group letter, three
// digits, then sub-items alternating letter/digit ("5A001.j.2.b"). National
// list entries carry a list prefix ("NL:...") and are not Annex I entries.
#ifndef DUALUSE_CONTROLLIST_CONTROL_LIST_H_
#define DUALUSE_CONTROLLIST_CONTROL_LIST_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"

namespace dualuse::controllist {

struct ControlNote {
  std::string kind;  // "note", "technical_note", "decontrol_note", "nb", "definition"
  std::string text;
  std::string label;  // as printed, e.g. "Note 2", "Technical Note", "N.B.1."
};

struct ControlEntry {
  std::string code;     // "5A001.j"
  std::string parent;   // "5A001"; empty for a top-level entry
  std::string heading;  // the entry's own text (first paragraph)
  std::string text;     // full text including sub-items
  std::vector<ControlNote> notes;
  std::vector<std::string> children;  // direct sub-item codes
  // Listed among the cyber-surveillance entries of legal-reference §2
  // (4A005, 4D004, 4E001.c, 5A001.f, 5A001.j, 5B001, 5D001, 5E001, 5A002-5A004,
  // 5D002, 5E002), recorded in the data, not in code.
  bool cyber_surveillance = false;
  std::string version;  // the act that set this text, e.g. "Delegated Regulation (EU) 2025/2003"
  std::string verification;  // evidence level of the text: "V", "S" or "K" (data README)
};

// A term of the Annex I "Definitions of terms" ("intrusion software").
struct ControlDefinition {
  std::string term;  // without quotes, lower case as in the Annex: "intrusion software"
  std::string text;
  std::vector<ControlNote> notes;
  std::string version;       // the act that set this text
  std::string verification;  // "V", "S" or "K"
  std::string source;
};

// True when `code` has the shape of an Annex I code (does not check existence).
bool IsAnnexICodeSyntax(std::string_view code);

// Immutable after Load; safe to share between threads.
class ControlList {
 public:
  // Loads every Annex I file under `dir` (default: ResourcePath("law/annex-i")).
  static Result<std::shared_ptr<const ControlList>> Load(const std::string& dir = "");

  // The entry with exactly this code, or nullptr.
  const ControlEntry* Find(std::string_view code) const;
  // The entry for `code` or its nearest listed ancestor ("5A001.j.1.a" -> 5A001.j
  // when the data stops there); nullptr when not even the 5-character entry exists.
  const ControlEntry* FindNearest(std::string_view code) const;
  // A syntactically valid code whose 5-character entry (e.g. "5A001") exists.
  bool IsKnown(std::string_view code) const { return FindNearest(code) != nullptr; }

  // The definition of `term` (case-insensitive, quotes ignored), or nullptr.
  const ControlDefinition* FindDefinition(std::string_view term) const;

  // In Annex I order (category, group, number, then sub-items).
  const std::vector<ControlEntry>& entries() const { return entries_; }
  const std::vector<ControlDefinition>& definitions() const { return definitions_; }
  // Identifies the data set, e.g. "annex-i@2025-11-15".
  const std::string& version() const { return version_; }

 private:
  std::vector<ControlEntry> entries_;
  std::vector<ControlDefinition> definitions_;
  std::unordered_map<std::string, size_t> index_;  // code -> position in entries_
  std::string version_;
  friend class ControlListBuilder;
};

}  // namespace dualuse::controllist

#endif  // DUALUSE_CONTROLLIST_CONTROL_LIST_H_
