// dualuse counterparties import FILE.csv | list
//
// Loads an exporter's customer master into the store's counterparty register
// (store::Store::UpsertCounterparties), where `dualuse rescreen` screens it
// against every list version like the parties seen in assessments.
//
// CSV header (any order, names case-insensitive): name (required), country
// (ISO alpha-2 or a name), aliases ("; "-separated), birth_date
// (YYYY[-MM[-DD]]), identifiers ("type:value[:country]; ..."), external_id
// (kept as an identifier of type "external_id"), type (Person, Organization,
// Vessel, ...; default Organization). A row that cannot be read is skipped
// and reported (row, field, reason); the rest loads.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "command.h"
#include "dualuse/base/date.h"
#include "dualuse/lists/entity.h"
#include "dualuse/screening/csv.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {

namespace {

using nlohmann::json;

struct CounterpartyOptions {
  CommonOptions common;
  std::string db;
  std::string file;
  std::string format = "text";
};

std::string Trimmed(std::string s) {
  auto sp = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), sp));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), sp).base(), s.end());
  return s;
}

std::string LowerCase(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ';');) {
    part = Trimmed(part);
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

// YYYY, YYYY-MM or YYYY-MM-DD.
bool IsPartialDate(const std::string& s) {
  if (s.size() == 10) return Date::Parse(s).has_value();
  auto digits = [&](size_t a, size_t n) {
    return std::all_of(s.begin() + static_cast<long>(a), s.begin() + static_cast<long>(a + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (s.size() == 4) return digits(0, 4);
  if (s.size() == 7) return digits(0, 4) && s[4] == '-' && digits(5, 2);
  return false;
}

Result<std::unique_ptr<store::Store>> Open(const CounterpartyOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(DataDir(o.common), ec);
  return store::Store::Open(o.db.empty() ? store::Store::DefaultPath(DataDir(o.common)) : o.db);
}

Status RunImport(const CounterpartyOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Status::NotFound(o.file + ": cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  auto rows = screening::ParseCsv(ss.str());
  if (!rows.ok()) return Status::InvalidArgument(o.file + ": " + rows.error().message());
  if (rows->empty()) return Status::InvalidArgument(o.file + ": line 1: expected a header row");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows->front().size(); ++i)
    col[LowerCase(Trimmed(rows->front()[i]))] = i;
  if (!col.count("name"))
    return Status::InvalidArgument(o.file + ": line 1: expected a \"name\" column in the header");
  std::vector<store::CounterpartyInput> parties;
  std::vector<std::string> skipped;
  for (size_t r = 1; r < rows->size(); ++r) {
    const std::vector<std::string>& f = (*rows)[r];
    auto get = [&](const char* c) {
      auto it = col.find(c);
      return it == col.end() || it->second >= f.size() ? std::string() : Trimmed(f[it->second]);
    };
    const std::string where = o.file + ": row " + std::to_string(r + 1);
    store::CounterpartyInput p;
    p.name = get("name");
    if (p.name.empty()) {
      skipped.push_back(where + ": field name: expected a name");
      continue;
    }
    p.country = get("country");
    if (!p.country.empty()) {
      std::string upper = p.country;
      for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper.size() != 2 || !std::isalpha(static_cast<unsigned char>(upper[0])) ||
          !std::isalpha(static_cast<unsigned char>(upper[1]))) {
        skipped.push_back(where + ": field country: expected an ISO 3166 alpha-2 code, got \"" +
                          p.country + "\"");
        continue;
      }
      p.country = upper;
    }
    p.aliases = SplitList(get("aliases"));
    p.birth_date = get("birth_date");
    if (!p.birth_date.empty() && !IsPartialDate(p.birth_date)) {
      skipped.push_back(where + ": field birth_date: expected YYYY, YYYY-MM or YYYY-MM-DD, got \"" +
                        p.birth_date + "\"");
      continue;
    }
    std::string type = get("type");
    lists::Schema schema = lists::Schema::kOrganization;
    if (!type.empty() && !lists::ParseSchema(type, &schema)) {
      skipped.push_back(where + ": field type: expected Person, Organization, Vessel, ..., got \"" +
                        type + "\"");
      continue;
    }
    p.schema = lists::SchemaName(schema);
    json ids = json::array();
    bool bad = false;
    for (const std::string& id : SplitList(get("identifiers"))) {
      size_t a = id.find(':');
      if (a == std::string::npos || a == 0 || a + 1 >= id.size()) {
        skipped.push_back(where + ": field identifiers: expected type:value[:country], got \"" +
                          id + "\"");
        bad = true;
        break;
      }
      size_t b = id.find(':', a + 1);
      ids.push_back({{"type", Trimmed(id.substr(0, a))},
                     {"value", Trimmed(id.substr(a + 1, b == std::string::npos ? b : b - a - 1))},
                     {"country", b == std::string::npos ? "" : Trimmed(id.substr(b + 1))}});
    }
    if (bad) continue;
    std::string external = get("external_id");
    if (!external.empty())
      ids.push_back({{"type", "external_id"}, {"value", external}, {"country", ""}});
    p.identifiers = ids.dump();
    parties.push_back(std::move(p));
  }
  for (const std::string& s : skipped)
    std::fprintf(stderr, "skipped: %s\n", s.c_str());
  DU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, Open(o));
  DU_ASSIGN_OR_RETURN(std::vector<store::UpsertOutcome> outcomes,
                      st->UpsertCounterparties(parties));
  long created = 0, changed = 0;
  for (const auto& u : outcomes) {
    created += u.created;
    changed += !u.created && u.changed;
  }
  const long unchanged = static_cast<long>(outcomes.size()) - created - changed;
  if (o.format == "json") {
    std::printf("%s\n", json{{"file", o.file},
                             {"rows", rows->size() - 1},
                             {"created", created},
                             {"changed", changed},
                             {"unchanged", unchanged},
                             {"skipped", skipped}}
                            .dump(2)
                            .c_str());
  } else {
    std::printf("%s: %zu rows: %ld created, %ld changed, %ld unchanged, %zu skipped\n",
                o.file.c_str(), rows->size() - 1, created, changed, unchanged, skipped.size());
  }
  return Status::Ok();
}

Status RunList(const CounterpartyOptions& o) {
  DU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, Open(o));
  DU_ASSIGN_OR_RETURN(std::vector<store::Counterparty> all, st->Counterparties());
  if (o.format == "json") {
    json out = json::array();
    for (const auto& c : all) {
      out.push_back({{"id", c.id},
                     {"name", c.name},
                     {"aliases", c.aliases},
                     {"country", c.country},
                     {"schema", c.schema},
                     {"birth_date", c.birth_date},
                     {"identifiers", json::parse(c.identifiers, nullptr, false)},
                     {"version", c.version},
                     {"first_seen", c.first_seen},
                     {"last_seen", c.last_seen}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  for (const auto& c : all) {
    std::printf("%6lld  %-40s %-2s %-12s %-10s v%d\n", static_cast<long long>(c.id), c.name.c_str(),
                c.country.c_str(), c.schema.c_str(), c.birth_date.c_str(), c.version);
  }
  return Status::Ok();
}

}  // namespace

void RegisterCounterparties(CLI::App& app) {
  auto o = std::make_shared<CounterpartyOptions>();
  auto* cmd = app.add_subcommand("counterparties", "The counterparty register (customer master)");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    AddCommonOptions(sub, &o->common);
    sub->add_option("--db", o->db, "Store: SQLite path or postgresql:// URL");
    sub->add_option("--format", o->format, "Output: text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
  };
  auto* import = cmd->add_subcommand(
      "import",
      "Load counterparties from a CSV file (name, country, aliases, birth_date, identifiers, "
      "external_id, type); unreadable rows are skipped and listed");
  common(import);
  import->add_option("FILE", o->file, "CSV file")->required();
  SetAction(import, [o] { return RunImport(*o); });
  auto* list = cmd->add_subcommand("list", "The registered counterparties");
  common(list);
  SetAction(list, [o] { return RunList(*o); });
}

}  // namespace dualuse::cli
