// OpenSanctions' transcription of EU sanctions annexes (datasets/eu/
// journal_sanctions/data/consolidated/<CELEX>.csv): header starting
// celex,recordId; one row per listed party per annex; multi-values separated
// by ";". The list id is eu_oj_<celex>. The "measure" column (Asset freeze,
// Export control, ...) becomes the entity's source and decides its effect.
// Rows sharing celex, annex and recordId are merged.
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
  if (!IsValidUtf8(content)) return Bad(name, 1, "expected UTF-8 text");
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
  std::unordered_map<std::string, size_t> index;
  while (reader.Next(&f)) {
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    if (f.size() != header.size())
      return Bad(name, reader.line(),
                 "expected " + std::to_string(header.size()) + " fields (as in the header), got " +
                     std::to_string(f.size()));
    std::string c = get("celex");
    if (c.empty()) return Bad(name, reader.line(), "field celex: expected a CELEX number");
    if (celex.empty()) celex = c;
    if (c != celex)
      return Bad(name, reader.line(), "field celex: expected one act per file (" + celex + ")");
    std::string record = get("recordId");
    if (record.empty()) return Bad(name, reader.line(), "field recordId: expected an id");
    Entity e;
    e.id = c + "/" + get("annex") + "/" + record;
    std::string schema = get("schema");
    if (!ParseSchema(schema, &e.schema)) e.schema = Schema::kLegalEntity;
    std::string n = get("name");
    if (n.empty()) return Bad(name, reader.line(), "field name: expected a name");
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
    e.listed_on = NormalizeDate(get("startDate"));
    e.source = get("measure");
    e.remarks = get("reason");
    auto [it, fresh] = index.emplace(e.id, out->entities.size());
    if (fresh) {
      out->entities.push_back(std::move(e));
    } else {
      Entity& a = out->entities[it->second];
      for (const EntityName& nm : e.names)
        AddName(a, nm.full,
                nm.strength == NameStrength::kPrimary ? NameStrength::kStrong : nm.strength);
      for (const std::string& v : e.countries)
        AddUnique(a.countries, v);
      for (const std::string& v : e.birth_dates)
        AddUnique(a.birth_dates, v);
      for (const Identifier& i : e.identifiers)
        AddIdentifier(a, i.type, i.value, i.country);
    }
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
