// FollowTheMoney entities as JSON lines (OpenSanctions entities.ftm.json):
// one {"id", "schema", "caption", "properties": {name: [...], ...},
// "datasets": [...]} per line. Only party schemas are kept (Person,
// Organization, Company, LegalEntity, Vessel, Airplane); addresses, sanctions
// and other helper entities are skipped. The list date is the newest
// last_change date.
#include <nlohmann/json.hpp>
#include <string>

#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists::internal {

namespace {

using json = nlohmann::json;

Status Bad(const std::string& name, long line, const std::string& what) {
  return Status::DataLoss(name + ": line " + std::to_string(line) + ": " + what);
}

// The string values of properties[key]; non-strings are ignored.
std::vector<std::string> Values(const json& props, const char* key) {
  std::vector<std::string> out;
  auto it = props.find(key);
  if (it == props.end() || !it->is_array()) return out;
  for (const json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string Str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Status ParseFtmJson(std::string_view content, const std::string& name, ListVersion* out) {
  out->list_id = "opensanctions";
  std::string newest;
  long line_no = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t eol = content.find('\n', pos);
    std::string_view line =
        content.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? content.size() : eol + 1;
    ++line_no;
    if (Trim(line).empty()) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      // Not JSON lines at all when the very first record is not an object.
      if (out->entities.empty() && out->skipped.empty())
        return Bad(name, line_no, "expected one JSON object per line");
      Skip(out, name, line_no, "", "expected one JSON object per line");
      continue;
    }
    if (j.contains("op"))
      return Bad(name, line_no,
                 "expected an entity; OpenSanctions delta files ({\"op\": ...}) "
                 "are not a list version");
    std::string id = Str(j, "id"), schema_name = Str(j, "schema");
    if (schema_name.empty()) {
      Skip(out, name, line_no, "$.schema", "expected a schema name");
      continue;
    }
    Schema schema;
    if (!ParseSchema(schema_name, &schema)) continue;  // Address, Sanction, ...
    if (schema_name == "Organization" || schema_name == "Company" || schema_name == "Person" ||
        schema_name == "LegalEntity" || schema_name == "Vessel" || schema_name == "Airplane") {
    } else {
      continue;
    }
    auto pit = j.find("properties");
    if (pit == j.end() || !pit->is_object()) {
      Skip(out, name, line_no, "$.properties", "expected an object");
      continue;
    }
    const json& props = *pit;
    Entity e;
    e.list = "opensanctions";
    e.id = id;
    e.schema = schema;
    std::string caption = Str(j, "caption");
    if (!caption.empty()) AddName(e, caption, NameStrength::kPrimary);
    std::vector<std::string> names = Values(props, "name");
    for (size_t i = 0; i < names.size(); ++i) {
      AddName(e, names[i], e.names.empty() ? NameStrength::kPrimary : NameStrength::kStrong);
    }
    for (const char* k : {"alias", "previousName"}) {
      for (const std::string& v : Values(props, k))
        AddName(e, v, NameStrength::kStrong);
    }
    for (const std::string& v : Values(props, "weakAlias"))
      AddName(e, v, NameStrength::kWeak);
    if (e.names.empty()) {
      Skip(out, name, line_no, "$.properties.name", "expected a name");
      continue;
    }
    if (e.id.empty()) {
      e.id = DerivedId({schema_name, e.names.front().full});
      out->warnings.push_back(name + ": line " + std::to_string(line_no) + ": $.id: empty; id " +
                              e.id + " derived");
    }
    if (schema == Schema::kPerson) {
      std::vector<std::string> first = Values(props, "firstName"), last = Values(props, "lastName");
      for (EntityName& n : e.names) {
        if (n.strength != NameStrength::kPrimary) continue;
        for (const std::string& f : first) {
          if (n.full.find(f) != std::string::npos) n.first_name = f;
        }
        for (const std::string& l : last) {
          if (n.full.find(l) != std::string::npos) n.last_name = l;
        }
      }
    }
    for (const char* k : {"country", "nationality", "citizenship", "jurisdiction", "flag"}) {
      for (const std::string& v : Values(props, k))
        AddCountry(e, v);
    }
    for (const std::string& v : Values(props, "birthDate"))
      AddUnique(e.birth_dates, NormalizeDate(v));
    static const struct {
      const char* prop;
      const char* type;
    } kIds[] = {{"passportNumber", "passport"},
                {"idNumber", "national_id"},
                {"registrationNumber", "registration"},
                {"taxNumber", "tax_id"},
                {"innCode", "tax_id"},
                {"ogrnCode", "registration"},
                {"imoNumber", "imo"},
                {"mmsi", "mmsi"},
                {"leiCode", "lei"},
                {"swiftBic", "swift_bic"}};
    for (const auto& k : kIds) {
      for (const std::string& v : Values(props, k.prop))
        AddIdentifier(e, k.type, v, "");
    }
    for (const char* k : {"programId", "program"}) {
      for (const std::string& v : Values(props, k))
        AddUnique(e.programs, Clean(v));
    }
    // The listing: the sanctions' start (startDate on the entity, where the
    // export carries it), else createdAt; endDate is the delisting.
    for (const char* k : {"startDate", "createdAt"}) {
      std::vector<std::string> v = Values(props, k);
      if (e.listed_on.empty() && !v.empty()) e.listed_on = NormalizeDate(v.front());
    }
    std::vector<std::string> ended = Values(props, "endDate");
    if (!ended.empty()) e.delisted_on = NormalizeDate(ended.front());
    auto dit = j.find("datasets");
    if (dit != j.end() && dit->is_array() && !dit->empty() && dit->front().is_string())
      e.source = dit->front().get<std::string>();
    std::vector<std::string> notes = Values(props, "notes");
    if (!notes.empty()) e.remarks = Clean(notes.front());
    std::string change = NormalizeDate(Str(j, "last_change"));
    if (change.size() == 10 && change > newest) newest = change;
    out->entities.push_back(std::move(e));
  }
  if (!newest.empty()) {
    out->date = newest;
    out->date_source = "content";
  }
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
