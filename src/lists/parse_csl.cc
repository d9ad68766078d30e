// trade.gov Consolidated Screening List CSV
// (https://data.trade.gov/downloaded_files/consolidated.csv): a header row
// starting _id,source,entity_number and one row per listed party. Multi-values
// are separated by "; ". The "source" column names the sub-list (Entity List,
// Denied Persons List, MEU, SDN, ...) and decides the effect (catalogue).
// Rows repeating an _id follow the one rule of list.h (identical: dropped;
// other content: kept as "<_id>~2"). start_date is the listing date,
// end_date (e.g. a Denied Persons order's expiry) the delisting date.
#include <string>
#include <unordered_map>
#include <vector>

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

}  // namespace

Status ParseCslCsv(std::string_view content, const std::string& name, ListVersion* out) {
  out->list_id = "us_csl";
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
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
  while (reader.Next(&f)) {
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    const long line = reader.line();
    if (!CsvRowReadable(out, name, line, header, f)) continue;
    Entity e;
    e.list = "us_csl";
    e.source = get("source");
    std::string n = get("name");
    if (n.empty()) {
      Skip(out, name, line, "name", "expected a name");
      continue;
    }
    if (e.source.empty())
      FieldWarning(out, name, line, "source", "expected the source list; the effect is unknown");
    e.id = get("_id");
    if (e.id.empty()) {
      std::string number = get("entity_number");
      e.id = number.empty() ? DerivedId({e.source, get("type"), n}) : e.source + ":" + number;
      out->warnings.push_back(name + ": line " + std::to_string(line) + ": field _id: empty; id " +
                              e.id + " derived");
    }
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
    if (!start.empty()) {
      e.listed_on = NormalizeDate(start);
      if (e.listed_on.empty())
        FieldWarning(out, name, line, "start_date", "expected a date, got \"" + start + "\"");
    }
    std::string end = get("end_date");
    if (!end.empty()) {
      e.delisted_on = NormalizeDate(end);
      if (e.delisted_on.empty())
        FieldWarning(out, name, line, "end_date", "expected a date, got \"" + end + "\"");
    }
    e.remarks = get("remarks");
    out->entities.push_back(std::move(e));
  }
  if (!reader.error().empty()) return Bad(name, reader.line(), "expected CSV: " + reader.error());
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
