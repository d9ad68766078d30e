// dualuse screen [NAME ...] [--input FILE] (docs/spec.md section 5).
//
// Screens names given as arguments, or the rows of a CSV file (header names
// id, name, schema, country, birth_date, aliases; also full_name,
// date_of_birth, nationality), against the lists of --list or the imported
// ones. Batch input is screened on all cores; output stays in input order.
// A row that cannot be screened (no name, a bad schema or birth date) is
// answered in its place and the others go on: exit 4 (spec section 8).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "batch.h"
#include "command.h"
#include "dualuse/base/date.h"
#include "dualuse/lists/catalogue.h"
#include "dualuse/screening/csv.h"
#include "dualuse/screening/engine.h"
#include "dualuse/service/recording.h"
#include "dualuse/service/screening_record.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {

namespace {

using json = nlohmann::ordered_json;
using screening::PartyQuery;
using screening::ScreeningResult;

struct ScreenOptions {
  CommonOptions common;
  std::vector<std::string> names;
  std::string input;
  std::string format;
  std::string schema = "LegalEntity";
  double threshold = -1;
  int limit = 5;
  unsigned threads = 0;
  std::string db;
  std::string actor;
  std::string fail_on;
  bool no_record = false;
};

Result<std::string> ReadInput(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot read the file");
  ss << in.rdbuf();
  return ss.str();
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

struct Row {
  std::string id;
  PartyQuery query;
  size_t number = 0;        // the CSV row (the header is row 1)
  std::string error_field;  // a row that cannot be screened: the field ...
  std::string error;        // ... and the expectation (spec section 8)
};

// "YYYY", "YYYY-MM" or "YYYY-MM-DD", the month and day also with one digit
// ("1971-3-5"), written with two; nullopt for anything else.
std::optional<std::string> BirthDate(const std::string& text) {
  if (text.size() == 4 && text.find_first_not_of("0123456789") == std::string::npos) return text;
  if (auto d = Date::Parse(text)) return d->ToString();
  if (auto d = Date::Parse(text + "-1")) return d->ToString().substr(0, 7);
  return std::nullopt;
}

Result<std::vector<Row>> ParseRows(const std::string& path, const std::string& text) {
  auto parsed = screening::ParseCsv(text);
  if (!parsed) return Status::InvalidArgument(path + ": " + parsed.error().message());
  const auto& rows = *parsed;
  if (rows.empty()) return Status::InvalidArgument(path + ": line 1: expected a header row");
  int c_id = -1, c_name = -1, c_schema = -1, c_country = -1, c_birth = -1, c_aliases = -1;
  for (size_t i = 0; i < rows[0].size(); ++i) {
    const std::string h = Trim(rows[0][i]);
    const int k = static_cast<int>(i);
    if (h == "id") c_id = k;
    if (h == "name" || (h == "full_name" && c_name < 0)) c_name = k;
    if (h == "schema") c_schema = k;
    if (h == "country" || (h == "nationality" && c_country < 0)) c_country = k;
    if (h == "birth_date" || (h == "date_of_birth" && c_birth < 0)) c_birth = k;
    if (h == "aliases") c_aliases = k;
  }
  if (c_name < 0)
    return Status::InvalidArgument(path + ": line 1: expected a 'name' (or 'full_name') column");
  std::vector<Row> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    auto field = [&](int c) {
      return c >= 0 && static_cast<size_t>(c) < row.size() ? Trim(row[c]) : "";
    };
    Row x;
    x.number = r + 1;
    x.id = c_id >= 0 ? field(c_id) : std::to_string(r);
    auto reject = [&](const char* f, std::string why) {
      if (!x.error.empty()) return;
      x.error_field = f;
      x.error = std::move(why);
    };
    x.query.name = field(c_name);
    if (x.query.name.empty()) reject("name", "expected a name");
    x.query.schema = lists::Schema::kLegalEntity;
    if (!field(c_schema).empty() && !lists::ParseSchema(field(c_schema), &x.query.schema)) {
      reject("schema", "expected Person, Organization, Company, LegalEntity or Vessel, got \"" +
                           field(c_schema) + "\"");
    }
    std::string country = field(c_country);
    if (country.size() == 2) x.query.country = country;  // other spellings: no qualifier
    std::string birth = field(c_birth);
    if (!birth.empty()) {
      if (auto b = BirthDate(birth)) {
        x.query.birth_date = *b;
      } else {
        reject("birth_date", "expected YYYY, YYYY-MM or YYYY-MM-DD, got \"" + birth + "\"");
      }
    }
    std::stringstream al(field(c_aliases));
    for (std::string a; std::getline(al, a, ';');)
      if (!Trim(a).empty()) x.query.aliases.push_back(Trim(a));
    out.push_back(std::move(x));
  }
  return out;
}

// The answer to a row that could not be screened, in JSON.
json RowError(const Row& row) {
  json e;
  e["code"] = "invalid_request";
  e["path"] = row.error_field;
  e["message"] = row.error;
  json j;
  j["line"] = row.number;
  j["id"] = row.id;
  j["error"] = std::move(e);
  return j;
}

json MatchJson(const screening::ScreeningHit& h) {
  json m = {{"list", h.list},
            {"list_version", h.list_version},
            {"entity_id", h.entity_id},
            {"schema", lists::SchemaName(h.schema)},
            {"name", h.name},
            {"matched_name", h.matched_name},
            {"score", std::round(h.score * 10000) / 10000},
            {"match", h.match},
            {"programs", h.programs},
            {"explanation", h.explanation},
            {"effect", lists::ListEffectName(h.effect)},
            {"jurisdiction", h.jurisdiction}};
  if (!h.source.empty()) m["source"] = h.source;
  m["listed_on"] = h.listed_on.empty() ? json(nullptr) : json(h.listed_on);
  return m;
}

// What the review queue holds about each match of a row (a dismissal that
// still holds, a known false positive, an item already open); empty when
// the run is not recorded.
using PriorReviews = std::vector<std::optional<store::AlertStanding>>;

json RowJson(const Row& row, const ScreeningResult& r, const PriorReviews* prior = nullptr) {
  json j = {{"id", row.id},
            {"query", row.query.name},
            {"status", screening::ScreeningStatusName(r.status)},
            {"matches", json::array()}};
  for (size_t i = 0; i < r.matches.size(); ++i) {
    json m = MatchJson(r.matches[i]);
    if (prior && i < prior->size() && (*prior)[i]) {
      m["review"] = json::parse(service::PriorReviewJson(*(*prior)[i]).dump());
    }
    j["matches"].push_back(std::move(m));
  }
  return j;
}

// One line for the text output: "previously dismissed by rev at ...: reason".
std::string PriorReviewText(const store::AlertStanding& s) {
  std::string t = s.state == "known_false_positive" ? "known false positive"
                  : s.state == "dismissed"          ? "previously dismissed"
                                                    : "review item " + s.state;
  if (s.alert_id) t += " (item " + std::to_string(s.alert_id) + ")";
  if (!s.decided_by.empty()) t += " by " + s.decided_by;
  if (!s.decided_at.empty()) t += " at " + s.decided_at;
  if (!s.reason.empty()) t += ": " + s.reason;
  return t;
}

Status Run(ScreenOptions& o) {
  if (o.format.empty()) o.format = o.input.empty() ? "text" : "jsonl";
  if (o.format != "text" && o.format != "json" && o.format != "jsonl" && o.format != "csv")
    return Status::InvalidArgument("--format: expected text, json, jsonl or csv, got \"" +
                                   o.format + "\"");
  if (o.names.empty() && o.input.empty())
    return Status::InvalidArgument("screen: give one or more NAMEs or --input FILE");
  if (!o.names.empty() && !o.input.empty())
    return Status::InvalidArgument("screen: give NAMEs or --input FILE, not both");
  if (o.threshold != -1 && (o.threshold < 0 || o.threshold > 1))
    return Status::InvalidArgument("--threshold: expected a number in [0, 1]");
  if (o.limit < 1) return Status::InvalidArgument("--limit: expected a positive number");
  lists::Schema schema;
  if (!lists::ParseSchema(o.schema, &schema))
    return Status::InvalidArgument(
        "--schema: expected Person, Organization, Company, "
        "LegalEntity or Vessel, got \"" +
        o.schema + "\"");
  Date as_of = Date::Today();
  if (!o.common.as_of.empty()) {
    auto d = Date::Parse(o.common.as_of);
    if (!d)
      return Status::InvalidArgument("--as-of: expected YYYY-MM-DD, got \"" + o.common.as_of +
                                     "\"");
    as_of = *d;
  }
  // Parse the whole input before loading lists: bad input fails fast.
  std::vector<Row> rows;
  if (!o.input.empty()) {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o.input));
    DU_ASSIGN_OR_RETURN(rows, ParseRows(o.input == "-" ? "<stdin>" : o.input, text));
  } else {
    for (size_t i = 0; i < o.names.size(); ++i) {
      Row r;
      r.id = std::to_string(i + 1);
      r.query.name = o.names[i];
      r.query.schema = schema;
      rows.push_back(std::move(r));
    }
  }
  std::set<std::string> fail_on;
  if (!o.fail_on.empty()) {
    DU_ASSIGN_OR_RETURN(fail_on, ParseFailOn(o.fail_on, {"hit", "potential_match", "clear"}));
  }
  screening::EngineOptions eo;
  if (o.threshold >= 0) {
    eo.match_threshold = o.threshold;
    eo.review_threshold = std::min(eo.review_threshold, o.threshold);
  }
  eo.limit = static_cast<size_t>(o.limit);
  DU_ASSIGN_OR_RETURN(auto screener,
                      screening::LoadScreener(o.common.lists, DataDir(o.common), as_of, eo));
  // Rows that cannot be screened are answered in their place (spec section 8).
  std::vector<PartyQuery> queries;
  queries.reserve(rows.size());
  size_t rejected = 0;
  for (const Row& r : rows) {
    if (r.error.empty()) {
      queries.push_back(r.query);
    } else {
      ++rejected;
    }
  }
  std::vector<ScreeningResult> screened = screener->ScreenBatch(queries, o.threads);
  std::vector<const ScreeningResult*> results(rows.size(), nullptr);
  for (size_t i = 0, k = 0; i < rows.size(); ++i) {
    if (rows[i].error.empty()) results[i] = &screened[k++];
  }
  size_t matched = 0;
  for (const ScreeningResult* r : results) {
    if (r && fail_on.count(screening::ScreeningStatusName(r->status))) ++matched;
  }

  // The review items of this run, and what the queue already holds about
  // each match (shown with the match: a dismissal that still holds, a known
  // false positive).
  std::unique_ptr<store::Store> st;
  std::vector<service::ScreenedParty> parties;
  std::vector<store::AlertInput> items;
  std::vector<PriorReviews> prior(rows.size());
  if (!o.no_record) {
    std::string target = o.db.empty() ? store::Store::DefaultPath(DataDir(o.common)) : o.db;
    if (o.db.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(DataDir(o.common), ec);
    }
    DU_ASSIGN_OR_RETURN(st, store::Store::Open(target));
    std::vector<size_t> row_of;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!results[i]) continue;
      parties.push_back({rows[i].query, results[i]});
      row_of.push_back(i);
    }
    items = service::ScreeningReviewItems(parties, screener.get());
    DU_ASSIGN_OR_RETURN(auto found, service::PriorReviews(*st, parties, items));
    for (size_t k = 0; k < found.size(); ++k)
      prior[row_of[k]] = std::move(found[k]);
  }
  auto row_json = [&](size_t i) {
    return results[i] ? RowJson(rows[i], *results[i], &prior[i]) : RowError(rows[i]);
  };

  std::string out;
  if (o.format == "jsonl") {
    for (size_t i = 0; i < rows.size(); ++i)
      out += row_json(i).dump() + "\n";
  } else if (o.format == "json") {
    json arr = json::array();
    for (size_t i = 0; i < rows.size(); ++i)
      arr.push_back(row_json(i));
    out = arr.dump(2) + "\n";
  } else if (o.format == "csv") {
    out = "id,query,status,list,entity_id,name,matched_name,score,match,error\n";
    for (size_t i = 0; i < rows.size(); ++i) {
      std::string line =
          screening::CsvField(rows[i].id) + "," + screening::CsvField(rows[i].query.name) + ",";
      if (!results[i]) {
        out += line + "error,,,,,,," +
               screening::CsvField("row " + std::to_string(rows[i].number) + ", field " +
                                   rows[i].error_field + ": " + rows[i].error) +
               "\n";
        continue;
      }
      const auto& r = *results[i];
      line += screening::ScreeningStatusName(r.status);
      if (r.matches.empty()) {
        line += ",,,,,,";
      } else {
        const auto& h = r.matches.front();
        char score[32];
        std::snprintf(score, sizeof score, "%.4f", h.score);
        line += "," + screening::CsvField(h.list) + "," + screening::CsvField(h.entity_id) + "," +
                screening::CsvField(h.name) + "," + screening::CsvField(h.matched_name) + "," +
                score + "," + (h.match ? "true" : "false");
      }
      out += line + ",\n";
    }
  } else {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!results[i]) {
        out += "row " + std::to_string(rows[i].number) + ": error: field " + rows[i].error_field +
               ": " + rows[i].error + "\n";
        continue;
      }
      const auto& r = *results[i];
      out += rows[i].query.name + ": " + screening::ScreeningStatusName(r.status) + "\n";
      for (size_t m = 0; m < r.matches.size(); ++m) {
        const auto& h = r.matches[m];
        char score[32];
        std::snprintf(score, sizeof score, "%.3f", h.score);
        out += std::string("  ") + score + (h.match ? " MATCH " : " review ") + h.list + " " +
               h.entity_id + " " + lists::SchemaName(h.schema) + " \"" + h.name + "\"";
        if (h.matched_name != h.name) out += " via \"" + h.matched_name + "\"";
        if (!h.listed_on.empty()) out += " listed " + h.listed_on;
        out += "\n";
        if (m < prior[i].size() && prior[i][m])
          out += "      " + PriorReviewText(*prior[i][m]) + "\n";
        for (const auto& e : h.explanation)
          out += "      " + e + "\n";
      }
    }
    auto versions = screener->ListVersions();
    out += "lists:";
    for (const auto& [id, v] : versions)
      out += " " + id + "@" + v;
    out += "\n";
  }
  if (!o.no_record) {
    // One record per run: what was asked, what was found (and which rows
    // were rejected), which list versions; the review items in its transaction.
    json asked = json::array(), found = json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
      asked.push_back({{"id", rows[i].id}, {"name", rows[i].query.name}});
      found.push_back(row_json(i));
    }
    // The review items, as POST /screen raises them.
    auto recorded =
        service::RecordScreening(*st, asked.dump(), found.dump(), screener->ListVersions(),
                                 o.actor.empty() ? service::DefaultActor() : o.actor, items);
    if (!recorded.ok()) return recorded.error();
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) return Status::Internal("cannot write the output");
  if (matched > 0) {
    std::fprintf(stderr, "dualuse screen: %zu of %zu rows matched --fail-on\n", matched,
                 rows.size());
    ActionExitCode() = kExitFailOn;
  }
  if (rejected > 0) {
    std::fprintf(stderr,
                 "dualuse screen: %zu of %zu rows rejected (invalid_request); the other %zu were "
                 "screened\n",
                 rejected, rows.size(), rows.size() - rejected);
    if (ActionExitCode() == 0) ActionExitCode() = kExitSomeRejected;
  }
  return Status::Ok();
}

}  // namespace

void RegisterScreen(CLI::App& app) {
  auto opts = std::make_shared<ScreenOptions>();
  auto* cmd = app.add_subcommand("screen", "Screen names or a CSV of parties against the lists");
  AddCommonOptions(cmd, &opts->common);
  cmd->add_option("names", opts->names, "Names to screen");
  cmd->add_option("--input", opts->input,
                  "CSV of parties (id, name, schema, country, birth_date, aliases); - for stdin");
  cmd->add_option("--format", opts->format,
                  "text (default for NAMEs), jsonl (default for --input), json or csv");
  cmd->add_option("--threshold", opts->threshold, "Match threshold in [0, 1] (default 0.70)");
  cmd->add_option("--limit", opts->limit, "Matches per row (default 5)");
  cmd->add_option("--schema", opts->schema,
                  "Schema of NAMEs: Person, Organization, Company, LegalEntity (default), Vessel");
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores)");
  cmd->add_option("--db", opts->db,
                  "Store for the screening record: a SQLite path or postgresql:// URL "
                  "(default: <data-dir>/dualuse.db)");
  cmd->add_option("--actor", opts->actor, "Who is screening, for the record");
  cmd->add_flag("--no-record", opts->no_record, "Do not write a screening record");
  cmd->add_option("--fail-on", opts->fail_on,
                  "Exit 3 (after all output) when a row has one of these screening statuses, "
                  "comma-separated: hit, potential_match, clear");
  cmd->footer(
      "Exit codes: 0 all screened; 1 internal error or store unreachable; 2 unusable input "
      "(no name column, not CSV, bad options); 3 a row matched --fail-on; 4 some rows were "
      "rejected (answered in place: an error object, or the csv error column), the others "
      "screened and recorded. 3 wins over 4.");
  SetAction(cmd, [opts] { return Run(*opts); });
}

}  // namespace dualuse::cli
