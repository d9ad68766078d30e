#include "dualuse/classify/due_diligence.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <utility>

#include "classify/json_reader.h"
#include "dualuse/base/date.h"
#include "dualuse/base/resources.h"
#include "dualuse/base/sha256.h"
#include "dualuse/controllist/control_list.h"

namespace dualuse::classify {

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

const std::vector<std::string> kRoles = {"consignee", "end_user", "intermediate_consignee",
                                         "purchaser", "broker",   "agent"};
const std::vector<std::string> kSectors = {
    "government_security", "law_enforcement", "intelligence", "military",
    "telecom_operator",    "private",         "academic",     "other"};
const std::vector<std::string> kScreening = {"clear", "potential_match", "hit", "not_screened"};
const std::vector<std::string> kMitigations = {"end_use_statement",      "contractual_assurance",
                                               "limited_functionality",  "post_shipment_check",
                                               "training_on_lawful_use", "other"};
const std::vector<std::string> kConclusions = {"aware", "suspect", "not_aware"};
// The assessment request's knowledge values (spec section 2).
const std::vector<std::string> kConcerns = {"wmd",
                                            "military_end_use",
                                            "military_parts_illegally_exported",
                                            "internal_repression",
                                            "public_security",
                                            "human_rights"};
const std::vector<std::string> kLevels = {"low", "medium", "high"};

bool IsCountryShape(const std::string& c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

ojson ToOjson(const DueDiligenceRecord& r) {
  ojson j;
  j["schema"] = "dualuse.due-diligence/1";
  j["reference"] = r.reference;
  j["date"] = r.date;
  j["prepared_by"] = r.prepared_by;
  ojson item;
  item["description"] = r.item_description;
  item["control_entries"] = r.control_entries;
  if (r.cyber_surveillance) {
    item["cyber_surveillance"] = *r.cyber_surveillance;
  } else {
    item["cyber_surveillance"] = nullptr;
  }
  item["classification_record"] = r.classification_record;
  item["capabilities"] = r.capabilities;
  item["misuse_potential"] = r.misuse_potential;
  item["misuse_potential_notes"] = r.misuse_potential_notes;
  j["item"] = item;
  ojson st = ojson::array();
  for (const auto& s : r.stakeholders) {
    ojson o;
    o["role"] = s.role;
    o["name"] = s.name;
    o["country"] = s.country;
    o["sector"] = s.sector;
    o["screening"] = {{"status", s.screening.status},
                      {"lists", s.screening.lists},
                      {"date", s.screening.date},
                      {"details", s.screening.details}};
    o["prior_misuse"] = {{"known", s.prior_misuse_known},
                         {"details", s.prior_misuse_details},
                         {"sources", s.sources}};
    st.push_back(o);
  }
  j["stakeholders"] = st;
  j["destination"] = {{"country", r.destination_country},
                      {"human_rights_restrictive_measures", r.human_rights_restrictive_measures},
                      {"arms_embargo", r.arms_embargo},
                      {"notes", r.destination_notes}};
  ojson flags = ojson::array();
  for (const auto& f : r.red_flags) {
    flags.push_back({{"code", f.code}, {"present", f.present}, {"details", f.details}});
  }
  j["red_flags"] = flags;
  ojson mit = ojson::array();
  for (const auto& m : r.mitigations) {
    mit.push_back({{"kind", m.kind}, {"details", m.details}, {"in_place", m.in_place}});
  }
  j["mitigations"] = mit;
  j["conclusion"] = {{"value", r.conclusion}, {"concerns", r.concerns}, {"reasoning", r.reasoning}};
  return j;
}

std::string List(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + v[i];
  return out.empty() ? "-" : out;
}

}  // namespace

Result<DueDiligenceRecord> ParseDueDiligence(std::string_view text, const std::string& name) {
  JsonReader r(name, StatusCode::kInvalidArgument);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(text));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != "dualuse.due-diligence/1") {
    return r.Fail("$.schema", "expected \"dualuse.due-diligence/1\"");
  }
  DueDiligenceRecord d;
  DU_ASSIGN_OR_RETURN(d.reference, r.Str(doc, "$", "reference", true));
  DU_ASSIGN_OR_RETURN(d.date, r.Str(doc, "$", "date", true));
  if (!Date::Parse(d.date)) return r.Fail("$.date", "expected a date YYYY-MM-DD");
  DU_ASSIGN_OR_RETURN(d.prepared_by, r.Str(doc, "$", "prepared_by", true));

  DU_ASSIGN_OR_RETURN(const json* item, r.Object(doc, "$", "item", true));
  DU_ASSIGN_OR_RETURN(d.item_description, r.Str(*item, "$.item", "description", true));
  DU_ASSIGN_OR_RETURN(d.control_entries, r.StrArray(*item, "$.item", "control_entries", false));
  for (size_t i = 0; i < d.control_entries.size(); ++i) {
    if (!controllist::IsAnnexICodeSyntax(d.control_entries[i])) {
      return r.Fail(
          "$.item.control_entries[" + std::to_string(i) + "]",
          "\"" + d.control_entries[i] + "\" is not an Annex I entry (expected e.g. 5A001.j)");
    }
  }
  DU_ASSIGN_OR_RETURN(d.cyber_surveillance, r.Bool(*item, "$.item", "cyber_surveillance", false));
  DU_ASSIGN_OR_RETURN(d.classification_record,
                      r.Str(*item, "$.item", "classification_record", false));
  DU_ASSIGN_OR_RETURN(d.capabilities, r.StrArray(*item, "$.item", "capabilities", true));
  if (d.capabilities.empty()) {
    return r.Fail("$.item.capabilities", "expected at least one capability of the item");
  }
  DU_ASSIGN_OR_RETURN(d.misuse_potential,
                      r.Enum(*item, "$.item", "misuse_potential", kLevels, true));
  DU_ASSIGN_OR_RETURN(d.misuse_potential_notes,
                      r.Str(*item, "$.item", "misuse_potential_notes", false));

  DU_ASSIGN_OR_RETURN(const json* st, r.Array(doc, "$", "stakeholders", true));
  if (st->empty()) return r.Fail("$.stakeholders", "expected at least the end user");
  bool has_end_user = false;
  for (size_t i = 0; i < st->size(); ++i) {
    const json& j = (*st)[i];
    std::string p = "$.stakeholders[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(p, "expected an object");
    DdStakeholder s;
    DU_ASSIGN_OR_RETURN(s.role, r.Enum(j, p, "role", kRoles, true));
    has_end_user |= s.role == "end_user";
    DU_ASSIGN_OR_RETURN(s.name, r.Str(j, p, "name", true));
    DU_ASSIGN_OR_RETURN(s.country, r.Str(j, p, "country", true));
    if (!IsCountryShape(s.country)) {
      return r.Fail(p + ".country", "\"" + s.country + "\" is not an ISO 3166-1 alpha-2 code");
    }
    DU_ASSIGN_OR_RETURN(s.sector, r.Enum(j, p, "sector", kSectors, true));
    DU_ASSIGN_OR_RETURN(const json* sc, r.Object(j, p, "screening", true));
    DU_ASSIGN_OR_RETURN(s.screening.status,
                        r.Enum(*sc, p + ".screening", "status", kScreening, true));
    DU_ASSIGN_OR_RETURN(s.screening.lists, r.StrArray(*sc, p + ".screening", "lists", false));
    DU_ASSIGN_OR_RETURN(s.screening.date, r.Str(*sc, p + ".screening", "date", false));
    if (!s.screening.date.empty() && !Date::Parse(s.screening.date)) {
      return r.Fail(p + ".screening.date", "expected a date YYYY-MM-DD");
    }
    if (s.screening.status != "not_screened" && s.screening.date.empty()) {
      return r.Fail(p + ".screening.date", "missing (expected the date of the screening)");
    }
    DU_ASSIGN_OR_RETURN(s.screening.details, r.Str(*sc, p + ".screening", "details", false));
    DU_ASSIGN_OR_RETURN(const json* pm, r.Object(j, p, "prior_misuse", true));
    DU_ASSIGN_OR_RETURN(auto known, r.Bool(*pm, p + ".prior_misuse", "known", true));
    s.prior_misuse_known = *known;
    DU_ASSIGN_OR_RETURN(s.prior_misuse_details, r.Str(*pm, p + ".prior_misuse", "details", false));
    if (s.prior_misuse_known && s.prior_misuse_details.empty()) {
      return r.Fail(p + ".prior_misuse.details", "missing (expected what is known of the misuse)");
    }
    DU_ASSIGN_OR_RETURN(s.sources, r.StrArray(*pm, p + ".prior_misuse", "sources", false));
    d.stakeholders.push_back(std::move(s));
  }
  if (!has_end_user) {
    return r.Fail("$.stakeholders", "expected a stakeholder with role \"end_user\"");
  }

  DU_ASSIGN_OR_RETURN(const json* dest, r.Object(doc, "$", "destination", true));
  DU_ASSIGN_OR_RETURN(d.destination_country, r.Str(*dest, "$.destination", "country", true));
  if (!IsCountryShape(d.destination_country)) {
    return r.Fail("$.destination.country",
                  "\"" + d.destination_country + "\" is not an ISO 3166-1 alpha-2 code");
  }
  DU_ASSIGN_OR_RETURN(auto hr,
                      r.Bool(*dest, "$.destination", "human_rights_restrictive_measures", true));
  d.human_rights_restrictive_measures = *hr;
  DU_ASSIGN_OR_RETURN(auto emb, r.Bool(*dest, "$.destination", "arms_embargo", true));
  d.arms_embargo = *emb;
  DU_ASSIGN_OR_RETURN(d.destination_notes, r.Str(*dest, "$.destination", "notes", false));

  DU_ASSIGN_OR_RETURN(const json* flags, r.Array(doc, "$", "red_flags", true));
  std::set<std::string> flag_codes;
  for (size_t i = 0; i < flags->size(); ++i) {
    const json& j = (*flags)[i];
    std::string p = "$.red_flags[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(p, "expected an object");
    DdRedFlag f;
    DU_ASSIGN_OR_RETURN(f.code, r.Str(j, p, "code", true));
    if (!flag_codes.insert(f.code).second) {
      return r.Fail(p + ".code", "\"" + f.code + "\" is listed twice");
    }
    DU_ASSIGN_OR_RETURN(auto present, r.Bool(j, p, "present", true));
    f.present = *present;
    DU_ASSIGN_OR_RETURN(f.details, r.Str(j, p, "details", false));
    if (f.present && f.details.empty()) {
      return r.Fail(p + ".details", "missing (expected what was observed)");
    }
    d.red_flags.push_back(std::move(f));
  }
  DU_ASSIGN_OR_RETURN(const json* mit, r.Array(doc, "$", "mitigations", true));
  for (size_t i = 0; i < mit->size(); ++i) {
    const json& j = (*mit)[i];
    std::string p = "$.mitigations[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(p, "expected an object");
    DdMitigation m;
    DU_ASSIGN_OR_RETURN(m.kind, r.Enum(j, p, "kind", kMitigations, true));
    DU_ASSIGN_OR_RETURN(m.details, r.Str(j, p, "details", true));
    DU_ASSIGN_OR_RETURN(auto in_place, r.Bool(j, p, "in_place", true));
    m.in_place = *in_place;
    d.mitigations.push_back(std::move(m));
  }

  DU_ASSIGN_OR_RETURN(const json* c, r.Object(doc, "$", "conclusion", true));
  DU_ASSIGN_OR_RETURN(d.conclusion, r.Enum(*c, "$.conclusion", "value", kConclusions, true));
  DU_ASSIGN_OR_RETURN(d.concerns, r.StrArray(*c, "$.conclusion", "concerns", false));
  for (size_t i = 0; i < d.concerns.size(); ++i) {
    bool ok = false;
    for (const auto& k : kConcerns)
      ok |= k == d.concerns[i];
    if (!ok) {
      return r.Fail("$.conclusion.concerns[" + std::to_string(i) + "]",
                    "\"" + d.concerns[i] + "\" is not allowed (expected " +
                        JoinAlternatives(kConcerns) + ")");
    }
  }
  if (d.conclusion != "not_aware" && d.concerns.empty()) {
    d.concerns.push_back("internal_repression");
  }
  if (d.conclusion == "not_aware" && !d.concerns.empty()) {
    return r.Fail("$.conclusion.concerns", "expected none when the conclusion is \"not_aware\"");
  }
  DU_ASSIGN_OR_RETURN(d.reasoning, r.Str(*c, "$.conclusion", "reasoning", true));
  return d;
}

std::vector<std::string> DueDiligenceWarnings(const DueDiligenceRecord& r) {
  std::vector<std::string> w;
  if (r.conclusion == "not_aware") {
    for (size_t i = 0; i < r.stakeholders.size(); ++i) {
      const auto& s = r.stakeholders[i];
      if (s.screening.status == "hit" || s.screening.status == "potential_match") {
        w.push_back("$.stakeholders[" + std::to_string(i) + "]: screening status \"" +
                    s.screening.status + "\" but the conclusion is \"not_aware\"");
      }
      if (s.prior_misuse_known) {
        w.push_back("$.stakeholders[" + std::to_string(i) +
                    "]: prior misuse is known but the conclusion is \"not_aware\"");
      }
    }
    if (r.human_rights_restrictive_measures) {
      w.push_back(
          "$.destination: human-rights restrictive measures apply but the conclusion is "
          "\"not_aware\"");
    }
  }
  bool any_mitigation = false;
  for (const auto& m : r.mitigations)
    any_mitigation |= m.in_place;
  for (size_t i = 0; i < r.red_flags.size(); ++i) {
    if (r.red_flags[i].present && !any_mitigation && r.conclusion == "not_aware") {
      w.push_back("$.red_flags[" + std::to_string(i) + "]: red flag \"" + r.red_flags[i].code +
                  "\" present and no mitigation in place");
    }
  }
  for (size_t i = 0; i < r.stakeholders.size(); ++i) {
    if (r.stakeholders[i].screening.status == "not_screened") {
      w.push_back("$.stakeholders[" + std::to_string(i) + "]: not screened");
    }
  }
  if (r.cyber_surveillance == false && r.control_entries.empty()) {
    w.push_back(
        "$.item: not a cyber-surveillance item and not listed: Article 5 does not apply; the "
        "record documents the check");
  }
  return w;
}

std::string DueDiligenceToJson(const DueDiligenceRecord& r) { return ToOjson(r).dump(2); }

std::string DueDiligenceToText(const DueDiligenceRecord& r) {
  std::string o;
  o += "Due-diligence record (Art. 5 Regulation (EU) 2021/821; Recommendation (EU) 2024/2659)\n";
  o += "Reference:    " + r.reference + "   Date: " + r.date + "   Prepared by: " + r.prepared_by +
       "\n\n";
  o += "Item:         " + r.item_description + "\n";
  o += "  Entries:    " +
       (r.control_entries.empty() ? std::string("not listed") : List(r.control_entries)) + "\n";
  o += "  Art. 2(20): " +
       std::string(!r.cyber_surveillance   ? "not determined"
                   : *r.cyber_surveillance ? "cyber-surveillance item"
                                           : "not a cyber-surveillance item") +
       (r.classification_record.empty() ? "" : " (record " + r.classification_record + ")") + "\n";
  o += "  Capabilities: " + List(r.capabilities) + "\n";
  o += "  Misuse potential: " + r.misuse_potential +
       (r.misuse_potential_notes.empty() ? "" : " - " + r.misuse_potential_notes) + "\n\n";
  o += "Stakeholders:\n";
  for (const auto& s : r.stakeholders) {
    o += "  - " + s.role + ": " + s.name + " (" + s.country + ", " + s.sector + ")\n";
    o += "    screening: " + s.screening.status +
         (s.screening.lists.empty() ? "" : " against " + List(s.screening.lists)) +
         (s.screening.date.empty() ? "" : " on " + s.screening.date) + "\n";
    o += "    prior misuse: " +
         (s.prior_misuse_known ? "known - " + s.prior_misuse_details : std::string("none known")) +
         "\n";
  }
  o += "\nDestination:  " + r.destination_country +
       (r.human_rights_restrictive_measures ? "; human-rights restrictive measures" : "") +
       (r.arms_embargo ? "; arms embargo" : "") +
       (r.destination_notes.empty() ? "" : "; " + r.destination_notes) + "\n";
  o += "Red flags:\n";
  for (const auto& f : r.red_flags) {
    o += "  - " + f.code + ": " + (f.present ? "PRESENT - " + f.details : std::string("absent")) +
         "\n";
  }
  o += "Mitigations:\n";
  for (const auto& m : r.mitigations) {
    o += "  - " + m.kind + (m.in_place ? " (in place): " : " (planned): ") + m.details + "\n";
  }
  o += "\nConclusion:   " + r.conclusion +
       (r.concerns.empty() ? "" : " (" + List(r.concerns) + ")") + "\n";
  o += "Reasoning:    " + r.reasoning + "\n";
  return o;
}

Knowledge KnowledgeFromDueDiligence(const DueDiligenceRecord& r) {
  Knowledge k;
  std::vector<std::string> concerns =
      r.concerns.empty() ? std::vector<std::string>{"internal_repression"} : r.concerns;
  if (r.conclusion == "aware") k.aware = concerns;
  if (r.conclusion == "suspect") k.suspects = concerns;
  return k;
}

namespace {

// The notification's legal wording is data, with its sources:
// data/law/authority/notification.json (dualuse.notification-wording/1,
// data/law/authority/README.md). Loaded once; every key below must be there,
// each with a non-empty text, source and verification level.
constexpr const char* kWordingKeys[] = {
    "addressee_default", "basis_suspect",  "subject",        "non_listed",   "statement_aware",
    "statement_suspect", "statement_body", "letter_subject", "letter_aware", "letter_suspect",
    "letter_body",       "letter_record",  "not_aware"};

using Wording = std::map<std::string, std::string>;

Result<Wording> LoadWording(const std::string& path) {
  auto fail = [&](const std::string& place, const std::string& expectation) {
    return Status::DataLoss(path + ": " + place + ": " + expectation);
  };
  std::ifstream in(path);
  if (!in) return fail("$", "cannot be read (the notification wording is bundled law data)");
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return fail("$", "expected a JSON object");
  if (doc.value("schema", "") != "dualuse.notification-wording/1") {
    return fail("$.schema", "expected \"dualuse.notification-wording/1\"");
  }
  auto texts = doc.find("texts");
  if (texts == doc.end() || !texts->is_object()) return fail("$.texts", "expected an object");
  Wording w;
  for (const auto& [key, entry] : texts->items()) {
    std::string place = "$.texts." + key;
    if (std::find(std::begin(kWordingKeys), std::end(kWordingKeys), key) ==
        std::end(kWordingKeys)) {
      return fail(place, "unknown text (see data/law/authority/README.md)");
    }
    if (!entry.is_object()) return fail(place, "expected an object");
    for (const char* field : {"text", "source", "verification"}) {
      auto it = entry.find(field);
      if (it == entry.end() || !it->is_string() || it->get<std::string>().empty()) {
        return fail(place + "." + field, "expected a non-empty string");
      }
    }
    std::string v = entry["verification"].get<std::string>();
    if (v != "V" && v != "S" && v != "K") {
      return fail(place + ".verification", "\"" + v + "\" is not V, S or K");
    }
    w[key] = entry["text"].get<std::string>();
  }
  for (const char* key : kWordingKeys) {
    if (!w.count(key)) return fail(std::string("$.texts.") + key, "missing");
  }
  return w;
}

Result<Wording> NotificationWording() {
  static const Result<Wording> wording =
      LoadWording(ResourcePath("law/authority/notification.json"));
  return wording;
}

// `text` with each "{name}" replaced by its value.
std::string Fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const std::string slot = "{" + name + "}";
    for (size_t at = text.find(slot); at != std::string::npos;
         at = text.find(slot, at + value.size())) {
      text.replace(at, slot.size(), value);
    }
  }
  return text;
}

std::string Addressee(const NotificationOptions& o, const Wording& w) {
  return o.authority.empty() ? w.at("addressee_default") : o.authority;
}

// The provision the notification is made under: the caller's (from the law
// data) when the exporter is aware, national law under Art 5(3) otherwise.
std::string Basis(const DueDiligenceRecord& r, const NotificationOptions& o, const Wording& w) {
  return r.conclusion == "aware" ? o.basis : w.at("basis_suspect");
}

Status NeedsNotification(const DueDiligenceRecord& r, const Wording& w) {
  if (r.conclusion == "not_aware") {
    return Status::FailedPrecondition("due-diligence record " + r.reference +
                                      ": the conclusion is \"not_aware\"; " + w.at("not_aware"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> NotificationJson(const DueDiligenceRecord& r, const NotificationOptions& o) {
  DU_ASSIGN_OR_RETURN(Wording w, NotificationWording());
  DU_RETURN_IF_ERROR(NeedsNotification(r, w));
  ojson j;
  j["schema"] = "dualuse.notification/1";
  j["basis"] = Basis(r, o, w);
  j["to"] = Addressee(o, w);
  j["from"] = o.exporter;
  j["reference"] = r.reference;
  j["date"] = r.date;
  j["subject"] =
      Fill(w.at("subject"), {{"non_listed", r.control_entries.empty() ? w.at("non_listed") : ""},
                             {"destination", r.destination_country}});
  j["statement"] = w.at(r.conclusion == "aware" ? "statement_aware" : "statement_suspect") +
                   w.at("statement_body");
  j["record_sha256"] = Sha256Hex(DueDiligenceToJson(r));
  j["record"] = ToOjson(r);
  return j.dump(2);
}

Result<std::string> NotificationText(const DueDiligenceRecord& r, const NotificationOptions& o) {
  DU_ASSIGN_OR_RETURN(Wording w, NotificationWording());
  DU_RETURN_IF_ERROR(NeedsNotification(r, w));
  std::string t;
  t += "To: " + Addressee(o, w) + "\n";
  if (!o.exporter.empty()) t += "From: " + o.exporter + "\n";
  t += "Date: " + r.date + "\nReference: " + r.reference + "\n";
  t += "Subject: " + Fill(w.at("letter_subject"), {{"basis", Basis(r, o, w)}}) + "\n\n";
  t += w.at(r.conclusion == "aware" ? "letter_aware" : "letter_suspect");
  t += Fill(w.at("letter_body"), {{"destination", r.destination_country}}) + "\n\n";
  t += Fill(w.at("letter_record"), {{"sha256", Sha256Hex(DueDiligenceToJson(r))}}) + "\n\n";
  t += DueDiligenceToText(r);
  return t;
}

}  // namespace dualuse::classify
