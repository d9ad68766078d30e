// Loads Annex I from the JSON files of data/law/annex-i/ (format: its README.md).
#include "dualuse/controllist/control_list.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include "controllist/code_order.h"
#include "dualuse/base/resources.h"

namespace dualuse::controllist {

namespace {

using nlohmann::json;

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsAnnexICodeSyntax(std::string_view code) {
  if (code.size() < 5) return false;
  if (!IsDigit(code[0]) || code[1] < 'A' || code[1] > 'E' || !IsDigit(code[2]) ||
      !IsDigit(code[3]) || !IsDigit(code[4])) {
    return false;
  }
  // Sub-items: ".<letter>", ".<number>", ".<letter>", ... alternating, starting with a letter.
  size_t i = 5;
  bool want_letter = true;
  while (i < code.size()) {
    if (code[i] != '.') return false;
    ++i;
    if (want_letter) {
      if (i >= code.size() || !IsLower(code[i])) return false;
      ++i;
    } else {
      // 1 to 99, no leading zero.
      if (i >= code.size() || !IsDigit(code[i]) || code[i] == '0') return false;
      ++i;
      if (i < code.size() && IsDigit(code[i])) ++i;
    }
    want_letter = !want_letter;
  }
  return true;
}

std::vector<CodeSegment> CodeSortKey(std::string_view code) {
  std::vector<CodeSegment> key;
  key.push_back({std::string(code.substr(0, std::min<size_t>(5, code.size()))), 0});
  size_t i = 5;
  while (i < code.size()) {
    size_t j = code.find('.', i + 1);
    if (j == std::string_view::npos) j = code.size();
    std::string_view seg = code.substr(i + 1, j - i - 1);
    if (!seg.empty() && IsDigit(seg[0])) {
      int n = 0;
      for (char c : seg)
        n = IsDigit(c) ? n * 10 + (c - '0') : n;
      key.push_back({"", n});
    } else {
      key.push_back({std::string(seg), 0});
    }
    i = j;
  }
  return key;
}

bool CodeLess(std::string_view a, std::string_view b) {
  auto ka = CodeSortKey(a);
  auto kb = CodeSortKey(b);
  return std::lexicographical_compare(ka.begin(), ka.end(), kb.begin(), kb.end(),
                                      [](const CodeSegment& x, const CodeSegment& y) {
                                        if (x.text != y.text) return x.text < y.text;
                                        return x.number < y.number;
                                      });
}

std::string ParentCode(std::string_view code) {
  size_t dot = code.rfind('.');
  if (dot == std::string_view::npos) return "";
  return std::string(code.substr(0, dot));
}

std::string NormalizeTerm(std::string_view term) {
  std::string out;
  for (char c : term) {
    if (c == '"' || c == '\'') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  size_t b = out.find_first_not_of(" \t\n");
  size_t e = out.find_last_not_of(" \t\n");
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

namespace {

std::string Indent(const std::string& text, int depth) {
  std::string pad(2 * depth, ' ');
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += pad;
  }
  return out;
}

}  // namespace

// The entry as printed: "5A001.j <heading>", its notes, then its sub-items ("1. ...").
std::string RenderText(const ControlList& list, const ControlEntry& e, int depth) {
  std::string label = depth == 0 ? e.code : e.code.substr(e.code.rfind('.') + 1) + ".";
  std::string out = std::string(2 * depth, ' ') + label + " " + Indent(e.heading, depth + 1);
  for (const auto& n : e.notes) {
    out += "\n" + std::string(2 * (depth + 1), ' ') + (n.label.empty() ? "Note" : n.label) + ": " +
           Indent(n.text, depth + 2);
  }
  for (const auto& c : e.children) {
    if (const ControlEntry* child = list.Find(c)) out += "\n" + RenderText(list, *child, depth + 1);
  }
  return out;
}

// Builds a ControlList from the files of one directory. Every error names the
// file and the JSON path, and is kDataLoss (corrupt legal data).
class ControlListBuilder {
 public:
  Status AddFile(const std::string& path);
  Result<std::shared_ptr<const ControlList>> Finish();

 private:
  Status Fail(const std::string& place, const std::string& expectation) const {
    return Status::DataLoss(file_ + ": " + place + ": " + expectation);
  }
  Result<std::string> Str(const json& obj, const std::string& place, const char* key,
                          bool required) const;
  Result<std::vector<ControlNote>> Notes(const json& obj, const std::string& place) const;
  Status AddEntries(const json& doc);
  Status AddCyber(const json& doc);
  Status AddDefinitions(const json& doc);

  std::string file_;
  std::map<std::string, ControlEntry> entries_;             // code -> entry (order fixed in Finish)
  std::vector<std::pair<std::string, std::string>> cyber_;  // code, file
  // Notes written once for several entries (Category 5 Part 2 Notes): code, note, place.
  struct PendingNote {
    std::string code;
    ControlNote note;
    std::string where;
  };
  std::vector<PendingNote> category_notes_;
  std::set<std::string> render_text_;  // entries whose "text" the file left out
  std::vector<ControlDefinition> definitions_;
  std::vector<std::string> versions_;
};

Result<std::string> ControlListBuilder::Str(const json& obj, const std::string& place,
                                            const char* key, bool required) const {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Fail(place, std::string("missing \"") + key + "\" (expected a string)");
    return std::string();
  }
  if (!it->is_string()) return Fail(place + "." + key, "expected a string");
  return it->get<std::string>();
}

Result<std::vector<ControlNote>> ControlListBuilder::Notes(const json& obj,
                                                           const std::string& place) const {
  std::vector<ControlNote> notes;
  auto it = obj.find("notes");
  if (it == obj.end() || it->is_null()) return notes;
  if (!it->is_array()) return Fail(place + ".notes", "expected an array");
  static const std::set<std::string> kKinds = {"note", "technical_note", "decontrol_note", "nb",
                                               "definition"};
  for (size_t i = 0; i < it->size(); ++i) {
    const json& n = (*it)[i];
    std::string np = place + ".notes[" + std::to_string(i) + "]";
    if (!n.is_object()) return Fail(np, "expected an object");
    ControlNote note;
    DU_ASSIGN_OR_RETURN(note.kind, Str(n, np, "kind", true));
    if (!kKinds.count(note.kind)) {
      return Fail(np + ".kind", "\"" + note.kind +
                                    "\" is not a note kind (expected note, technical_note, "
                                    "decontrol_note, nb or definition)");
    }
    DU_ASSIGN_OR_RETURN(note.text, Str(n, np, "text", true));
    DU_ASSIGN_OR_RETURN(note.label, Str(n, np, "label", false));
    notes.push_back(std::move(note));
  }
  return notes;
}

Status ControlListBuilder::AddEntries(const json& doc) {
  std::string data_version;
  DU_ASSIGN_OR_RETURN(data_version, Str(doc, "$", "data_version", true));
  versions_.push_back(data_version);
  std::string default_verification;
  DU_ASSIGN_OR_RETURN(default_verification, Str(doc, "$", "verification", false));
  // "replaces": codes whose whole subtree (entry and sub-items) this file replaces.
  if (auto it = doc.find("replaces"); it != doc.end()) {
    if (!it->is_array()) return Fail("$.replaces", "expected an array of Annex I codes");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& c = (*it)[i];
      std::string place = "$.replaces[" + std::to_string(i) + "]";
      if (!c.is_string() || !IsAnnexICodeSyntax(c.get<std::string>())) {
        return Fail(place, "expected an Annex I code (e.g. 5A001.j)");
      }
      std::string root = c.get<std::string>();
      for (auto e = entries_.begin(); e != entries_.end();) {
        const std::string& code = e->first;
        bool in_subtree =
            code == root || (code.size() > root.size() && code.compare(0, root.size(), root) == 0 &&
                             code[root.size()] == '.');
        e = in_subtree ? entries_.erase(e) : std::next(e);
      }
    }
  }
  auto it = doc.find("entries");
  if (it == doc.end() || !it->is_array()) return Fail("$.entries", "expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& j = (*it)[i];
    std::string place = "$.entries[" + std::to_string(i) + "]";
    if (!j.is_object()) return Fail(place, "expected an object");
    ControlEntry e;
    DU_ASSIGN_OR_RETURN(e.code, Str(j, place, "code", true));
    if (!IsAnnexICodeSyntax(e.code)) {
      return Fail(place + ".code",
                  "\"" + e.code + "\" is not an Annex I code (expected e.g. 5A001.j)");
    }
    DU_ASSIGN_OR_RETURN(e.parent, Str(j, place, "parent", false));
    if (e.parent != ParentCode(e.code)) {
      return Fail(place + ".parent", "expected \"" + ParentCode(e.code) + "\" for " + e.code);
    }
    DU_ASSIGN_OR_RETURN(e.heading, Str(j, place, "heading", true));
    if (e.heading.empty()) return Fail(place + ".heading", "expected the entry's text");
    DU_ASSIGN_OR_RETURN(e.text, Str(j, place, "text", false));
    if (e.text.empty()) render_text_.insert(e.code);
    DU_ASSIGN_OR_RETURN(e.version, Str(j, place, "version", true));
    DU_ASSIGN_OR_RETURN(e.verification, Str(j, place, "verification", false));
    if (e.verification.empty()) e.verification = default_verification;
    DU_ASSIGN_OR_RETURN(e.notes, Notes(j, place));
    if (entries_.count(e.code)) {
      return Fail(place + ".code", e.code +
                                       " is defined twice (an amending file lists it in "
                                       "\"replaces\")");
    }
    std::string code = e.code;
    entries_.emplace(std::move(code), std::move(e));
  }
  // "category_notes": [{"attach_to": [codes], "kind", "label", "text"}].
  if (auto cn = doc.find("category_notes"); cn != doc.end()) {
    if (!cn->is_array()) return Fail("$.category_notes", "expected an array");
    for (size_t i = 0; i < cn->size(); ++i) {
      const json& j = (*cn)[i];
      std::string place = "$.category_notes[" + std::to_string(i) + "]";
      if (!j.is_object()) return Fail(place, "expected an object");
      json wrapped = json::object();
      wrapped["notes"] = json::array({j});
      std::vector<ControlNote> one;
      DU_ASSIGN_OR_RETURN(one, Notes(wrapped, place));
      auto at = j.find("attach_to");
      if (at == j.end() || !at->is_array() || at->empty()) {
        return Fail(place + ".attach_to", "expected a non-empty array of Annex I codes");
      }
      for (size_t k = 0; k < at->size(); ++k) {
        std::string ap = place + ".attach_to[" + std::to_string(k) + "]";
        if (!(*at)[k].is_string() || !IsAnnexICodeSyntax((*at)[k].get<std::string>())) {
          return Fail(ap, "expected an Annex I code");
        }
        category_notes_.push_back({(*at)[k].get<std::string>(), one[0], file_ + ": " + ap});
      }
    }
  }
  return Status::Ok();
}

Status ControlListBuilder::AddCyber(const json& doc) {
  auto it = doc.find("entries");
  if (it == doc.end() || !it->is_array()) return Fail("$.entries", "expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    std::string place = "$.entries[" + std::to_string(i) + "]";
    if (!(*it)[i].is_object()) return Fail(place, "expected an object");
    std::string code;
    DU_ASSIGN_OR_RETURN(code, Str((*it)[i], place, "code", true));
    if (!IsAnnexICodeSyntax(code)) return Fail(place + ".code", "expected an Annex I code");
    cyber_.emplace_back(code, file_ + ": " + place);
  }
  return Status::Ok();
}

Status ControlListBuilder::AddDefinitions(const json& doc) {
  std::string version, verification, source;
  DU_ASSIGN_OR_RETURN(version, Str(doc, "$", "version", true));
  DU_ASSIGN_OR_RETURN(verification, Str(doc, "$", "verification", false));
  DU_ASSIGN_OR_RETURN(source, Str(doc, "$", "source", false));
  auto it = doc.find("definitions");
  if (it == doc.end() || !it->is_array()) return Fail("$.definitions", "expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& j = (*it)[i];
    std::string place = "$.definitions[" + std::to_string(i) + "]";
    if (!j.is_object()) return Fail(place, "expected an object");
    ControlDefinition d;
    DU_ASSIGN_OR_RETURN(d.term, Str(j, place, "term", true));
    d.term = NormalizeTerm(d.term);
    if (d.term.empty()) return Fail(place + ".term", "expected a term");
    DU_ASSIGN_OR_RETURN(d.text, Str(j, place, "text", true));
    DU_ASSIGN_OR_RETURN(d.notes, Notes(j, place));
    DU_ASSIGN_OR_RETURN(d.version, Str(j, place, "version", false));
    if (d.version.empty()) d.version = version;
    DU_ASSIGN_OR_RETURN(d.verification, Str(j, place, "verification", false));
    if (d.verification.empty()) d.verification = verification;
    DU_ASSIGN_OR_RETURN(d.source, Str(j, place, "source", false));
    if (d.source.empty()) d.source = source;
    for (const auto& other : definitions_) {
      if (other.term == d.term) return Fail(place + ".term", "\"" + d.term + "\" defined twice");
    }
    definitions_.push_back(std::move(d));
  }
  return Status::Ok();
}

Status ControlListBuilder::AddFile(const std::string& path) {
  file_ = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::DataLoss(path + ": cannot be read");
  std::stringstream buf;
  buf << in.rdbuf();
  json doc = json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Fail("$", "expected valid JSON");
  if (!doc.is_object()) return Fail("$", "expected an object");
  std::string schema;
  DU_ASSIGN_OR_RETURN(schema, Str(doc, "$", "schema", true));
  if (schema == "dualuse.annex-i/1") return AddEntries(doc);
  if (schema == "dualuse.annex-i-cyber-surveillance/1") return AddCyber(doc);
  if (schema == "dualuse.annex-i-definitions/1") return AddDefinitions(doc);
  return Fail("$.schema", "\"" + schema +
                              "\" is not an Annex I data schema (expected dualuse.annex-i/1, "
                              "dualuse.annex-i-cyber-surveillance/1 or "
                              "dualuse.annex-i-definitions/1)");
}

Result<std::shared_ptr<const ControlList>> ControlListBuilder::Finish() {
  if (entries_.empty()) return Status::DataLoss(file_ + ": no Annex I entries loaded");
  auto list = std::shared_ptr<ControlList>(new ControlList());
  // Sort keys computed once per code (CodeLess would recompute them per comparison).
  std::vector<std::pair<std::vector<CodeSegment>, std::string>> keyed;
  keyed.reserve(entries_.size());
  for (const auto& [code, e] : entries_)
    keyed.emplace_back(CodeSortKey(code), code);
  auto seg_less = [](const CodeSegment& x, const CodeSegment& y) {
    if (x.text != y.text) return x.text < y.text;
    return x.number < y.number;
  };
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    return std::lexicographical_compare(a.first.begin(), a.first.end(), b.first.begin(),
                                        b.first.end(), seg_less);
  });
  std::vector<std::string> codes;
  codes.reserve(keyed.size());
  for (auto& k : keyed)
    codes.push_back(std::move(k.second));
  list->entries_.reserve(codes.size());
  for (const auto& code : codes) {
    list->index_.emplace(code, list->entries_.size());
    list->entries_.push_back(std::move(entries_[code]));
  }
  // Children from parent links (the files' "children" arrays are informative only).
  for (auto& e : list->entries_) {
    if (e.parent.empty()) continue;
    auto p = list->index_.find(e.parent);
    if (p == list->index_.end()) {
      return Status::DataLoss("annex-i: " + e.code + ": parent " + e.parent + " is not defined");
    }
    list->entries_[p->second].children.push_back(e.code);
  }
  for (const auto& pending : category_notes_) {
    auto it = list->index_.find(pending.code);
    if (it == list->index_.end()) {
      return Status::DataLoss(pending.where + ": " + pending.code +
                              " is not an entry of the loaded Annex I");
    }
    list->entries_[it->second].notes.push_back(pending.note);
  }
  // Entries without a "text": heading, notes and sub-items, indented by depth.
  for (auto& e : list->entries_) {
    if (render_text_.count(e.code)) e.text = RenderText(*list, e, 0);
  }
  for (const auto& [code, where] : cyber_) {
    auto it = list->index_.find(code);
    if (it == list->index_.end()) {
      return Status::DataLoss(where + ".code: " + code + " is not an entry of the loaded Annex I");
    }
    // The flag covers the entry and its sub-items, which follow it in Annex I order.
    for (size_t i = it->second; i < list->entries_.size(); ++i) {
      const std::string& c = list->entries_[i].code;
      if (c != code && !(c.size() > code.size() && c.compare(0, code.size(), code) == 0 &&
                         c[code.size()] == '.')) {
        break;
      }
      list->entries_[i].cyber_surveillance = true;
    }
  }
  list->definitions_ = std::move(definitions_);
  std::string version = "annex-i@";
  for (size_t i = 0; i < versions_.size(); ++i)
    version += (i ? "+" : "") + versions_[i];
  list->version_ = version;
  return std::shared_ptr<const ControlList>(std::move(list));
}

Result<std::shared_ptr<const ControlList>> ControlList::Load(const std::string& dir_in) {
  namespace fs = std::filesystem;
  std::string dir = dir_in.empty() ? ResourcePath("law/annex-i") : dir_in;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::DataLoss(dir + ": expected the Annex I data directory (data/law/annex-i)");
  }
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path().string());
  }
  if (ec) return Status::DataLoss(dir + ": cannot be listed: " + ec.message());
  // File-name order is load order: an amending file sorts after the text it amends.
  std::sort(files.begin(), files.end());
  ControlListBuilder builder;
  for (const auto& f : files)
    DU_RETURN_IF_ERROR(builder.AddFile(f));
  if (files.empty()) return Status::DataLoss(dir + ": no Annex I data files (*.json)");
  return builder.Finish();
}

const ControlEntry* ControlList::Find(std::string_view code) const {
  auto it = index_.find(std::string(code));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

const ControlEntry* ControlList::FindNearest(std::string_view code) const {
  if (!IsAnnexICodeSyntax(code)) return nullptr;
  std::string c(code);
  while (true) {
    if (const ControlEntry* e = Find(c)) return e;
    std::string parent = ParentCode(c);
    if (parent.empty()) return nullptr;
    c = std::move(parent);
  }
}

const ControlDefinition* ControlList::FindDefinition(std::string_view term) const {
  std::string t = NormalizeTerm(term);
  for (const auto& d : definitions_) {
    if (d.term == t) return &d;
  }
  return nullptr;
}

}  // namespace dualuse::controllist
