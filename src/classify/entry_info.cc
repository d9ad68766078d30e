#include "dualuse/classify/entry_info.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "classify/json_reader.h"
#include "dualuse/base/resources.h"

namespace dualuse::classify {

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

bool Within(std::string_view code, std::string_view entry) {
  return code == entry || (code.size() > entry.size() && code.substr(0, entry.size()) == entry &&
                           code[entry.size()] == '.');
}

std::string GetStr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<std::string> GetStrs(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& x : *it) {
    if (x.is_string()) out.push_back(x.get<std::string>());
  }
  return out;
}

bool GetBool(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

bool InForce(const std::string& from, const std::string& until, const Date& d) {
  auto f = Date::Parse(from);
  if (!f || d < *f) return false;
  if (until.empty()) return true;
  auto u = Date::Parse(until);
  return u && d < *u;
}

// Annex I codes written in `text` (trailing full stop dropped), in order, unique.
std::vector<std::string> CodesIn(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 5 <= text.size(); ++i) {
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t j = i;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '.')) {
      ++j;
    }
    std::string c = text.substr(i, j - i);
    while (!c.empty() && c.back() == '.')
      c.pop_back();
    if (controllist::IsAnnexICodeSyntax(c) && std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
    i = j;
  }
  return out;
}

// Quoted terms ("intrusion software") in `text`.
std::vector<std::string> QuotedTerms(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find('"', pos)) != std::string::npos) {
    size_t end = text.find('"', pos + 1);
    if (end == std::string::npos) break;
    out.push_back(text.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return out;
}

}  // namespace

LawLists LoadLawLists(const std::string& law_dir_in) {
  LawLists law;
  std::string dir = law_dir_in.empty() ? ResourcePath("law") : law_dir_in;
  law.annex_iv_file = dir + "/annex-iv.json";
  law.ga_file = dir + "/general-authorisations.json";
  auto read = [&](const std::string& path) -> std::optional<json> {
    auto text = ReadFileText(path, StatusCode::kNotFound);
    if (!text.ok()) {
      law.problems.push_back(path + ": not available");
      return std::nullopt;
    }
    json doc = json::parse(text.value(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      law.problems.push_back(path + ": not valid JSON");
      return std::nullopt;
    }
    return doc;
  };
  auto code_list = [](const json& v) {
    LawLists::CodeList cl;
    cl.regime = GetStr(v, "regime");
    cl.annex = GetStr(v, "annex");
    cl.valid_from = GetStr(v, "valid_from");
    cl.valid_until = GetStr(v, "valid_until");
    cl.source = GetStr(v, "source");
    cl.verification = GetStr(v, "verification");
    cl.include_annex_iv = GetBool(v, "include_annex_iv");
    if (auto it = v.find("entries"); it != v.end() && it->is_array()) {
      for (const auto& e : *it) {
        LawLists::Code c;
        if (e.is_string()) {
          c.code = e.get<std::string>();
        } else if (e.is_object()) {
          c.code = GetStr(e, "code");
          if (auto p = e.find("part"); p != e.end() && p->is_number_integer()) c.part = *p;
          c.partial = GetBool(e, "partial");
          c.note = GetStr(e, "note");
        }
        if (!c.code.empty()) cl.entries.push_back(std::move(c));
      }
    }
    return cl;
  };
  if (auto doc = read(law.annex_iv_file)) {
    if (auto it = doc->find("versions"); it != doc->end() && it->is_array()) {
      for (const auto& v : *it) {
        if (v.is_object()) law.annex_iv.push_back(code_list(v));
      }
      law.annex_iv_available = true;
    } else {
      law.problems.push_back(law.annex_iv_file + ": no \"versions\" array");
    }
  }
  if (auto doc = read(law.ga_file)) {
    if (auto it = doc->find("annex_ii_section_i"); it != doc->end() && it->is_array()) {
      for (const auto& v : *it) {
        if (v.is_object()) law.section_i.push_back(code_list(v));
      }
    }
    if (auto it = doc->find("authorisations"); it != doc->end() && it->is_array()) {
      for (const auto& a : *it) {
        if (!a.is_object()) continue;
        LawLists::Ga g;
        g.id = GetStr(a, "id");
        g.regime = GetStr(a, "regime");
        g.title = GetStr(a, "title");
        g.valid_from = GetStr(a, "valid_from");
        g.valid_until = GetStr(a, "valid_until");
        g.source = GetStr(a, "source");
        g.verification = GetStr(a, "verification");
        if (auto items = a.find("items"); items != a.end() && items->is_object()) {
          g.all_annex_i = GetBool(*items, "all_annex_i");
          g.except_section_i = GetBool(*items, "except_annex_ii_section_i");
          g.entries = GetStrs(*items, "entries");
          g.exclude = GetStrs(*items, "exclude");
          g.kinds = GetStrs(*items, "kinds");
        }
        law.gas.push_back(std::move(g));
      }
      law.ga_available = true;
    } else {
      law.problems.push_back(law.ga_file + ": no \"authorisations\" array");
    }
  }
  return law;
}

const UsEccn* UsCcl::Find(std::string_view eccn) const {
  for (const auto& e : entries) {
    if (e.eccn == eccn) return &e;
  }
  return nullptr;
}

Result<UsCcl> LoadUsCcl(const std::string& path) {
  DU_ASSIGN_OR_RETURN(std::string text, ReadFileText(path, StatusCode::kDataLoss));
  JsonReader r(path, StatusCode::kDataLoss);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(text));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != "dualuse.us-ccl/1") return r.Fail("$.schema", "expected \"dualuse.us-ccl/1\"");
  UsCcl ccl;
  ccl.citation = GetStr(doc, "citation");
  ccl.issue_date = GetStr(doc, "ecfr_issue_date");
  if (auto s = doc.find("source"); s != doc.end() && s->is_object()) {
    ccl.source = GetStr(*s, "origin");
  }
  DU_ASSIGN_OR_RETURN(const json* arr, r.Array(doc, "$", "entries", true));
  for (size_t i = 0; i < arr->size(); ++i) {
    const json& e = (*arr)[i];
    std::string p = "$.entries[" + std::to_string(i) + "]";
    if (!e.is_object()) return r.Fail(p, "expected an object");
    UsEccn u;
    DU_ASSIGN_OR_RETURN(u.eccn, r.Str(e, p, "eccn", true));
    u.heading = GetStr(e, "heading");
    u.reason_for_control = GetStr(e, "reason_for_control");
    u.related_controls = GetStr(e, "related_controls");
    if (auto cc = e.find("country_chart"); cc != e.end() && cc->is_array()) {
      for (const auto& row : *cc) {
        if (row.is_object())
          u.country_chart.push_back({GetStr(row, "control"), GetStr(row, "chart")});
      }
    }
    if (auto items = e.find("items"); items != e.end() && items->is_array()) {
      for (const auto& it : *items) {
        if (it.is_object()) {
          u.items.push_back({GetStr(it, "paragraph"), GetStr(it, "kind"), GetStr(it, "text")});
        }
      }
    }
    ccl.entries.push_back(std::move(u));
  }
  return ccl;
}

Result<CnHints> LoadCnHints(const std::string& path, const controllist::ControlList* list) {
  DU_ASSIGN_OR_RETURN(std::string text, ReadFileText(path, StatusCode::kDataLoss));
  JsonReader r(path, StatusCode::kDataLoss);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(text));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != "dualuse.cn-hints/1") return r.Fail("$.schema", "expected \"dualuse.cn-hints/1\"");
  CnHints h;
  DU_ASSIGN_OR_RETURN(h.source, r.Str(doc, "$", "source", true));
  DU_ASSIGN_OR_RETURN(h.verification, r.Enum(doc, "$", "verification", {"V", "S", "K"}, true));
  DU_ASSIGN_OR_RETURN(h.warning, r.Str(doc, "$", "warning", true));
  DU_ASSIGN_OR_RETURN(const json* arr, r.Array(doc, "$", "hints", true));
  for (size_t i = 0; i < arr->size(); ++i) {
    const json& j = (*arr)[i];
    std::string p = "$.hints[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(p, "expected an object");
    CnHint c;
    DU_ASSIGN_OR_RETURN(c.cn, r.Str(j, p, "cn", true));
    bool digits =
        std::all_of(c.cn.begin(), c.cn.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits || (c.cn.size() != 4 && c.cn.size() != 6 && c.cn.size() != 8)) {
      return r.Fail(p + ".cn", "\"" + c.cn + "\" is not a CN prefix (expected 4, 6 or 8 digits)");
    }
    DU_ASSIGN_OR_RETURN(c.description, r.Str(j, p, "description", true));
    DU_ASSIGN_OR_RETURN(c.entries, r.StrArray(j, p, "entries", true));
    for (size_t k = 0; k < c.entries.size(); ++k) {
      std::string ep = p + ".entries[" + std::to_string(k) + "]";
      if (!controllist::IsAnnexICodeSyntax(c.entries[k])) {
        return r.Fail(ep, "\"" + c.entries[k] + "\" is not an Annex I code");
      }
      if (list && !list->Find(c.entries[k])) {
        return r.Fail(ep, c.entries[k] + " is not an entry of the loaded Annex I");
      }
    }
    h.hints.push_back(std::move(c));
  }
  return h;
}

Result<std::vector<CnHint>> HintsForCn(const CnHints& hints, std::string_view cn_in) {
  std::string cn;
  for (char c : cn_in) {
    if (c == ' ' || c == '.') continue;
    cn.push_back(c);
  }
  if (cn.size() != 8 ||
      !std::all_of(cn.begin(), cn.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("\"" + std::string(cn_in) +
                                   "\" is not an 8-digit CN code (expected e.g. 85176200)");
  }
  std::vector<CnHint> out;
  for (const auto& h : hints.hints) {
    if (cn.compare(0, h.cn.size(), h.cn) == 0) out.push_back(h);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CnHint& a, const CnHint& b) { return a.cn.size() > b.cn.size(); });
  return out;
}

Result<EntryInfo> DescribeEntry(const controllist::ControlList& list, std::string_view code,
                                const DescribeOptions& o) {
  if (!controllist::IsAnnexICodeSyntax(code)) {
    return Status::InvalidArgument("\"" + std::string(code) +
                                   "\" is not an Annex I code (expected e.g. 5A001.j)");
  }
  EntryInfo info;
  info.entry = list.Find(code);
  if (!info.entry) {
    const controllist::ControlEntry* near = list.FindNearest(code);
    if (!near) return Status::NotFound(std::string(code) + " is not an Annex I entry");
    info.notes_on_sources.push_back(std::string(code) +
                                    " is not in the data; showing its nearest listed ancestor " +
                                    near->code);
    info.entry = near;
  }
  const std::string& c = info.entry->code;
  for (std::string p = info.entry->parent; !p.empty();) {
    const controllist::ControlEntry* pe = list.Find(p);
    if (!pe) break;
    info.ancestors.push_back(pe);
    p = pe->parent;
  }
  for (const auto& ref : CodesIn(info.entry->text)) {
    if (!Within(ref, c) && !Within(c, ref) && list.FindNearest(ref)) info.references.push_back(ref);
  }
  for (const auto& e : list.entries()) {
    if (Within(e.code, c) || Within(c, e.code)) continue;
    for (const auto& ref : CodesIn(e.heading)) {
      if (Within(c, ref) || Within(ref, c)) {
        if (info.referenced_by.empty() || info.referenced_by.back() != e.code) {
          info.referenced_by.push_back(e.code);
        }
        break;
      }
    }
  }
  std::set<std::string> seen_terms;
  for (const auto& t : QuotedTerms(info.entry->text)) {
    const controllist::ControlDefinition* d = list.FindDefinition(t);
    if (d && seen_terms.insert(d->term).second) info.definitions.push_back(d);
  }
  info.regime = o.date < Date{2021, 9, 9} ? "eu-428-2009" : "eu-2021-821";

  if (o.law && o.law->annex_iv_available) {
    info.annex_iv = "no";
    for (const auto& v : o.law->annex_iv) {
      if (v.regime != info.regime || !InForce(v.valid_from, v.valid_until, o.date)) continue;
      for (const auto& e : v.entries) {
        if (Within(c, e.code)) {
          info.annex_iv = e.partial ? "partly" : "yes";
          info.annex_iv_detail = v.annex + " Part " + std::to_string(e.part) + " (" + e.code + ")" +
                                 (e.note.empty() ? "" : ": " + e.note) + " [" + v.verification +
                                 "]";
        } else if (Within(e.code, c) && info.annex_iv == "no") {
          info.annex_iv = "partly";
          info.annex_iv_detail = v.annex + " Part " + std::to_string(e.part) +
                                 " lists the sub-item " + e.code + " [" + v.verification + "]";
        }
      }
    }
  } else {
    info.notes_on_sources.push_back("Annex IV data (data/law/annex-iv.json) not available");
  }

  if (o.law && o.law->ga_available) {
    // Annex II Section I codes (plus Annex IV when it says so) for the regime.
    std::vector<std::string> section_i;
    for (const auto& s : o.law->section_i) {
      if (s.regime != info.regime || !InForce(s.valid_from, s.valid_until, o.date)) continue;
      for (const auto& e : s.entries)
        section_i.push_back(e.code);
      if (s.include_annex_iv) {
        for (const auto& v : o.law->annex_iv) {
          if (v.regime != info.regime || !InForce(v.valid_from, v.valid_until, o.date)) continue;
          for (const auto& e : v.entries)
            section_i.push_back(e.code);
        }
      }
    }
    for (const auto& g : o.law->gas) {
      if (g.regime != info.regime || !InForce(g.valid_from, g.valid_until, o.date)) continue;
      EntryInfo::GaStatus st{g.id, "covered", ""};
      bool in_scope = g.all_annex_i;
      bool partly_in_scope = false;
      for (const auto& e : g.entries) {
        in_scope |= Within(c, e);
        partly_in_scope |= Within(e, c);
      }
      char group = c.size() > 1 ? c[1] : 'A';
      if (!g.kinds.empty()) {
        std::string kind = group == 'D' ? "software" : group == 'E' ? "technology" : "goods";
        if (std::find(g.kinds.begin(), g.kinds.end(), kind) == g.kinds.end()) {
          st.status = "not_in_scope";
          st.reason = g.id + " covers only " + JoinAlternatives(g.kinds);
          info.general_authorisations.push_back(st);
          continue;
        }
      }
      if (!in_scope && !partly_in_scope) {
        st.status = "not_in_scope";
        st.reason = c + " is not among the items of " + g.id;
        info.general_authorisations.push_back(st);
        continue;
      }
      std::vector<std::string> excl = g.exclude;
      if (g.except_section_i) excl.insert(excl.end(), section_i.begin(), section_i.end());
      for (const auto& x : excl) {
        bool from_section_i = std::find(g.exclude.begin(), g.exclude.end(), x) == g.exclude.end();
        std::string why = from_section_i ? " (Annex II Section I)" : " (excluded by " + g.id + ")";
        if (Within(c, x)) {
          st.status = "excluded";
          st.reason = x + why;
          break;
        }
        if (Within(x, c) && st.status == "covered") {
          st.status = "partly_excluded";
          st.reason = "sub-item " + x + why;
        }
      }
      if (st.status == "covered" && !in_scope) {
        st.status = "partly_excluded";
        st.reason = "only some sub-items of " + c + " are among the items of " + g.id;
      }
      info.general_authorisations.push_back(st);
    }
  } else {
    info.notes_on_sources.push_back(
        "general authorisation data (data/law/general-authorisations.json) not available");
  }

  if (o.us) {
    std::string eccn = c.substr(0, 5);
    if (const UsEccn* u = o.us->Find(eccn)) {
      info.us = *u;
      info.us_paragraph = c.size() > 6 ? c.substr(6) : "";
      std::string para = info.us_paragraph;
      // Keep the paragraph's own items and the rows of the country chart that name it.
      if (!para.empty()) {
        std::vector<UsEccn::Item> keep;
        for (const auto& it : u->items) {
          if (!it.paragraph.empty() && Within(it.paragraph, para)) keep.push_back(it);
        }
        info.us->items = keep;
        std::string first = para.substr(0, para.find('.'));
        for (const auto& row : u->country_chart) {
          if (row.control.find("entire entry") != std::string::npos ||
              row.control.find(eccn + "." + first) != std::string::npos ||
              row.control.find("." + first + ",") != std::string::npos ||
              row.control.find("." + first + " ") != std::string::npos ||
              row.control.find("." + first + ")") != std::string::npos ||
              (row.control.size() >= first.size() + 1 &&
               row.control.compare(row.control.size() - first.size() - 1, first.size() + 1,
                                   "." + first) == 0)) {
            info.us_controls.push_back(row.control + " -> " + row.chart);
          }
        }
      } else {
        for (const auto& row : u->country_chart)
          info.us_controls.push_back(row.control + " -> " + row.chart);
      }
    } else {
      info.notes_on_sources.push_back("no ECCN " + eccn + " in the US CCL data");
    }
  }
  if (o.cn) {
    for (const auto& h : o.cn->hints) {
      for (const auto& e : h.entries) {
        if (Within(c, e) || Within(e, c)) {
          info.cn_hints.push_back(h);
          break;
        }
      }
    }
  }
  return info;
}

std::string EntryInfoToJson(const EntryInfo& info) {
  const auto& e = *info.entry;
  ojson j;
  j["code"] = e.code;
  j["parent"] = e.parent;
  j["heading"] = e.heading;
  j["text"] = e.text;
  ojson notes = ojson::array();
  for (const auto& n : e.notes)
    notes.push_back({{"kind", n.kind}, {"label", n.label}, {"text", n.text}});
  j["notes"] = notes;
  j["children"] = e.children;
  j["cyber_surveillance"] = e.cyber_surveillance;
  j["version"] = e.version;
  j["verification"] = e.verification;
  ojson anc = ojson::array();
  for (const auto* a : info.ancestors)
    anc.push_back({{"code", a->code}, {"heading", a->heading}});
  j["ancestors"] = anc;
  j["related"] = {{"references", info.references}, {"referenced_by", info.referenced_by}};
  ojson defs = ojson::array();
  for (const auto* d : info.definitions) {
    defs.push_back({{"term", d->term}, {"text", d->text}, {"verification", d->verification}});
  }
  j["definitions"] = defs;
  j["regime"] = info.regime;
  j["annex_iv"] = {{"status", info.annex_iv}, {"detail", info.annex_iv_detail}};
  ojson gas = ojson::array();
  for (const auto& g : info.general_authorisations) {
    gas.push_back({{"id", g.id}, {"status", g.status}, {"reason", g.reason}});
  }
  j["general_authorisations"] = gas;
  if (info.us) {
    ojson items = ojson::array();
    for (const auto& it : info.us->items)
      items.push_back({{"paragraph", it.paragraph}, {"text", it.text}});
    j["us_counterpart"] = {
        {"eccn", info.us->eccn},
        {"paragraph", info.us_paragraph},
        {"heading", info.us->heading},
        {"reason_for_control", info.us->reason_for_control},
        {"controls", info.us_controls},
        {"items", items},
        {"note",
         "Same Wassenaar-derived number in 15 CFR Part 774 Supp. 1; not a legal equivalence"}};
  } else {
    j["us_counterpart"] = nullptr;
  }
  ojson cn = ojson::array();
  for (const auto& h : info.cn_hints) {
    cn.push_back({{"cn", h.cn}, {"description", h.description}, {"entries", h.entries}});
  }
  j["cn_hints"] = cn;
  j["notes_on_sources"] = info.notes_on_sources;
  return j.dump(2);
}

std::string EntryInfoToText(const EntryInfo& info) {
  const auto& e = *info.entry;
  std::string o;
  o += e.code + (e.cyber_surveillance ? "  [cyber-surveillance entry]" : "") + "\n";
  for (auto it = info.ancestors.rbegin(); it != info.ancestors.rend(); ++it) {
    o += "  in " + (*it)->code + ": " + (*it)->heading + "\n";
  }
  o += "Version: " + e.version + (e.verification.empty() ? "" : " [" + e.verification + "]") +
       "\n\n";
  o += e.text + "\n";
  if (!info.definitions.empty()) {
    o += "\nDefinitions:\n";
    for (const auto* d : info.definitions) {
      o += "  \"" + d->term + "\" [" + d->verification + "]: " + d->text + "\n";
    }
  }
  if (!info.references.empty() || !info.referenced_by.empty()) {
    o += "\nRelated entries:";
    for (const auto& r : info.references)
      o += " " + r;
    if (!info.referenced_by.empty()) {
      o += "\n  referred to by:";
      for (const auto& r : info.referenced_by)
        o += " " + r;
    }
    o += "\n";
  }
  o += "\nRegime: " + info.regime + "\n";
  if (info.annex_iv != "unknown") {
    o += "Annex IV: " + info.annex_iv +
         (info.annex_iv_detail.empty() ? "" : " - " + info.annex_iv_detail) + "\n";
  }
  if (!info.general_authorisations.empty()) {
    o += "Union general export authorisations:\n";
    for (const auto& g : info.general_authorisations) {
      if (g.status == "not_in_scope") continue;
      o += "  " + g.id + ": " + g.status + (g.reason.empty() ? "" : " (" + g.reason + ")") + "\n";
    }
  }
  if (info.us) {
    o += "\nUS counterpart (same number, not a legal equivalence): ECCN " + info.us->eccn +
         (info.us_paragraph.empty() ? "" : " paragraph ." + info.us_paragraph) + "\n";
    o += "  Reasons for control: " + info.us->reason_for_control + "\n";
    for (const auto& c : info.us_controls)
      o += "  " + c + "\n";
  }
  if (!info.cn_hints.empty()) {
    o += "\nCN codes often used (hint, not a classification):";
    for (const auto& h : info.cn_hints)
      o += " " + h.cn;
    o += "\n";
  }
  for (const auto& n : info.notes_on_sources)
    o += "(" + n + ")\n";
  return o;
}

}  // namespace dualuse::classify
