// OpenSanctions' transcription of EU sanctions annexes (datasets/eu/
// journal_sanctions/data/consolidated/<CELEX>.csv): header starting
// celex,recordId; one row per listed party per annex; multi-values separated
// by ";". The list id is eu_oj_<celex>. The "measure" column (Asset freeze,
// Export control, ...) becomes the entity's source and decides its effect.
// The id is <celex>/<annex>/<recordId>; a row without a recordId (the
// transcription leaves some empty) gets one derived from its schema, name,
// birth date and registration numbers. Repeated ids follow the one rule of
// list.h. startDate (printed as "6.10.2001" or "12 April 2010") is the
// listing date.
#include <string>
#include <unordered_map>

#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists::internal {

namespace {

Status Bad(const std::string& name, long line, const std::string& what) {
  return Status::DataLoss(name + ": line " + std::to_string(line) + ": " + what);
}

}  // namespace

Status ParseEuOjCsv(std::string_view content, const std::string& name, ListVersion* out) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  CsvReader reader(content);
  std::vector<std::string> header, f;
  if (!reader.Next(&header)) return Bad(name, 1, "expected the header row");
  std::unordered_map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i)
    col[Clean(header[i])] = i;
  for (const char* required : {"celex", "recordId", "schema", "name"}) {
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
  std::string celex;
  while (reader.Next(&f)) {
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    const long line = reader.line();
    if (!CsvRowReadable(out, name, line, header, f)) continue;
    std::string c = get("celex");
    if (c.empty()) {
      Skip(out, name, line, "celex", "expected a CELEX number");
      continue;
    }
    if (celex.empty()) celex = c;
    if (c != celex) {
      Skip(out, name, line, "celex", "expected one act per file (" + celex + "), got " + c);
      continue;
    }
    std::string n = get("name");
    if (n.empty()) {
      Skip(out, name, line, "name", "expected a name");
      continue;
    }
    Entity e;
    std::string schema = get("schema");
    if (!ParseSchema(schema, &e.schema)) e.schema = Schema::kLegalEntity;
    std::string record = get("recordId");
    if (record.empty()) {
      record = DerivedId({schema, n, get("birthDate"), get("registrationNumber"), get("imoNumber"),
                          get("passportNumber")});
      out->warnings.push_back(name + ": line " + std::to_string(line) +
                              ": field recordId: empty; id " + record + " derived");
    }
    e.id = c + "/" + get("annex") + "/" + record;
    AddName(e, n, NameStrength::kPrimary);
    for (const char* k : {"alias", "previousName"}) {
      for (const std::string& v : SplitClean(get(k), ";"))
        AddName(e, v, NameStrength::kStrong);
    }
    for (const std::string& v : SplitClean(get("weakAlias"), ";"))
      AddName(e, v, NameStrength::kWeak);
    for (const char* k : {"country", "nationality", "jurisdiction", "flag"}) {
      for (const std::string& v : SplitClean(get(k), ";"))
        AddCountry(e, v);
    }
    for (const std::string& v : SplitClean(get("birthDate"), ";"))
      AddUnique(e.birth_dates, NormalizeDate(v));
    static const struct {
      const char* col;
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
      for (const std::string& v : SplitClean(get(k.col), ";"))
        AddIdentifier(e, k.type, v, "");
    }
    AddUnique(e.programs, get("programKey"));
    std::string start = get("startDate");
    e.listed_on = NormalizeDate(start);
    if (e.listed_on.empty() && !start.empty())
      FieldWarning(out, name, line, "startDate", "expected a date, got \"" + start + "\"");
    e.source = get("measure");
    e.remarks = get("reason");
    out->entities.push_back(std::move(e));
  }
  if (!reader.error().empty()) return Bad(name, reader.line(), "expected CSV: " + reader.error());
  if (celex.empty()) {
    // A header-only file: the act from the file name (<CELEX>.csv).
    std::string base =
        name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1);
    celex = base.substr(0, base.find('.'));
  }
  out->list_id = "eu_oj_" + celex;
  for (Entity& e : out->entities)
    e.list = out->list_id;
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
