// trade.gov Consolidated Screening List CSV
// (https://data.trade.gov/downloaded_files/consolidated.csv): a header row
// starting _id,source,entity_number and one row per listed party. Multi-values
// are separated by "; ". The "source" column names the sub-list (Entity List,
// Denied Persons List, MEU, SDN, ...) and decides the effect (catalogue).
// Rows sharing an _id (a party listed once per address) are merged.
#include <string>
#include <unordered_map>

#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists::internal {

namespace {

Status Bad(const std::string& name, long line, const std::string& what) {
  return Status::DataLoss(name + ": line " + std::to_string(line) + ": " + what);
}

// "Komitas 26/114, Yerevan, Armenia, AM" -> AM; "RU" -> RU.
void AddAddressCountry(Entity& e, const std::string& address) {
  size_t comma = address.rfind(',');
  std::string last = Clean(comma == std::string::npos ? address : address.substr(comma + 1));
  std::string code = CountryCode(last);
  if (code.empty() && comma != std::string::npos) code = CountryCode(address);
  AddUnique(e.countries, code);
}

void MergeInto(Entity& a, const Entity& b) {
  for (const EntityName& n : b.names) {
    AddName(a, n.full, n.strength == NameStrength::kPrimary ? NameStrength::kStrong : n.strength);
  }
  for (const std::string& c : b.countries)
    AddUnique(a.countries, c);
  for (const std::string& d : b.birth_dates)
    AddUnique(a.birth_dates, d);
  for (const std::string& p : b.programs)
    AddUnique(a.programs, p);
  for (const Identifier& i : b.identifiers)
    AddIdentifier(a, i.type, i.value, i.country);
}

}  // namespace

Status ParseCslCsv(std::string_view content, const std::string& name, ListVersion* out) {
  out->list_id = "us_csl";
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  if (!IsValidUtf8(content)) {
    // Report the line of the first invalid byte.
    size_t line_start = 0;
    for (size_t i = 0; i < content.size(); ++i) {
      if (content[i] == '\n') line_start = i + 1;
      if (static_cast<unsigned char>(content[i]) >= 0x80 &&
          !IsValidUtf8(content.substr(line_start, content.find('\n', i) - line_start)))
        return Bad(name, LineAt(content, i), "expected UTF-8 text");
    }
    return Bad(name, 1, "expected UTF-8 text");
  }
  CsvReader reader(content);
  std::vector<std::string> header, f;
  if (!reader.Next(&header)) return Bad(name, 1, "expected the CSL header row");
  std::unordered_map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i)
    col[Clean(header[i])] = i;
  for (const char* required : {"_id", "source", "name"}) {
    if (!col.count(required))
      return Bad(name, 1, std::string("expected a \"") + required + "\" column in the header");
  }
  // Column positions resolved once (a hash lookup per field per row costs
  // more than the parse itself on the 26,000-row CSL).
  auto column = [&](const char* c) {
    auto it = col.find(c);
    return it == col.end() ? std::string::npos : it->second;
  };
  std::unordered_map<const char*, size_t> pos;
  auto get = [&](const char* c) -> std::string {
    auto it = pos.find(c);
    size_t i = it != pos.end() ? it->second : pos.emplace(c, column(c)).first->second;
    return i == std::string::npos || i >= f.size() ? std::string() : Clean(f[i]);
  };
  std::unordered_map<std::string, size_t> index;
  while (reader.Next(&f)) {
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    if (f.size() != header.size())
      return Bad(name, reader.line(),
                 "expected " + std::to_string(header.size()) + " fields (as in the header), got " +
                     std::to_string(f.size()));
    Entity e;
    e.list = "us_csl";
    e.source = get("source");
    e.id = get("_id");
    if (e.id.empty()) {
      std::string number = get("entity_number");
      if (number.empty()) return Bad(name, reader.line(), "field _id: expected a row id");
      e.id = e.source + ":" + number;
    }
    if (e.source.empty()) return Bad(name, reader.line(), "field source: expected the source list");
    std::string n = get("name");
    if (n.empty()) return Bad(name, reader.line(), "field name: expected a name");
    e.schema = SchemaFromType(get("type"));
    AddName(e, n, NameStrength::kPrimary);
    for (const std::string& alt : SplitClean(get("alt_names"), ";")) {
      AddName(e, alt, NameStrength::kStrong);
    }
    for (const std::string& p : SplitClean(get("programs"), ";"))
      AddUnique(e.programs, p);
    for (const std::string& a : SplitClean(get("addresses"), ";"))
      AddAddressCountry(e, a);
    for (const char* c : {"citizenships", "nationalities"}) {
      for (const std::string& v : SplitClean(get(c), ";"))
        AddCountry(e, v);
    }
    for (const std::string& d : SplitClean(get("dates_of_birth"), ";")) {
      AddUnique(e.birth_dates, NormalizeDate(d));
    }
    // ids: "Passport, 836238033, KP; Gender, Male; ..."
    for (const std::string& id : SplitClean(get("ids"), ";")) {
      std::vector<std::string> parts = SplitClean(id, ",");
      if (parts.size() < 2) continue;
      std::string type = IdentifierType(parts[0]);
      if (type.empty()) continue;
      std::string country = parts.size() >= 3 ? CountryCode(parts.back()) : "";
      AddIdentifier(e, type, parts[1], country);
    }
    std::string start = get("start_date");
    if (!start.empty()) e.listed_on = NormalizeDate(start);
    e.remarks = get("remarks");
    auto [it, fresh] = index.emplace(e.id, out->entities.size());
    if (fresh) {
      out->entities.push_back(std::move(e));
    } else {
      MergeInto(out->entities[it->second], e);
    }
  }
  if (!reader.error().empty()) return Bad(name, reader.line(), "expected CSV: " + reader.error());
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
