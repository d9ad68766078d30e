// OpenSanctions "simple" CSV export (targets.simple.csv of a dataset,
// https://www.opensanctions.org/docs/bulk/csv/): a header starting
// id,schema,name,aliases and one row per target; multi-values separated by
// ";". Identifiers are untyped ("IMO9253325" is read as an IMO number). The
// list id is opensanctions, as for the FollowTheMoney export; the "dataset"
// column (the dataset's title) is the entity's source. The list date is the
// newest last_change, as for FtM; first_seen is when OpenSanctions first saw
// the target, not a listing date, so no listing date is taken.
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

}  // namespace

Status ParseOsSimpleCsv(std::string_view content, const std::string& name, ListVersion* out) {
  out->list_id = "opensanctions";
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  CsvReader reader(content);
  std::vector<std::string> header, f;
  if (!reader.Next(&header)) return Bad(name, 1, "expected the header row");
  std::unordered_map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i)
    col[Clean(header[i])] = i;
  for (const char* required : {"id", "schema", "name"}) {
    if (!col.count(required))
      return Bad(name, 1, std::string("expected a \"") + required + "\" column in the header");
  }
  auto get = [&](const char* c) -> std::string {
    auto it = col.find(c);
    return it == col.end() || it->second >= f.size() ? std::string() : Clean(f[it->second]);
  };
  std::string newest;
  while (reader.Next(&f)) {
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    const long line = reader.line();
    if (!CsvRowReadable(out, name, line, header, f)) continue;
    std::string n = get("name");
    if (n.empty()) {
      Skip(out, name, line, "name", "expected a name");
      continue;
    }
    Entity e;
    std::string schema = get("schema");
    if (!ParseSchema(schema, &e.schema)) {
      // Addresses, securities and other rows that are not a party.
      Skip(out, name, line, "schema", "expected a party schema, got \"" + schema + "\"");
      continue;
    }
    e.list = "opensanctions";
    e.id = get("id");
    if (e.id.empty()) {
      e.id = DerivedId({schema, n});
      out->warnings.push_back(name + ": line " + std::to_string(line) + ": field id: empty; id " +
                              e.id + " derived");
    }
    AddName(e, n, NameStrength::kPrimary);
    for (const std::string& a : SplitClean(get("aliases"), ";"))
      AddName(e, a, NameStrength::kStrong);
    for (const std::string& c : SplitClean(get("countries"), ";"))
      AddCountry(e, c);
    for (const std::string& d : SplitClean(get("birth_date"), ";"))
      AddUnique(e.birth_dates, NormalizeDate(d));
    for (const std::string& id : SplitClean(get("identifiers"), ";")) {
      if (id.size() == 10 && id.rfind("IMO", 0) == 0)
        AddIdentifier(e, "imo", id.substr(3), "");
      else
        AddIdentifier(e, "other", id, "");
    }
    for (const std::string& p : SplitClean(get("program_ids"), ";"))
      AddUnique(e.programs, p);
    e.source = get("dataset");
    std::string change = NormalizeDate(get("last_change"));
    if (change.size() == 10 && change > newest) newest = change;
    out->entities.push_back(std::move(e));
  }
  if (!reader.error().empty()) return Bad(name, reader.line(), "expected CSV: " + reader.error());
  if (!newest.empty()) {
    out->date = newest;
    out->date_source = "content";
  }
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
