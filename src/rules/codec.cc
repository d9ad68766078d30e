// JSON for requests and determinations (docs/spec.md sections 2, 3, 7).
#include "dualuse/rules/codec.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "dualuse/base/json_escape.h"
#include "dualuse/base/utf8.h"
#include "dualuse/controllist/control_list.h"
#include "dualuse/messages/catalogue.h"
#include "law/json_reader.h"

namespace dualuse::rules {

using jsonutil::Errors;
using jsonutil::json;
using jsonutil::Member;
using jsonutil::Path;
using ojson = nlohmann::ordered_json;

namespace {

template <typename E, size_t N>
struct EnumTable {
  const char* names[N];
  const char* Name(E e) const { return names[static_cast<size_t>(e)]; }
  bool Parse(std::string_view s, E* out) const {
    for (size_t i = 0; i < N; ++i) {
      if (s == names[i]) {
        *out = static_cast<E>(i);
        return true;
      }
    }
    return false;
  }
  std::string Expected() const {
    std::string out = "expected one of ";
    for (size_t i = 0; i < N; ++i)
      out += (i ? ", " : "") + std::string(names[i]);
    return out;
  }
};

constexpr EnumTable<Activity, 6> kActivities{
    {"export", "transmission", "brokering", "transit", "technical_assistance", "transfer"}};
constexpr EnumTable<ItemKind, 3> kKinds{{"goods", "software", "technology"}};
constexpr EnumTable<PartyRole, 6> kRoles{
    {"consignee", "end_user", "intermediate_consignee", "purchaser", "broker", "agent"}};
constexpr EnumTable<PartyType, 3> kTypes{{"organization", "person", "vessel"}};
constexpr EnumTable<Sector, 8> kSectors{{"government_security", "law_enforcement", "intelligence",
                                         "military", "telecom_operator", "private", "academic",
                                         "other"}};
constexpr EnumTable<Concern, 6> kConcerns{
    {"wmd", "military_end_use", "military_parts_illegally_exported", "internal_repression",
     "public_security", "human_rights"}};
constexpr EnumTable<Effect, 8> kEffects{{"prohibited", "licence_required", "notify_authority",
                                         "needs_classification", "general_authorisation",
                                         "no_licence_required", "red_flag", "information"}};
const char* const kCircumstances[] = {
    "after_repair_or_replacement", "temporary_export_exhibition",    "intra_group", "public_domain",
    "basic_scientific_research",   "installation_maintenance_repair"};

template <typename E, size_t N>
bool ReadEnum(const json& obj, const Path& p, std::string_view key, bool required,
              const EnumTable<E, N>& table, E* out, bool* present, Errors& e) {
  std::string s;
  const json* v = Member(obj, key);
  if (present) *present = v != nullptr;
  if (!jsonutil::ReadString(obj, p, key, required, &s, e)) return false;
  if (!v) return true;
  if (!table.Parse(s, out)) {
    e.Fail(p.Key(key), table.Expected() + ", got " + jsonutil::Quote(s));
    return false;
  }
  return true;
}

bool CountryShape(const std::string& c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

bool ReadCountryCode(const json& obj, const Path& p, std::string_view key, bool required,
                     std::string* out, Errors& e) {
  if (!jsonutil::ReadString(obj, p, key, required, out, e)) return false;
  if (!Member(obj, key)) return true;
  if (!CountryShape(*out)) {
    e.Fail(p.Key(key), jsonutil::Quote(*out) +
                           " is not an ISO 3166-1 alpha-2 country code (expected e.g. \"NL\")");
    return false;
  }
  return true;
}

bool ReadConcerns(const json& obj, const Path& p, std::string_view key, ConcernSet* out,
                  Errors& e) {
  const json* v = Member(obj, key);
  if (!v) return true;
  Path ap = p.Key(key);
  if (!jsonutil::RequireArray(*v, ap, e)) return false;
  for (size_t i = 0; i < v->size(); ++i) {
    const json& c = (*v)[i];
    Concern concern;
    if (!c.is_string() || !kConcerns.Parse(c.get_ref<const std::string&>(), &concern)) {
      e.Fail(ap.At(i), kConcerns.Expected() + ", got " + jsonutil::Excerpt(c));
      return false;
    }
    out->Add(concern);
  }
  return true;
}

// Annex I notation or a national-list entry "XX:...".
bool EntryShape(const std::string& s) {
  if (s.size() > 3 && s[2] == ':' && CountryShape(s.substr(0, 2))) {
    for (size_t i = 3; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c <= 0x20 || c == 0x7f) return false;
    }
    return true;
  }
  return controllist::IsAnnexICodeSyntax(s);
}

bool ParseItem(const json& j, const Path& p, size_t index, Item* item, Errors& e) {
  if (!jsonutil::RequireObject(j, p, e)) return false;
  const json* id = Member(j, "id");
  if (id && id->is_number_integer()) {
    item->id = std::to_string(id->get<long long>());
  } else if (!jsonutil::ReadNonEmptyString(j, p, "id", false, &item->id, e)) {
    return false;
  }
  if (!id) item->id = std::to_string(index + 1);
  if (!jsonutil::ReadString(j, p, "description", false, &item->description, e) ||
      !ReadEnum(j, p, "kind", true, kKinds, &item->kind, nullptr, e) ||
      !jsonutil::ReadBool(j, p, "cyber_surveillance", false, &item->cyber_surveillance, e) ||
      !jsonutil::ReadNumber(j, p, "quantity", false, &item->quantity, e) ||
      !jsonutil::ReadNumber(j, p, "value_eur", false, &item->value_eur, e) ||
      !jsonutil::ReadString(j, p, "cn_code", false, &item->cn_code, e)) {
    return false;
  }
  if (item->quantity && !(*item->quantity >= 0)) {
    e.Fail(p.Key("quantity"), "expected a number >= 0");
    return false;
  }
  if (item->value_eur && !(*item->value_eur >= 0)) {
    e.Fail(p.Key("value_eur"), "expected a number >= 0");
    return false;
  }
  const json* ce = Member(j, "control_entries");
  if (ce && !ce->is_null()) {
    std::vector<std::string> entries;
    if (!jsonutil::ReadStringArray(j, p, "control_entries", true, &entries, e)) return false;
    Path cp = p.Key("control_entries");
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!EntryShape(entries[i])) {
        e.Fail(cp.At(i), jsonutil::Quote(entries[i]) +
                             " is not an Annex I entry (expected e.g. 5A001.j, or NL:<code> for "
                             "a national list)");
        return false;
      }
    }
    item->control_entries = std::move(entries);
  }
  // Citations written by the record resolution (classify/integration.h); the
  // reference itself (items[].classification_record) is resolved before parsing.
  const json* crs = Member(j, "classification_records");
  if (crs && !crs->is_null()) {
    Path rp = p.Key("classification_records");
    if (!jsonutil::RequireArray(*crs, rp, e)) return false;
    for (size_t i = 0; i < crs->size(); ++i) {
      const json& c = (*crs)[i];
      Path cp = rp.At(i);
      ClassificationCitation cc;
      if (!jsonutil::RequireObject(c, cp, e) ||
          !jsonutil::ReadNonEmptyString(c, cp, "id", true, &cc.id, e) ||
          !jsonutil::ReadString(c, cp, "tree", false, &cc.tree, e) ||
          !jsonutil::ReadString(c, cp, "tree_version", false, &cc.tree_version, e) ||
          !jsonutil::ReadString(c, cp, "outcome", false, &cc.outcome, e) ||
          !jsonutil::ReadStringArray(c, cp, "entries", false, &cc.entries, e) ||
          !jsonutil::ReadString(c, cp, "who", false, &cc.who, e) ||
          !jsonutil::ReadString(c, cp, "when", false, &cc.when, e) ||
          !jsonutil::ReadString(c, cp, "annex_version", false, &cc.annex_version, e) ||
          !jsonutil::ReadString(c, cp, "record_sha256", false, &cc.record_sha256, e)) {
        return false;
      }
      const json* cs = Member(c, "cyber_surveillance");
      if (cs && !cs->is_null() &&
          !jsonutil::ReadBool(c, cp, "cyber_surveillance", false, &cc.cyber_surveillance, e)) {
        return false;
      }
      item->classification_records.push_back(std::move(cc));
    }
  }
  return true;
}

// request.due_diligence in its resolved form (an object with "record_sha256",
// written by classify::ApplyDueDiligence). A path or a raw record is resolved
// by the caller before parsing and is ignored here.
bool ParseDueDiligenceCitation(const json& j, const Path& root, AssessmentRequest* r, Errors& e) {
  const json* dd = Member(j, "due_diligence");
  if (!dd || !dd->is_object() || !Member(*dd, "record_sha256")) return true;
  Path dp = root.Key("due_diligence");
  DueDiligenceCitation c;
  if (!jsonutil::ReadString(*dd, dp, "reference", false, &c.reference, e) ||
      !jsonutil::ReadNonEmptyString(*dd, dp, "conclusion", true, &c.conclusion, e) ||
      !jsonutil::ReadStringArray(*dd, dp, "concerns", false, &c.concerns, e) ||
      !jsonutil::ReadString(*dd, dp, "date", false, &c.date, e) ||
      !jsonutil::ReadString(*dd, dp, "prepared_by", false, &c.prepared_by, e) ||
      !jsonutil::ReadNonEmptyString(*dd, dp, "record_sha256", true, &c.record_sha256, e)) {
    return false;
  }
  if (c.conclusion != "aware" && c.conclusion != "suspect" && c.conclusion != "not_aware") {
    e.Fail(dp.Key("conclusion"),
           "expected one of aware, suspect, not_aware, got " + jsonutil::Quote(c.conclusion));
    return false;
  }
  const json* rec = Member(*dd, "record");
  if (rec && rec->is_object()) c.record_json = rec->dump();
  r->due_diligence = std::move(c);
  return true;
}

bool ParseParty(const json& j, const Path& p, Party* party, Errors& e) {
  if (!jsonutil::RequireObject(j, p, e)) return false;
  bool has_sector = false;
  Sector sector = Sector::kOther;
  if (!ReadEnum(j, p, "role", true, kRoles, &party->role, nullptr, e) ||
      !jsonutil::ReadNonEmptyString(j, p, "name", true, &party->name, e) ||
      !ReadCountryCode(j, p, "country", false, &party->country, e) ||
      !ReadEnum(j, p, "type", false, kTypes, &party->type, nullptr, e) ||
      !ReadEnum(j, p, "sector", false, kSectors, &sector, &has_sector, e) ||
      !jsonutil::ReadStringArray(j, p, "aliases", false, &party->aliases, e) ||
      !jsonutil::ReadString(j, p, "birth_date", false, &party->birth_date, e)) {
    return false;
  }
  if (has_sector) party->sector = sector;
  const json* ids = Member(j, "identifiers");
  if (ids) {
    Path ip = p.Key("identifiers");
    if (!jsonutil::RequireArray(*ids, ip, e)) return false;
    for (size_t i = 0; i < ids->size(); ++i) {
      Identifier id;
      Path xp = ip.At(i);
      if (!jsonutil::RequireObject((*ids)[i], xp, e) ||
          !jsonutil::ReadString((*ids)[i], xp, "type", false, &id.type, e) ||
          !jsonutil::ReadNonEmptyString((*ids)[i], xp, "value", true, &id.value, e) ||
          !ReadCountryCode((*ids)[i], xp, "country", false, &id.country, e)) {
        return false;
      }
      party->identifiers.push_back(std::move(id));
    }
  }
  return true;
}

bool Parse(const json& j, AssessmentRequest* r, Errors& e) {
  Path root;
  if (!jsonutil::RequireObject(j, root, e)) return false;
  const json* schema = Member(j, "schema");
  if (schema) {
    if (!jsonutil::ReadString(j, root, "schema", true, &r->schema, e)) return false;
    if (r->schema != "dualuse.assessment/1") {
      e.Fail(root.Key("schema"),
             "expected \"dualuse.assessment/1\", got " + jsonutil::Quote(r->schema));
      return false;
    }
  }
  const json* ref = Member(j, "reference");
  if (ref && ref->is_number_integer()) {
    r->reference = std::to_string(ref->get<long long>());
  } else if (!jsonutil::ReadString(j, root, "reference", false, &r->reference, e)) {
    return false;
  }
  if (!jsonutil::ReadDate(j, root, "date", false, &r->date, e) ||
      !ReadEnum(j, root, "activity", true, kActivities, &r->activity, nullptr, e) ||
      !ReadCountryCode(j, root, "destination", true, &r->destination, e) ||
      !ReadCountryCode(j, root, "origin", false, &r->origin, e)) {
    return false;
  }
  const json* exp = Member(j, "exporter");
  Path xp = root.Key("exporter");
  if (!exp) {
    e.Fail(xp, "missing (required)");
    return false;
  }
  if (!jsonutil::RequireObject(*exp, xp, e) ||
      !jsonutil::ReadString(*exp, xp, "name", false, &r->exporter.name, e) ||
      !ReadCountryCode(*exp, xp, "country", true, &r->exporter.country, e) ||
      !jsonutil::ReadBool(*exp, xp, "has_icp", false, &r->exporter.has_icp, e)) {
    return false;
  }
  if (r->activity == Activity::kBrokering && r->origin.empty()) {
    e.Fail(root.Key("origin"),
           "missing (required for brokering: the third country the items "
           "leave)");
    return false;
  }
  const json* items = Member(j, "items");
  Path ip = root.Key("items");
  if (!items) {
    e.Fail(ip, "missing (required)");
    return false;
  }
  if (!jsonutil::RequireArray(*items, ip, e)) return false;
  if (items->empty()) {
    e.Fail(ip, "expected at least one item");
    return false;
  }
  r->items.resize(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    if (!ParseItem((*items)[i], ip.At(i), i, &r->items[i], e)) return false;
  }
  for (size_t i = 0; i < r->items.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (r->items[k].id == r->items[i].id) {
        Path itp = ip.At(i);
        e.Fail(itp.Key("id"), "duplicate item id " + jsonutil::Quote(r->items[i].id));
        return false;
      }
    }
  }
  const json* parties = Member(j, "parties");
  if (parties) {
    Path pp = root.Key("parties");
    if (!jsonutil::RequireArray(*parties, pp, e)) return false;
    r->parties.resize(parties->size());
    for (size_t i = 0; i < parties->size(); ++i) {
      if (!ParseParty((*parties)[i], pp.At(i), &r->parties[i], e)) return false;
    }
  }
  const json* eu = Member(j, "end_use");
  if (eu) {
    Path ep = root.Key("end_use");
    if (eu->is_string()) {
      r->end_use = eu->get<std::string>();
    } else if (!jsonutil::RequireObject(*eu, ep, e) ||
               !jsonutil::ReadString(*eu, ep, "description", false, &r->end_use, e) ||
               !jsonutil::ReadString(*eu, ep, "country", false, &r->end_use_country, e)) {
      return false;
    }
  }
  const json* kn = Member(j, "knowledge");
  if (kn) {
    Path kp = root.Key("knowledge");
    if (!jsonutil::RequireObject(*kn, kp, e) ||
        !ReadConcerns(*kn, kp, "informed", &r->knowledge.informed, e) ||
        !ReadConcerns(*kn, kp, "aware", &r->knowledge.aware, e) ||
        !ReadConcerns(*kn, kp, "suspects", &r->knowledge.suspects, e)) {
      return false;
    }
  }
  if (!jsonutil::ReadStringArray(j, root, "export_circumstances", false, &r->export_circumstances,
                                 e)) {
    return false;
  }
  Path cp = root.Key("export_circumstances");
  for (size_t i = 0; i < r->export_circumstances.size(); ++i) {
    bool ok = false;
    for (const char* c : kCircumstances)
      ok = ok || r->export_circumstances[i] == c;
    if (!ok) {
      std::string expected = "expected one of ";
      for (size_t k = 0; k < std::size(kCircumstances); ++k) {
        expected += (k ? ", " : "") + std::string(kCircumstances[k]);
      }
      e.Fail(cp.At(i), expected + ", got " + jsonutil::Quote(r->export_circumstances[i]));
      return false;
    }
  }
  return ParseDueDiligenceCitation(j, root, r, e);
}

// Local names: rules does not link the lists module (entity.h is types only).
const char* SchemaText(lists::Schema s) {
  switch (s) {
    case lists::Schema::kPerson:
      return "Person";
    case lists::Schema::kOrganization:
      return "Organization";
    case lists::Schema::kCompany:
      return "Company";
    case lists::Schema::kLegalEntity:
      return "LegalEntity";
    case lists::Schema::kVessel:
      return "Vessel";
    case lists::Schema::kAircraft:
      return "Aircraft";
  }
  return "LegalEntity";
}

ojson ConcernsJson(const ConcernSet& s) {
  ojson a = ojson::array();
  for (int i = 0; i < kConcernCount; ++i) {
    if (s.Has(static_cast<Concern>(i))) a.push_back(kConcerns.names[i]);
  }
  return a;
}

}  // namespace

const char* ActivityName(Activity a) { return kActivities.Name(a); }
const char* ItemKindName(ItemKind k) { return kKinds.Name(k); }
const char* PartyRoleName(PartyRole r) { return kRoles.Name(r); }
const char* PartyTypeName(PartyType t) { return kTypes.Name(t); }
const char* SectorName(Sector s) { return kSectors.Name(s); }
const char* ConcernName(Concern c) { return kConcerns.Name(c); }
const char* EffectName(Effect e) { return kEffects.Name(e); }

Result<AssessmentRequest> ParseRequest(const nlohmann::json& j, std::string_view name) {
  AssessmentRequest r;
  Errors e{std::string(name)};
  try {
    if (!Parse(j, &r, e)) return Status::InvalidArgument(e.message());
  } catch (const std::exception& ex) {  // defensive: nlohmann type errors
    return Status::InvalidArgument(std::string(name) + ": $: " + ex.what());
  }
  return r;
}

Result<AssessmentRequest> ParseRequestText(std::string_view text, std::string_view name) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    return Status::InvalidArgument(std::string(name) + ": $: expected a JSON document");
  }
  return ParseRequest(j, name);
}

ojson ToJson(const AssessmentRequest& r) {
  ojson j;
  j["schema"] = r.schema;
  if (!r.reference.empty()) j["reference"] = r.reference;
  if (r.date) j["date"] = r.date->ToString();
  j["activity"] = ActivityName(r.activity);
  ojson ex;
  if (!r.exporter.name.empty()) ex["name"] = r.exporter.name;
  ex["country"] = r.exporter.country;
  if (r.exporter.has_icp) ex["has_icp"] = *r.exporter.has_icp;
  j["exporter"] = std::move(ex);
  j["destination"] = r.destination;
  if (!r.origin.empty()) j["origin"] = r.origin;
  ojson items = ojson::array();
  for (const Item& it : r.items) {
    ojson i;
    i["id"] = it.id;
    if (!it.description.empty()) i["description"] = it.description;
    i["kind"] = ItemKindName(it.kind);
    if (it.control_entries) i["control_entries"] = *it.control_entries;
    if (it.cyber_surveillance) i["cyber_surveillance"] = *it.cyber_surveillance;
    if (it.quantity) i["quantity"] = *it.quantity;
    if (it.value_eur) i["value_eur"] = *it.value_eur;
    if (!it.cn_code.empty()) i["cn_code"] = it.cn_code;
    if (!it.classification_records.empty()) {
      ojson crs = ojson::array();
      for (const ClassificationCitation& c : it.classification_records) {
        ojson o;
        o["id"] = c.id;
        o["tree"] = c.tree;
        o["tree_version"] = c.tree_version;
        o["outcome"] = c.outcome;
        o["entries"] = c.entries;
        o["cyber_surveillance"] = c.cyber_surveillance ? ojson(*c.cyber_surveillance) : ojson();
        o["who"] = c.who;
        o["when"] = c.when;
        o["annex_version"] = c.annex_version;
        if (!c.record_sha256.empty()) o["record_sha256"] = c.record_sha256;
        crs.push_back(std::move(o));
      }
      i["classification_records"] = std::move(crs);
    }
    items.push_back(std::move(i));
  }
  j["items"] = std::move(items);
  ojson parties = ojson::array();
  for (const Party& p : r.parties) {
    ojson o;
    o["role"] = PartyRoleName(p.role);
    o["name"] = p.name;
    if (!p.country.empty()) o["country"] = p.country;
    o["type"] = PartyTypeName(p.type);
    if (p.sector) o["sector"] = SectorName(*p.sector);
    if (!p.aliases.empty()) o["aliases"] = p.aliases;
    if (!p.birth_date.empty()) o["birth_date"] = p.birth_date;
    if (!p.identifiers.empty()) {
      ojson ids = ojson::array();
      for (const Identifier& id : p.identifiers) {
        ojson x;
        if (!id.type.empty()) x["type"] = id.type;
        x["value"] = id.value;
        if (!id.country.empty()) x["country"] = id.country;
        ids.push_back(std::move(x));
      }
      o["identifiers"] = std::move(ids);
    }
    parties.push_back(std::move(o));
  }
  j["parties"] = std::move(parties);
  j["end_use"] = {{"description", r.end_use}};
  if (!r.end_use_country.empty()) j["end_use"]["country"] = r.end_use_country;
  j["knowledge"] = {{"informed", ConcernsJson(r.knowledge.informed)},
                    {"aware", ConcernsJson(r.knowledge.aware)},
                    {"suspects", ConcernsJson(r.knowledge.suspects)}};
  if (!r.export_circumstances.empty()) j["export_circumstances"] = r.export_circumstances;
  if (r.due_diligence) {
    const DueDiligenceCitation& c = *r.due_diligence;
    ojson dd;
    dd["reference"] = c.reference;
    dd["conclusion"] = c.conclusion;
    dd["concerns"] = c.concerns;
    dd["date"] = c.date;
    dd["prepared_by"] = c.prepared_by;
    dd["record_sha256"] = c.record_sha256;
    if (!c.record_json.empty()) {
      ojson rec = ojson::parse(c.record_json, nullptr, false);
      if (!rec.is_discarded()) dd["record"] = std::move(rec);
    }
    j["due_diligence"] = std::move(dd);
  }
  return j;
}

ojson ToJson(const Determination& d) {
  ojson j;
  j["schema"] = d.schema;
  j["reference"] = d.reference;
  if (d.lang != "en") j["lang"] = d.lang;
  j["as_of"] = d.as_of.ToString();
  j["regime"] = d.regime;
  j["verdict"] = EffectName(d.verdict);
  j["licence_required"] = d.licence_required;
  j["review_required"] = d.review_required;
  ojson findings = ojson::array();
  for (const Finding& f : d.findings) {
    ojson o;
    o["rule"] = f.rule;
    o["basis"] = f.basis;
    o["effect"] = EffectName(f.effect);
    if (!f.item.empty()) o["item"] = f.item;
    if (f.party) o["party"] = *f.party;
    o["summary"] = f.summary;
    if (!f.covered_by.empty()) o["covered_by"] = f.covered_by;
    if (!f.verification.empty()) o["verification"] = f.verification;
    if (f.record) {
      o["record"] = {{"kind", f.record->kind}, {"id", f.record->id}, {"sha256", f.record->sha256}};
    }
    findings.push_back(std::move(o));
  }
  j["findings"] = std::move(findings);
  ojson auths = ojson::array();
  for (const GeneralAuthorisationResult& a : d.authorisations) {
    ojson o;
    o["id"] = a.id;
    o["applicable"] = a.applicable;
    o["reason"] = a.reason;
    o["title"] = a.title;
    o["basis"] = a.basis;
    if (!a.items.empty()) o["items"] = a.items;
    if (!a.conditions.empty()) o["conditions"] = a.conditions;
    auths.push_back(std::move(o));
  }
  j["authorisations"] = std::move(auths);
  ojson scr = ojson::array();
  for (const PartyScreening& s : d.screening) {
    ojson o;
    o["party"] = s.party;
    o["role"] = s.role;
    o["status"] = s.status;
    ojson matches = ojson::array();
    for (const screening::ScreeningHit& h : s.matches) {
      ojson m;
      m["list"] = h.list;
      m["list_version"] = h.list_version;
      if (!h.listed_on.empty()) m["listed_on"] = h.listed_on;
      if (!h.delisted_on.empty()) m["delisted_on"] = h.delisted_on;
      m["entity_id"] = h.entity_id;
      m["schema"] = SchemaText(h.schema);
      m["name"] = h.name;
      m["matched_name"] = h.matched_name;
      m["score"] = std::isfinite(h.score) ? h.score : 0.0;
      m["match"] = h.match;
      m["programs"] = h.programs;
      m["explanation"] = h.explanation;
      matches.push_back(std::move(m));
    }
    o["matches"] = std::move(matches);
    scr.push_back(std::move(o));
  }
  j["screening"] = std::move(scr);
  j["review_reasons"] = d.review_reasons;
  j["obligations"] = d.obligations;
  j["caveats"] = d.caveats;
  if (!d.competent_authority.empty()) j["competent_authority"] = d.competent_authority;
  ojson dv;
  dv["law"] = d.data_versions.law;
  dv["annex_i"] = d.data_versions.annex_i;
  dv["lists"] = ojson::object();
  for (const auto& [k, v] : d.data_versions.lists)
    dv["lists"][k] = v;
  j["data_versions"] = std::move(dv);
  if (!d.notification.empty()) {
    ojson n = ojson::parse(d.notification, nullptr, false);
    j["notification"] = n.is_discarded() ? ojson(d.notification) : std::move(n);
  }
  return j;
}

namespace {

// A direct writer for determinations: the batch path (100,000 requests in
// under 5 s) cannot afford building an ordered_json per determination.
// ToJson() is the slow, obviously correct twin; codec_test checks they agree.
void Key(std::string& out, bool& first, const char* k) {
  if (!first) out += ',';
  first = false;
  out += '"';
  out += k;
  out += "\":";
}

void StrArray(std::string& out, const std::vector<std::string>& v) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(&out, v[i]);
  }
  out += ']';
}

bool AllValidUtf8(const Determination& d) {
  if (!IsValidUtf8(d.reference)) return false;
  if (!d.notification.empty()) return false;  // rare: the slow path embeds the document
  for (const Finding& f : d.findings) {
    if (!IsValidUtf8(f.summary) || !IsValidUtf8(f.item) || !IsValidUtf8(f.basis)) return false;
    if (f.record && (!IsValidUtf8(f.record->id) || !IsValidUtf8(f.record->sha256))) return false;
  }
  for (const auto& a : d.authorisations) {
    if (!IsValidUtf8(a.reason)) return false;
    for (const auto& i : a.items) {
      if (!IsValidUtf8(i)) return false;
    }
  }
  for (const auto& r : d.review_reasons) {
    if (!IsValidUtf8(r)) return false;
  }
  for (const auto& o : d.obligations) {
    if (!IsValidUtf8(o)) return false;
  }
  for (const auto& s : d.screening) {
    if (!s.matches.empty()) return false;  // rare: let the slow path handle the details
  }
  return true;
}

}  // namespace

std::string ToJsonString(const Determination& d, int indent) {
  // Pretty printing and unusual content (invalid UTF-8, screening matches) go
  // through the slow twin.
  if (indent >= 0 || !AllValidUtf8(d)) {
    return ToJson(d).dump(indent, ' ', false, ojson::error_handler_t::replace);
  }
  std::string out;
  out.reserve(2048);
  bool first = true;
  out += '{';
  Key(out, first, "schema");
  AppendJsonString(&out, d.schema);
  Key(out, first, "reference");
  AppendJsonString(&out, d.reference);
  if (d.lang != "en") {
    Key(out, first, "lang");
    AppendJsonString(&out, d.lang);
  }
  Key(out, first, "as_of");
  AppendJsonString(&out, d.as_of.ToString());
  Key(out, first, "regime");
  AppendJsonString(&out, d.regime);
  Key(out, first, "verdict");
  AppendJsonString(&out, EffectName(d.verdict));
  Key(out, first, "licence_required");
  out += d.licence_required ? "true" : "false";
  Key(out, first, "review_required");
  out += d.review_required ? "true" : "false";
  Key(out, first, "findings");
  out += '[';
  for (size_t i = 0; i < d.findings.size(); ++i) {
    const Finding& f = d.findings[i];
    if (i) out += ',';
    bool ff = true;
    out += '{';
    Key(out, ff, "rule");
    AppendJsonString(&out, f.rule);
    Key(out, ff, "basis");
    AppendJsonString(&out, f.basis);
    Key(out, ff, "effect");
    AppendJsonString(&out, EffectName(f.effect));
    if (!f.item.empty()) {
      Key(out, ff, "item");
      AppendJsonString(&out, f.item);
    }
    if (f.party) {
      Key(out, ff, "party");
      out += std::to_string(*f.party);
    }
    Key(out, ff, "summary");
    AppendJsonString(&out, f.summary);
    if (!f.covered_by.empty()) {
      Key(out, ff, "covered_by");
      AppendJsonString(&out, f.covered_by);
    }
    if (!f.verification.empty()) {
      Key(out, ff, "verification");
      AppendJsonString(&out, f.verification);
    }
    if (f.record) {
      Key(out, ff, "record");
      out += "{\"kind\":";
      AppendJsonString(&out, f.record->kind);
      out += ",\"id\":";
      AppendJsonString(&out, f.record->id);
      out += ",\"sha256\":";
      AppendJsonString(&out, f.record->sha256);
      out += '}';
    }
    out += '}';
  }
  out += ']';
  Key(out, first, "authorisations");
  out += '[';
  for (size_t i = 0; i < d.authorisations.size(); ++i) {
    const GeneralAuthorisationResult& a = d.authorisations[i];
    if (i) out += ',';
    bool ff = true;
    out += '{';
    Key(out, ff, "id");
    AppendJsonString(&out, a.id);
    Key(out, ff, "applicable");
    out += a.applicable ? "true" : "false";
    Key(out, ff, "reason");
    AppendJsonString(&out, a.reason);
    Key(out, ff, "title");
    AppendJsonString(&out, a.title);
    Key(out, ff, "basis");
    AppendJsonString(&out, a.basis);
    if (!a.items.empty()) {
      Key(out, ff, "items");
      StrArray(out, a.items);
    }
    if (!a.conditions.empty()) {
      Key(out, ff, "conditions");
      StrArray(out, a.conditions);
    }
    out += '}';
  }
  out += ']';
  Key(out, first, "screening");
  out += '[';
  for (size_t i = 0; i < d.screening.size(); ++i) {
    const PartyScreening& s = d.screening[i];
    if (i) out += ',';
    out += "{\"party\":" + std::to_string(s.party) + ",\"role\":";
    AppendJsonString(&out, s.role);
    out += ",\"status\":";
    AppendJsonString(&out, s.status);
    out += ",\"matches\":[]}";
  }
  out += ']';
  Key(out, first, "review_reasons");
  StrArray(out, d.review_reasons);
  Key(out, first, "obligations");
  StrArray(out, d.obligations);
  Key(out, first, "caveats");
  StrArray(out, d.caveats);
  if (!d.competent_authority.empty()) {
    Key(out, first, "competent_authority");
    AppendJsonString(&out, d.competent_authority);
  }
  Key(out, first, "data_versions");
  out += "{\"law\":";
  AppendJsonString(&out, d.data_versions.law);
  out += ",\"annex_i\":";
  AppendJsonString(&out, d.data_versions.annex_i);
  out += ",\"lists\":{";
  bool lf = true;
  for (const auto& [k, v] : d.data_versions.lists) {
    if (!lf) out += ',';
    lf = false;
    AppendJsonString(&out, k);
    out += ':';
    AppendJsonString(&out, v);
  }
  out += "}}}";
  return out;
}

namespace {

std::string Upper(std::string_view s) {
  std::string out;
  for (char c : s)
    out += c == '_' ? ' ' : static_cast<char>(std::toupper(c));
  return out;
}

// Wraps `text` at `width` columns, every line after the first indented by `indent`.
std::string Wrap(const std::string& text, size_t indent, size_t width = 100) {
  std::string out, line;
  size_t col = indent;
  std::string pad(indent, ' ');
  size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t sp = text.find(' ', pos);
    if (sp == std::string::npos) sp = text.size();
    std::string word = text.substr(pos, sp - pos);
    pos = sp + 1;
    if (!first && col + 1 + word.size() > width) {
      out += "\n" + pad;
      col = indent;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    first = false;
  }
  return out;
}

}  // namespace

std::string ToText(const Determination& d) {
  // The headings in the determination's language (data/messages, "text.*").
  auto cat = messages::Catalogue::Default();
  auto t = [&](const char* id, const messages::Args& args = {}) {
    return cat.ok() ? (*cat)->Format(d.lang, id, args) : std::string(id);
  };
  std::string act_id = "act." + d.regime;
  std::string act = t(act_id.c_str());
  if (act == act_id) act = d.regime_act;  // a regime the catalogue does not name
  std::string out;
  out += t("text.heading", {{"reference", d.reference.empty() ? "none" : d.reference},
                            {"as_of", d.as_of},
                            {"act", act},
                            {"regime", d.regime}}) +
         "\n";
  out += "\n  " + t("text.verdict",
                    {{"code", Upper(EffectName(d.verdict))},
                     {"name", t((std::string("verdict.") + EffectName(d.verdict)).c_str())}});
  if (d.review_required) out += t("text.review_note");
  out += "\n";
  auto section = [&](const char* id) { out += "\n" + t(id) + "\n"; };
  section("text.reasons");
  int n = 0;
  for (Effect level : {Effect::kProhibited, Effect::kLicenceRequired, Effect::kNotifyAuthority,
                       Effect::kNeedsClassification, Effect::kGeneralAuthorisation,
                       Effect::kNoLicenceRequired, Effect::kRedFlag, Effect::kInformation}) {
    for (const Finding& f : d.findings) {
      if (f.effect != level) continue;
      std::string line = "  " + std::to_string(++n) + ". [" + Upper(EffectName(f.effect)) + "] ";
      std::string body = f.basis + ". ";
      if (!f.item.empty()) body += t("text.item", {{"item", f.item}});
      if (f.party) body += t("text.party", {{"party", std::to_string(*f.party)}});
      body += f.summary;
      if (!f.covered_by.empty()) body += t("text.covered_by", {{"ga", f.covered_by}});
      if (!f.verification.empty() && f.verification != "V") {
        body += t("text.evidence_level", {{"level", f.verification}});
      }
      out += line + Wrap(body, line.size()) + "\n";
    }
  }
  if (n == 0) out += "  " + t("text.no_rule") + "\n";
  if (!d.review_reasons.empty()) {
    section("text.review_reasons");
    for (const std::string& r : d.review_reasons)
      out += "  - " + Wrap(r, 4) + "\n";
  }
  if (!d.authorisations.empty()) {
    section("text.authorisations");
    for (const GeneralAuthorisationResult& a : d.authorisations) {
      std::string line =
          "  " + a.id + t(a.applicable ? "text.applicable" : "text.not_applicable") + " ";
      out += line + Wrap(a.reason, line.size()) + "\n";
    }
  }
  section("text.screening");
  if (d.screening.empty()) out += "  " + t("text.no_parties") + "\n";
  for (const PartyScreening& s : d.screening) {
    out += "  " +
           t("text.screened_party",
             {{"party", std::to_string(s.party)}, {"role", s.role}, {"status", Upper(s.status)}}) +
           "\n";
    for (const screening::ScreeningHit& h : s.matches) {
      out += "    " + h.list + " " + h.entity_id + " " + h.name + " (score " +
             std::to_string(h.score).substr(0, 4) + ")\n";
    }
  }
  if (!d.obligations.empty()) {
    section("text.obligations");
    for (const std::string& o : d.obligations)
      out += "  - " + Wrap(o, 4) + "\n";
  }
  if (!d.caveats.empty()) {
    section("text.caveats");
    for (const std::string& c : d.caveats)
      out += "  - " + Wrap(c, 4) + "\n";
  }
  if (!d.notification.empty()) {
    section("text.notification");
    ojson n = ojson::parse(d.notification, nullptr, false);
    if (n.is_object()) {
      out +=
          "  " +
          Wrap(t("text.notification_body", {{"to", n.value("to", std::string())},
                                            {"basis", n.value("basis", std::string())},
                                            {"subject", n.value("subject", std::string())},
                                            {"sha256", n.value("record_sha256", std::string())}}),
               2) +
          "\n";
    }
  }
  section("text.data");
  out += "  law " + d.data_versions.law + "; Annex I " + d.data_versions.annex_i;
  for (const auto& [k, v] : d.data_versions.lists)
    out += "; " + k + " " + v;
  out += "\n";
  return out;
}

}  // namespace dualuse::rules
