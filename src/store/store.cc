// The Store over the SQL seam: one implementation for both backends.
#include "dualuse/store/store.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "dualuse/base/clock.h"
#include "dualuse/base/json_depth.h"
#include "dualuse/base/json_escape.h"
#include "dualuse/base/sha256.h"
#include "dualuse/base/utf8.h"
#include "store/canonical.h"
#include "store/sql.h"

namespace dualuse::store {

using internal::Conn;
using internal::Param;
using internal::Row;
using internal::Rows;
using internal::Txn;
using Json = nlohmann::json;

std::string internal::Param::AsText() const {
  switch (type) {
    case Type::kNull:
      return "";
    case Type::kInt:
      return std::to_string(i);
    case Type::kReal: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      return buf;
    }
    case Type::kText:
      return s;
  }
  return "";
}

std::string CanonicalRecord(const Record& r) {
  // A JSON object with sorted keys, no whitespace, every text field as a JSON
  // string (inputs/outputs/list_versions as their stored text). Version "v"
  // names this serialisation.
  Json j = Json::object();
  j["v"] = 1;
  j["id"] = r.id;
  j["recorded_at"] = r.recorded_at;
  j["kind"] = r.kind;
  j["actor"] = r.actor;
  j["subject"] = r.subject;
  j["inputs"] = r.inputs;
  j["outputs"] = r.outputs;
  j["law_version"] = r.law_version;
  j["list_versions"] = r.list_versions;
  j["prev_hash"] = r.prev_hash;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string CounterpartyKey(const std::string& name, const std::string& country) {
  std::string out;
  bool space = false;
  for (unsigned char c : name) {
    if (c >= 0x80) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(c);
    } else if (std::isalnum(c)) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      space = true;
    }
  }
  std::string cc;
  for (unsigned char c : country)
    cc += static_cast<char>(std::toupper(c));
  return out + "|" + cc;
}

std::string Store::DefaultPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "dualuse.db").string();
}

namespace {

Status CheckText(const std::string& field, const std::string& value) {
  if (!IsUtf8TextWithoutNul(value)) {
    return Status::InvalidArgument("record: " + field + ": expected UTF-8 text without NUL");
  }
  return Status::Ok();
}

// How far a record's JSON fields are checked: kText from outside the
// program (grammar and nesting parsed), kSerialised written by the program
// itself from typed values (PreparedRecord::MakeSerialised).
enum class JsonOrigin { kText, kSerialised };

// Json::accept checks the syntax without building the document (the same
// grammar as Json::parse); an object is a valid text whose first
// non-whitespace byte is '{'.
Status CheckJson(const std::string& field, const std::string& value, bool object,
                 JsonOrigin origin = JsonOrigin::kText) {
  DU_RETURN_IF_ERROR(CheckText(field, value));
  if (origin == JsonOrigin::kText) {
    // Nesting first (one pass, no recursion): every reader of a record
    // (verification, export, replay, the API) may walk it recursively.
    if (JsonDepth(value, kMaxStoredJsonDepth) > kMaxStoredJsonDepth) {
      return Status::InvalidArgument("record: " + field + ": JSON nested deeper than " +
                                     std::to_string(kMaxStoredJsonDepth) + " levels");
    }
    if (!Json::accept(value)) {
      return Status::InvalidArgument("record: " + field + ": expected JSON");
    }
  }
  if (object) {
    size_t at = value.find_first_not_of(" \t\n\r");
    if (at == std::string::npos || value[at] != '{') {
      return Status::InvalidArgument("record: " + field + ": expected a JSON object");
    }
  }
  return Status::Ok();
}

Status ValidateRecord(const RecordInput& in, JsonOrigin origin = JsonOrigin::kText) {
  if (in.kind.empty()) return Status::InvalidArgument("record: kind: expected a kind word");
  for (char c : in.kind) {
    if (!((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9'))) {
      return Status::InvalidArgument("record: kind: \"" + in.kind + "\" is not a lower-case word");
    }
  }
  DU_RETURN_IF_ERROR(CheckText("actor", in.actor));
  DU_RETURN_IF_ERROR(CheckText("subject", in.subject));
  DU_RETURN_IF_ERROR(CheckText("law_version", in.law_version));
  DU_RETURN_IF_ERROR(CheckJson("inputs", in.inputs, false, origin));
  DU_RETURN_IF_ERROR(CheckJson("outputs", in.outputs, false, origin));
  DU_RETURN_IF_ERROR(CheckJson("list_versions", in.list_versions, true, origin));
  for (const std::string& claim : in.claims) {
    if (claim.empty()) return Status::InvalidArgument("record: claims: expected a non-empty key");
    DU_RETURN_IF_ERROR(CheckText("claims", claim));
  }
  return Status::Ok();
}

int64_t ToInt(const std::optional<std::string>& v) {
  if (!v || v->empty()) return 0;
  try {
    return std::stoll(*v);
  } catch (...) {
    return 0;
  }
}
double ToDouble(const std::optional<std::string>& v) {
  if (!v || v->empty()) return 0;
  try {
    return std::stod(*v);
  } catch (...) {
    return 0;
  }
}
std::string S(const std::optional<std::string>& v) { return v.value_or(""); }

constexpr const char* kRecordColumns =
    "id, recorded_at, kind, actor, subject, inputs, outputs, law_version, list_versions, "
    "prev_hash, hash";

Record RecordFromRow(const Row& r) {
  Record rec;
  rec.id = ToInt(r[0]);
  rec.recorded_at = S(r[1]);
  rec.kind = S(r[2]);
  rec.actor = S(r[3]);
  rec.subject = S(r[4]);
  rec.inputs = S(r[5]);
  rec.outputs = S(r[6]);
  rec.law_version = S(r[7]);
  rec.list_versions = S(r[8]);
  rec.prev_hash = S(r[9]);
  rec.hash = S(r[10]);
  return rec;
}

constexpr const char* kCounterpartyColumns =
    "id, key, name, aliases, country, schema, birth_date, identifiers, content_hash, version, "
    "first_seen, last_seen, screened_hash";

Counterparty CounterpartyFromRow(const Row& r) {
  Counterparty c;
  c.id = ToInt(r[0]);
  c.key = S(r[1]);
  c.name = S(r[2]);
  Json aliases = Json::parse(S(r[3]), nullptr, false);
  if (aliases.is_array()) {
    for (auto& a : aliases) {
      if (a.is_string()) c.aliases.push_back(a.get<std::string>());
    }
  }
  c.country = S(r[4]);
  c.schema = S(r[5]);
  c.birth_date = S(r[6]);
  c.identifiers = S(r[7]);
  c.content_hash = S(r[8]);
  c.version = static_cast<int>(ToInt(r[9]));
  c.first_seen = S(r[10]);
  c.last_seen = S(r[11]);
  c.screened_hash = S(r[12]);
  return c;
}

constexpr const char* kAlertColumns =
    "a.id, a.created_at, a.counterparty_id, a.counterparty_hash, a.kind, a.list_id, "
    "a.list_version, a.entity_id, a.entity_hash, a.entity_name, a.matched_name, a.score, "
    "a.effect, a.jurisdiction, a.programs, a.details, a.state, a.decided_at, a.decided_by, "
    "a.reason, a.decision_record, a.subject, a.record_id, c.key, c.name, a.party_key, "
    "a.also_listed";

Alert AlertFromRow(const Row& r) {
  Alert a;
  a.id = ToInt(r[0]);
  a.created_at = S(r[1]);
  a.counterparty_id = ToInt(r[2]);
  a.counterparty_hash = S(r[3]);
  a.kind = S(r[4]);
  a.list = S(r[5]);
  a.list_version = S(r[6]);
  a.entity_id = S(r[7]);
  a.entity_hash = S(r[8]);
  a.entity_name = S(r[9]);
  a.matched_name = S(r[10]);
  a.score = ToDouble(r[11]);
  a.effect = S(r[12]);
  a.jurisdiction = S(r[13]);
  a.programs = S(r[14]);
  a.details = S(r[15]);
  a.state = S(r[16]);
  a.decided_at = S(r[17]);
  a.decided_by = S(r[18]);
  a.reason = S(r[19]);
  a.decision_record = ToInt(r[20]);
  // Stored as open with the first reviewer's decision record (the schema's
  // states are open, confirmed, dismissed): waiting for a second reviewer.
  if (a.state == "open" && a.decision_record != 0) a.state = "pending_dismissal";
  a.subject = S(r[21]);
  a.record_id = ToInt(r[22]);
  a.counterparty_key = S(r[23]);
  a.counterparty_name = S(r[24]);
  a.party_key = S(r[25]);
  a.also_listed = S(r[26]).empty() ? "[]" : S(r[26]);
  return a;
}

// SHA-256 of {"aliases":[..],"birth_date":..,"country":..,"identifiers":..,
// "name":..,"schema":..} as nlohmann::json dumps it (sorted keys, no
// whitespace). Written directly when every text is valid UTF-8 without NUL
// (AppendJsonString escapes as dump() does then), else through the JSON
// object, whose replacement of invalid bytes this does not imitate.
std::string ContentHash(const CounterpartyInput& p) {
  bool plain = IsUtf8TextWithoutNul(p.name) && IsUtf8TextWithoutNul(p.country) &&
               IsUtf8TextWithoutNul(p.schema) && IsUtf8TextWithoutNul(p.birth_date) &&
               IsUtf8TextWithoutNul(p.identifiers);
  for (const std::string& a : p.aliases)
    plain = plain && IsUtf8TextWithoutNul(a);
  if (!plain) {
    Json j = {{"name", p.name},     {"aliases", p.aliases},       {"country", p.country},
              {"schema", p.schema}, {"birth_date", p.birth_date}, {"identifiers", p.identifiers}};
    return Sha256Hex(j.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  std::string out = "{\"aliases\":[";
  for (size_t i = 0; i < p.aliases.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(&out, p.aliases[i]);
  }
  out += "],\"birth_date\":";
  AppendJsonString(&out, p.birth_date);
  out += ",\"country\":";
  AppendJsonString(&out, p.country);
  out += ",\"identifiers\":";
  AppendJsonString(&out, p.identifiers);
  out += ",\"name\":";
  AppendJsonString(&out, p.name);
  out += ",\"schema\":";
  AppendJsonString(&out, p.schema);
  out += '}';
  return Sha256Hex(out);
}

Status ValidateCounterparty(const CounterpartyInput& p) {
  if (p.name.empty()) return Status::InvalidArgument("counterparty: name: expected a name");
  for (const std::string* s : {&p.name, &p.country, &p.schema, &p.birth_date}) {
    if (!IsUtf8TextWithoutNul(*s)) {
      return Status::InvalidArgument("counterparty: expected UTF-8 text without NUL");
    }
  }
  for (const auto& a : p.aliases) {
    if (!IsUtf8TextWithoutNul(a))
      return Status::InvalidArgument("counterparty: aliases: expected UTF-8");
  }
  Json ids = Json::parse(p.identifiers.empty() ? "[]" : p.identifiers, nullptr, false);
  if (!ids.is_array()) {
    return Status::InvalidArgument("counterparty: identifiers: expected a JSON array");
  }
  return Status::Ok();
}

// The name part of a CounterpartyKey ("name|CC" -> "name").
std::string NamePart(const std::string& key) { return key.substr(0, key.rfind('|')); }

// What a dismissal of a party's match depends on: its name, country and
// birth date (aliases and identifiers may be added without reopening it).
std::string PartyHash(const std::string& name, const std::string& country,
                      const std::string& birth_date) {
  return Sha256Hex(CounterpartyKey(name, country) + "|" + birth_date);
}

// Screening items raised before schema version 3 name no party: they get
// the key of the name they were raised for (details.query), so that a
// screening of the same name finds them instead of raising a second item.
// Idempotent; items without a query get the key "-" (no party matches it).
Status BackfillScreeningItems(internal::Conn& conn) {
  internal::Txn txn(conn);
  DU_RETURN_IF_ERROR(txn.BeginWrite());
  DU_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT id, details, list_id, entity_id, entity_name "
                                            "FROM alerts WHERE party_key = '' AND entity_id <> "
                                            "'' AND counterparty_id IS NULL"));
  for (const Row& r : rows) {
    Json d = Json::parse(S(r[1]), nullptr, false);
    std::string query = d.is_object() ? d.value("query", std::string()) : std::string();
    std::string key = query.empty() ? "-" : CounterpartyKey(query, "");
    std::string hash = query.empty() ? "" : PartyHash(query, "", "");
    DU_RETURN_IF_ERROR(
        conn.Query("UPDATE alerts SET party_key = $1, party_hash = $2, entity_key = $3, "
                   "entity_name_key = $4 WHERE id = $5",
                   {key, hash, S(r[2]) + ":" + S(r[3]),
                    S(r[4]).empty() ? std::string() : CounterpartyKey(S(r[4]), ""), ToInt(r[0])})
            .status());
  }
  return txn.Commit();
}

// An alert's state between a first and a second reviewer's dismissal.
constexpr const char* kPendingDismissal = "pending_dismissal";

// Exact hits on an asset-freeze list: dismissing one clears a party that a
// list names as frozen, so it takes two reviewers.
bool NeedsTwoReviewers(const Alert& a) { return a.kind == "hit" && a.effect == "asset_freeze"; }

class SqlStore : public Store {
 public:
  SqlStore(std::unique_ptr<Conn> conn, std::string where)
      : conn_(std::move(conn)), where_(std::move(where)) {}

  std::string Backend() const override {
    return conn_->dialect() == internal::Dialect::kSqlite ? "sqlite" : "postgresql";
  }

  Result<int> SchemaVersion() override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT max(version) FROM schema_migrations"));
    return static_cast<int>(ToInt(rows.at(0).at(0)));
  }

  // ------------------------------------------------------------ records

  // Appends within an open write transaction.
  Result<std::vector<Record>> AppendLocked(const std::vector<PreparedRecord>& prepared) {
    DU_ASSIGN_OR_RETURN(
        Rows head, conn_->Query("SELECT last_id, last_hash FROM chain_head WHERE singleton = 1"));
    if (head.empty()) return Status::DataLoss(where_ + ": chain_head is missing");
    int64_t last_id = ToInt(head[0][0]);
    std::string last_hash = S(head[0][1]);
    std::vector<Record> out;
    out.reserve(prepared.size());
    std::set<std::string> claimed;
    for (const PreparedRecord& p : prepared) {
      for (const std::string& claim : p.input().claims) {
        // Under the write lock: no other writer can take it until commit.
        DU_ASSIGN_OR_RETURN(
            Rows held,
            conn_->Query("SELECT record_id FROM record_claims WHERE claim = $1", {claim}));
        if (!held.empty() || !claimed.insert(claim).second) {
          return Status::AlreadyExists(
              "claim \"" + claim + "\" is already held" +
              (held.empty() ? std::string(" in this batch") : " by record " + S(held[0][0])));
        }
      }
    }
    for (const PreparedRecord& p : prepared) {
      Record r;
      static_cast<RecordInput&>(r) = p.input();
      r.id = last_id + 1;
      r.recorded_at = Clock::NowTimestamp();
      r.prev_hash = last_hash;
      r.hash = Sha256Hex(p.Canonical(r.id, r.recorded_at, r.prev_hash));
      static const std::string kInsert = std::string("INSERT INTO records (") + kRecordColumns +
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
      DU_RETURN_IF_ERROR(
          conn_
              ->Query(kInsert, {r.id, r.recorded_at, r.kind, r.actor, r.subject, r.inputs,
                                r.outputs, r.law_version, r.list_versions, r.prev_hash, r.hash})
              .status());
      for (const std::string& claim : r.claims) {
        DU_RETURN_IF_ERROR(
            conn_
                ->Query("INSERT INTO record_claims (claim, record_id) VALUES ($1, $2)",
                        {claim, r.id})
                .status());
      }
      last_id = r.id;
      last_hash = r.hash;
      out.push_back(std::move(r));
    }
    DU_RETURN_IF_ERROR(
        conn_
            ->Query("UPDATE chain_head SET last_id = $1, last_hash = $2 WHERE singleton = 1",
                    {last_id, last_hash})
            .status());
    return out;
  }

  Result<Record> Append(const RecordInput& input) override {
    DU_ASSIGN_OR_RETURN(auto v, AppendBatch({input}));
    return std::move(v.at(0));
  }

  Result<std::vector<Record>> AppendBatch(const std::vector<RecordInput>& inputs) override {
    return AppendWithAlerts(inputs, std::vector<std::vector<AlertInput>>(inputs.size()));
  }

  Result<std::vector<Record>> AppendWithAlerts(
      const std::vector<RecordInput>& inputs,
      const std::vector<std::vector<AlertInput>>& alerts) override {
    std::vector<PreparedRecord> prepared;
    prepared.reserve(inputs.size());
    for (const auto& in : inputs) {
      DU_ASSIGN_OR_RETURN(PreparedRecord p, PreparedRecord::Make(in));
      prepared.push_back(std::move(p));
    }
    return AppendPrepared(prepared, alerts, nullptr);
  }

  Result<std::vector<Record>> AppendPrepared(const std::vector<PreparedRecord>& prepared,
                                             const std::vector<std::vector<AlertInput>>& alerts,
                                             std::vector<int>* raised) override {
    if (alerts.size() != prepared.size()) {
      return Status::InvalidArgument("AppendWithAlerts: one alert slot per record expected");
    }
    for (const auto& list : alerts) {
      for (const auto& a : list)
        DU_RETURN_IF_ERROR(ValidateAlert(a));
    }
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(std::vector<Record> out, AppendLocked(prepared));
    if (raised) raised->assign(alerts.size(), 0);
    for (size_t i = 0; i < alerts.size(); ++i) {
      for (AlertInput a : alerts[i]) {
        a.record_id = out[i].id;
        DU_ASSIGN_OR_RETURN(auto outcome, AddAlertLocked(a));
        if (raised && outcome.first == AlertOutcome::kRaised) ++(*raised)[i];
      }
    }
    DU_RETURN_IF_ERROR(txn.Commit());
    return out;
  }

  Result<Record> GetRecord(int64_t id) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(std::string("SELECT ") + kRecordColumns +
                                                    " FROM records WHERE id = $1",
                                                {id}));
    if (rows.empty()) return Status::NotFound("record " + std::to_string(id) + ": no such record");
    return RecordFromRow(rows[0]);
  }

  Result<std::vector<Record>> Records(const RecordQuery& q) override {
    std::string sql = std::string("SELECT ") + kRecordColumns + " FROM records WHERE 1 = 1";
    std::vector<Param> params;
    auto add = [&](const std::string& cond, Param p) {
      params.push_back(std::move(p));
      std::string c = cond;
      c.replace(c.find('?'), 1, "$" + std::to_string(params.size()));
      sql += " AND " + c;
    };
    if (!q.from.empty()) add("recorded_at >= ?", q.from);
    if (!q.to.empty()) add("recorded_at < ?", q.to + "U");  // after any time that day
    if (!q.kind.empty()) add("kind = ?", q.kind);
    if (!q.subject.empty()) add("subject = ?", q.subject);
    if (!q.actor.empty()) add("actor = ?", q.actor);
    if (!q.text.empty()) {
      std::string pat = "%";
      for (char c : q.text) {
        if (c == '%' || c == '_' || c == '\\') pat += '\\';
        pat += c;
      }
      pat += "%";
      params.push_back(pat);
      std::string n = "$" + std::to_string(params.size());
      sql += " AND (subject LIKE " + n + " ESCAPE '\\' OR inputs LIKE " + n + " ESCAPE '\\')";
    }
    if (!(q.authority_kinds && q.other_kinds)) {
      std::string visible = q.authority_kinds ? "kind LIKE 'authority\\_%' ESCAPE '\\'"
                            : q.other_kinds   ? "kind NOT LIKE 'authority\\_%' ESCAPE '\\'"
                                              : "1 = 0";
      for (const std::string& k : q.also_kinds) {
        params.push_back(k);
        visible += " OR kind = $" + std::to_string(params.size());
      }
      if (!q.also_actor.empty()) {
        params.push_back(q.also_actor);
        visible += " OR actor = $" + std::to_string(params.size());
      }
      if (!q.also_organisation.empty()) {
        params.push_back(q.also_organisation);
        visible += " OR actor IN (SELECT name FROM users WHERE organisation = $" +
                   std::to_string(params.size()) + ")";
      }
      sql += " AND (" + visible + ")";
    }
    if (q.after_id > 0) add("id > ?", q.after_id);
    if (q.before_id > 0) add("id < ?", q.before_id);
    sql += q.newest_first ? " ORDER BY id DESC" : " ORDER BY id";
    if (q.limit > 0) sql += " LIMIT " + std::to_string(q.limit);
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql, params));
    std::vector<Record> out;
    out.reserve(rows.size());
    for (auto& r : rows)
      out.push_back(RecordFromRow(r));
    return out;
  }

  Result<int64_t> RecordCount() override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT count(*) FROM records"));
    return ToInt(rows.at(0).at(0));
  }

  Result<VerifyReport> Verify() override {
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginRead());
    DU_ASSIGN_OR_RETURN(
        Rows head, conn_->Query("SELECT last_id, last_hash FROM chain_head WHERE singleton = 1"));
    VerifyReport rep;
    auto problem = [&](int64_t id, const char* what, std::string msg) {
      rep.problems.push_back({id, what, std::move(msg)});
    };
    int64_t expected_id = 1;
    std::string prev_hash = kGenesisHash, prev2_hash;
    int64_t last_seen_id = 0;
    const int64_t kPage = 5000;
    while (true) {
      DU_ASSIGN_OR_RETURN(
          Rows rows,
          conn_->Query(std::string("SELECT ") + kRecordColumns +
                           " FROM records WHERE id > $1 ORDER BY id LIMIT " + std::to_string(kPage),
                       {last_seen_id}));
      for (const Row& row : rows) {
        Record r = RecordFromRow(row);
        std::string id = std::to_string(r.id);
        ++rep.records;
        if (r.id > expected_id) {
          std::string range = expected_id == r.id - 1
                                  ? std::to_string(expected_id)
                                  : std::to_string(expected_id) + ".." + std::to_string(r.id - 1);
          problem(expected_id, "deleted",
                  "record " + range + " deleted: ids jump from " + std::to_string(expected_id - 1) +
                      " to " + id);
        }
        // A record whose content matches its hash under another id was
        // renumbered: what a record inserted or deleted before it needs.
        bool content_ok = Sha256Hex(CanonicalRecord(r)) == r.hash;
        int64_t shift = 0;
        for (int64_t k : {1, -1, 2, -2, 3, -3}) {
          if (content_ok) break;
          Record moved = r;
          moved.id = r.id - k;
          if (moved.id > 0 && Sha256Hex(CanonicalRecord(moved)) == r.hash) {
            shift = k;
            break;
          }
        }
        if (!content_ok && shift == 0) {
          problem(r.id, "modified",
                  "record " + id + " modified: its content does not match its hash");
        } else {
          if (r.prev_hash == prev_hash) {
            // Linked correctly.
          } else if (!prev2_hash.empty() && r.prev_hash == prev2_hash) {
            problem(r.id - 1, "inserted",
                    "record " + std::to_string(r.id - 1) +
                        " inserted: the record after it chains "
                        "to the record before it");
          } else if (shift < 0) {
            problem(r.id, "deleted",
                    "record(s) deleted before record " + id + " (which was record " +
                        std::to_string(r.id - shift) + ")");
          } else if (r.id == expected_id) {
            problem(r.id - 1, "modified",
                    "record " + std::to_string(r.id - 1) + " modified: record " + id +
                        " chains to a different hash");
          } else {
            problem(r.id, "broken_link",
                    "record " + id + ": prev_hash does not match the record before it");
          }
          if (shift != 0) {
            problem(r.id, "renumbered",
                    "record " + id + " renumbered: it was written as record " +
                        std::to_string(r.id - shift));
          }
        }
        prev2_hash = prev_hash;
        prev_hash = r.hash;
        expected_id = r.id + 1;
        last_seen_id = r.id;
      }
      if (static_cast<int64_t>(rows.size()) < kPage) break;
    }
    int64_t head_id = head.empty() ? -1 : ToInt(head[0][0]);
    std::string head_hash = head.empty() ? "" : S(head[0][1]);
    if (head_id != last_seen_id || head_hash != prev_hash) {
      if (last_seen_id > head_id) {
        problem(head_id + 1, "inserted",
                "record " + std::to_string(head_id + 1) +
                    " inserted: the chain head ends at record " + std::to_string(head_id));
      } else if (last_seen_id < head_id) {
        problem(last_seen_id + 1, "deleted",
                "record " + std::to_string(last_seen_id + 1) +
                    (head_id > last_seen_id + 1 ? ".." + std::to_string(head_id) : "") +
                    " deleted: the chain head is record " + std::to_string(head_id));
      } else {
        problem(head_id, "head",
                "record " + std::to_string(head_id) +
                    " modified or replaced: its hash differs "
                    "from the chain head");
      }
    }
    rep.head_hash = prev_hash;
    DU_RETURN_IF_ERROR(CheckStateLocked(&rep));
    DU_RETURN_IF_ERROR(txn.Commit());
    return rep;
  }

  // ------------------------------------------------------ counterparties

  Result<UpsertOutcome> UpsertLocked(const CounterpartyInput& in0, const std::string& now) {
    CounterpartyInput in = in0;
    if (in.identifiers.empty()) in.identifiers = "[]";
    std::string key = CounterpartyKey(in.name, in.country);
    std::string hash = ContentHash(in);
    Json aliases = in.aliases;
    std::string aliases_text = aliases.dump();
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query("SELECT id, content_hash FROM counterparties WHERE key = $1", {key}));
    UpsertOutcome out;
    if (rows.empty()) {
      DU_ASSIGN_OR_RETURN(
          Rows ins,
          conn_->Query("INSERT INTO counterparties (key, name, aliases, country, schema, "
                       "birth_date, identifiers, content_hash, version, first_seen, last_seen) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
                       {key, in.name, aliases_text, in.country, in.schema, in.birth_date,
                        in.identifiers, hash, now}));
      out.id = ToInt(ins.at(0).at(0));
      out.created = true;
      out.changed = true;
      return out;
    }
    out.id = ToInt(rows[0][0]);
    if (S(rows[0][1]) != hash) {
      out.changed = true;
      DU_RETURN_IF_ERROR(
          conn_
              ->Query("UPDATE counterparties SET name = $1, aliases = $2, country = $3, "
                      "schema = $4, birth_date = $5, identifiers = $6, content_hash = $7, "
                      "version = version + 1, last_seen = $8 WHERE id = $9",
                      {in.name, aliases_text, in.country, in.schema, in.birth_date, in.identifiers,
                       hash, now, out.id})
              .status());
    } else {
      DU_RETURN_IF_ERROR(
          conn_->Query("UPDATE counterparties SET last_seen = $1 WHERE id = $2", {now, out.id})
              .status());
    }
    return out;
  }

  Result<UpsertOutcome> UpsertCounterparty(const CounterpartyInput& party) override {
    DU_ASSIGN_OR_RETURN(auto v, UpsertCounterparties({party}));
    return v.at(0);
  }

  Result<std::vector<UpsertOutcome>> UpsertCounterparties(
      const std::vector<CounterpartyInput>& parties) override {
    for (const auto& p : parties)
      DU_RETURN_IF_ERROR(ValidateCounterparty(p));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    std::string now = Clock::NowTimestamp();
    std::vector<UpsertOutcome> out(parties.size());
    // Bulk path: new keys go in with multi-row INSERTs, known keys whose
    // content is unchanged only have last_seen set (one UPDATE per chunk);
    // the rest one by one.
    struct Known {
      int64_t id;
      std::string hash;
    };
    std::map<std::string, Known> known;  // key -> as stored now, in this transaction
    const size_t kChunk = 500;
    {
      std::set<std::string> keys;
      for (const auto& p : parties)
        keys.insert(CounterpartyKey(p.name, p.country));
      std::vector<std::string> kv(keys.begin(), keys.end());
      for (size_t i = 0; i < kv.size(); i += kChunk) {
        std::string sql = "SELECT key, content_hash, id FROM counterparties WHERE key IN (";
        std::vector<Param> params;
        for (size_t k = i; k < std::min(kv.size(), i + kChunk); ++k) {
          params.push_back(kv[k]);
          sql += (k > i ? ", $" : "$") + std::to_string(params.size());
        }
        sql += ")";
        DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql, params));
        for (auto& r : rows)
          known[S(r[0])] = {ToInt(r[2]), S(r[1])};
      }
    }
    std::set<std::string> inserting;
    std::vector<size_t> fresh;
    std::vector<size_t> rest;
    for (size_t i = 0; i < parties.size(); ++i) {
      std::string key = CounterpartyKey(parties[i].name, parties[i].country);
      if (!known.count(key) && inserting.insert(key).second) {
        fresh.push_back(i);
      } else {
        rest.push_back(i);
      }
    }
    const size_t kRows = 400;
    for (size_t i = 0; i < fresh.size(); i += kRows) {
      std::string sql =
          "INSERT INTO counterparties (key, name, aliases, country, schema, birth_date, "
          "identifiers, content_hash, version, first_seen, last_seen) VALUES ";
      std::vector<Param> params;
      params.push_back(now);
      for (size_t k = i; k < std::min(fresh.size(), i + kRows); ++k) {
        const CounterpartyInput& p = parties[fresh[k]];
        std::string ids = p.identifiers.empty() ? "[]" : p.identifiers;
        CounterpartyInput norm = p;
        norm.identifiers = ids;
        Json aliases = p.aliases;
        std::string key = CounterpartyKey(p.name, p.country);
        std::string hash = ContentHash(norm);
        known[key] = {0, hash};  // the id once inserted
        sql += k > i ? ", (" : "(";
        for (Param v : {Param(key), Param(p.name), Param(aliases.dump()), Param(p.country),
                        Param(p.schema), Param(p.birth_date), Param(ids), Param(hash)}) {
          params.push_back(std::move(v));
          sql += "$" + std::to_string(params.size()) + ", ";
        }
        sql += "1, $1, $1)";
      }
      sql += " RETURNING id, key";
      DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql, params));
      std::map<std::string, int64_t> ids;
      for (auto& r : rows)
        ids[S(r[1])] = ToInt(r[0]);
      for (size_t k = i; k < std::min(fresh.size(), i + kRows); ++k) {
        const CounterpartyInput& p = parties[fresh[k]];
        std::string key = CounterpartyKey(p.name, p.country);
        out[fresh[k]] = {ids[key], true, true};
        known[key].id = ids[key];
      }
    }
    std::set<int64_t> seen;  // unchanged: only last_seen is set
    for (size_t i : rest) {
      CounterpartyInput norm = parties[i];
      if (norm.identifiers.empty()) norm.identifiers = "[]";
      std::string key = CounterpartyKey(norm.name, norm.country);
      std::string hash = ContentHash(norm);
      auto it = known.find(key);
      if (it != known.end() && it->second.id != 0 && it->second.hash == hash) {
        out[i] = {it->second.id, false, false};
        seen.insert(it->second.id);
        continue;
      }
      DU_ASSIGN_OR_RETURN(out[i], UpsertLocked(parties[i], now));
      known[key] = {out[i].id, hash};
    }
    std::vector<int64_t> touch(seen.begin(), seen.end());
    for (size_t i = 0; i < touch.size(); i += kChunk) {
      std::string sql = "UPDATE counterparties SET last_seen = $1 WHERE id IN (";
      std::vector<Param> params{Param(now)};
      for (size_t k = i; k < std::min(touch.size(), i + kChunk); ++k) {
        params.push_back(touch[k]);
        sql += (k > i ? ", $" : "$") + std::to_string(params.size());
      }
      DU_RETURN_IF_ERROR(conn_->Query(sql + ")", params).status());
    }
    DU_RETURN_IF_ERROR(txn.Commit());
    return out;
  }

  Result<Counterparty> GetCounterparty(int64_t id) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(std::string("SELECT ") + kCounterpartyColumns +
                                                    " FROM counterparties WHERE id = $1",
                                                {id}));
    if (rows.empty()) {
      return Status::NotFound("counterparty " + std::to_string(id) + ": no such counterparty");
    }
    return CounterpartyFromRow(rows[0]);
  }

  Result<std::optional<Counterparty>> FindCounterparty(const std::string& key) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(std::string("SELECT ") + kCounterpartyColumns +
                                                    " FROM counterparties WHERE key = $1",
                                                {key}));
    if (rows.empty()) return std::optional<Counterparty>();
    return std::optional<Counterparty>(CounterpartyFromRow(rows[0]));
  }

  Result<std::vector<Counterparty>> Counterparties() override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(std::string("SELECT ") + kCounterpartyColumns +
                                                " FROM counterparties ORDER BY id"));
    std::vector<Counterparty> out;
    out.reserve(rows.size());
    for (auto& r : rows)
      out.push_back(CounterpartyFromRow(r));
    return out;
  }

  Result<int64_t> CounterpartyCount() override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT count(*) FROM counterparties"));
    return ToInt(rows.at(0).at(0));
  }

  // Sets screened_hash for (id, hash) pairs, in chunks (UPDATE ... FROM VALUES
  // works in SQLite >= 3.33 and PostgreSQL alike).
  Status SetScreenedLocked(const std::vector<std::pair<int64_t, std::string>>& pairs) {
    if (conn_->dialect() == internal::Dialect::kSqlite) {
      // In-process: one cached statement per row is fastest.
      for (const auto& [id, hash] : pairs) {
        DU_RETURN_IF_ERROR(
            conn_->Query("UPDATE counterparties SET screened_hash = $1 WHERE id = $2", {hash, id})
                .status());
      }
      return Status::Ok();
    }
    const size_t kChunk = 500;
    for (size_t i = 0; i < pairs.size(); i += kChunk) {
      std::string sql = "UPDATE counterparties SET screened_hash = v.column2 FROM (VALUES ";
      std::vector<Param> params;
      for (size_t k = i; k < std::min(pairs.size(), i + kChunk); ++k) {
        params.push_back(pairs[k].first);
        params.push_back(pairs[k].second);
        sql += (k > i ? ", (CAST($" : "(CAST($") + std::to_string(params.size() - 1) +
               " AS BIGINT), CAST($" + std::to_string(params.size()) + " AS TEXT))";
      }
      sql += ") AS v WHERE counterparties.id = v.column1";
      DU_RETURN_IF_ERROR(conn_->Query(sql, params).status());
    }
    return Status::Ok();
  }

  Status MarkScreened(const std::vector<std::pair<int64_t, std::string>>& id_and_hash) override {
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_RETURN_IF_ERROR(SetScreenedLocked(id_and_hash));
    return txn.Commit();
  }

  Result<RescreenCommit> CommitRescreen(const RescreenWrite& w) override {
    for (const auto& a : w.alerts)
      DU_RETURN_IF_ERROR(ValidateAlert(a));
    DU_RETURN_IF_ERROR(ValidateRecord(w.record));
    Json outputs = Json::parse(w.record.outputs, nullptr, false);
    if (!outputs.is_object()) {
      return Status::InvalidArgument("rescreen record: outputs: expected a JSON object");
    }
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    RescreenCommit out;
    Json raised = Json::array();
    int suppressed = 0, duplicates = 0;
    for (const auto& a : w.alerts) {
      DU_ASSIGN_OR_RETURN(auto o, AddAlertLocked(a));
      out.outcomes.push_back(o);
      if (o.first == AlertOutcome::kRaised) raised.push_back(o.second);
      suppressed += o.first == AlertOutcome::kSuppressedDismissed ||
                    o.first == AlertOutcome::kKnownFalsePositive;
      duplicates += o.first == AlertOutcome::kDuplicate || o.first == AlertOutcome::kAttached;
    }
    DU_RETURN_IF_ERROR(SetScreenedLocked(w.screened));
    std::string now = Clock::NowTimestamp();
    for (const auto& [list, version] : w.list_versions) {
      DU_RETURN_IF_ERROR(
          conn_->Query("DELETE FROM list_screen_state WHERE list_id = $1", {list}).status());
      DU_RETURN_IF_ERROR(conn_
                             ->Query("INSERT INTO list_screen_state (list_id, version, updated_at) "
                                     "VALUES ($1, $2, $3)",
                                     {list, version, now})
                             .status());
    }
    RecordInput rec = w.record;
    outputs["alerts_raised"] = raised;
    outputs["suppressed"] = suppressed;
    outputs["duplicates"] = duplicates;
    rec.outputs = outputs.dump();
    DU_ASSIGN_OR_RETURN(PreparedRecord prepared, PreparedRecord::Make(std::move(rec)));
    DU_ASSIGN_OR_RETURN(std::vector<Record> recs, AppendLocked({prepared}));
    out.record = recs.at(0);
    DU_RETURN_IF_ERROR(txn.Commit());
    return out;
  }

  Result<std::optional<std::string>> ScreenedListVersion(const std::string& list) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query("SELECT version FROM list_screen_state WHERE list_id = $1", {list}));
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(S(rows[0][0]));
  }

  Status SetScreenedListVersion(const std::string& list, const std::string& version) override {
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_RETURN_IF_ERROR(
        conn_->Query("DELETE FROM list_screen_state WHERE list_id = $1", {list}).status());
    DU_RETURN_IF_ERROR(conn_
                           ->Query("INSERT INTO list_screen_state (list_id, version, updated_at) "
                                   "VALUES ($1, $2, $3)",
                                   {list, version, Clock::NowTimestamp()})
                           .status());
    return txn.Commit();
  }

  // -------------------------------------------------------------- review

  static Status ValidateAlert(const AlertInput& a) {
    static const std::set<std::string> kKinds = {"hit", "potential_match", "red_flag"};
    if (!kKinds.count(a.kind)) {
      return Status::InvalidArgument("alert: kind: expected hit, potential_match or red_flag");
    }
    for (const std::string* s : {&a.subject, &a.list, &a.list_version, &a.entity_id, &a.entity_hash,
                                 &a.entity_name, &a.matched_name, &a.effect, &a.jurisdiction}) {
      DU_RETURN_IF_ERROR(CheckText("alert", *s));
    }
    DU_RETURN_IF_ERROR(CheckJson("alert.programs", a.programs, false));
    DU_RETURN_IF_ERROR(CheckJson("alert.details", a.details, false));
    return Status::Ok();
  }

  Result<std::pair<AlertOutcome, int64_t>> AddAlertLocked(const AlertInput& a) {
    DU_ASSIGN_OR_RETURN(AlertStanding st, StandingLocked(a, true));
    return std::make_pair(st.outcome, st.alert_id);
  }

  // The queue's answer to `a` (store.h, AddAlert); writes the item or the
  // attachment only when `write`.
  Result<AlertStanding> StandingLocked(const AlertInput& a, bool write) {
    AlertStanding st;
    std::string cp_hash, subject = a.subject, party_key, party_hash;
    if (a.counterparty_id > 0) {
      DU_ASSIGN_OR_RETURN(Rows cp, conn_->Query("SELECT content_hash, name, key, country, "
                                                "birth_date FROM counterparties WHERE id = $1",
                                                {a.counterparty_id}));
      if (cp.empty()) {
        return Status::NotFound("alert: counterparty " + std::to_string(a.counterparty_id) +
                                " does not exist");
      }
      cp_hash = S(cp[0][0]);
      party_key = S(cp[0][2]);
      party_hash = PartyHash(S(cp[0][1]), S(cp[0][3]), S(cp[0][4]));
      if (subject.empty()) {
        subject = S(cp[0][1]) + (a.entity_name.empty() ? "" : " ~ " + a.entity_name);
      }
    } else if (!a.party_name.empty()) {
      party_key = CounterpartyKey(a.party_name, a.party_country);
      party_hash = PartyHash(a.party_name, a.party_country, a.party_birth_date);
      if (subject.empty()) {
        subject = a.party_name + (a.entity_name.empty() ? "" : " ~ " + a.entity_name);
      }
    }
    const std::string entity_key = a.entity_key.empty()
                                       ? (a.entity_id.empty() ? "" : a.list + ":" + a.entity_id)
                                       : a.entity_key;
    const std::string name_key = a.entity_name.empty() ? "" : CounterpartyKey(a.entity_name, "");
    Json details = Json::parse(a.details.empty() ? "{}" : a.details, nullptr, false);
    if (!party_key.empty() && !a.entity_id.empty()) {
      // A known false positive: the party's name (or register id) and the entity.
      DU_ASSIGN_OR_RETURN(
          Rows good,
          conn_->Query("SELECT id, reason, reviewer, created_at FROM good_guys WHERE removed_at "
                       "= '' AND entity_id = $1 AND (list_id = '' OR list_id = $2) AND (name_key "
                       "= $3 OR (counterparty_id <> 0 AND counterparty_id = $4)) ORDER BY id",
                       {a.entity_id, a.list, NamePart(party_key), a.counterparty_id}));
      if (!good.empty()) {
        st.outcome = AlertOutcome::kKnownFalsePositive;
        st.good_guy_id = ToInt(good[0][0]);
        st.state = "known_false_positive";
        st.reason = S(good[0][1]);
        st.decided_by = S(good[0][2]);
        st.decided_at = S(good[0][3]);
        return st;
      }
      DU_ASSIGN_OR_RETURN(
          Rows prior,
          conn_->Query("SELECT id, state, list_id, entity_id, entity_hash, also_listed, "
                       "party_hash, counterparty_hash, decided_by, decided_at, reason, "
                       "decision_record FROM alerts WHERE party_key = $1 AND (entity_key = $2 OR "
                       "(list_id = $3 AND entity_id = $4)) ORDER BY id DESC",
                       {party_key, entity_key, a.list, a.entity_id}));
      // The hash this item holds for the listing (list, entity_id), or nullopt.
      auto covered = [&](const Row& r) -> std::optional<std::string> {
        if (S(r[2]) == a.list && S(r[3]) == a.entity_id) return S(r[4]);
        Json also = Json::parse(S(r[5]), nullptr, false);
        if (also.is_array()) {
          for (const Json& l : also) {
            if (l.is_object() && l.value("list", "") == a.list &&
                l.value("entity_id", "") == a.entity_id) {
              return l.value("entity_hash", "");
            }
          }
        }
        return std::nullopt;
      };
      auto fill = [&](const Row& r, AlertOutcome o) {
        st.outcome = o;
        st.alert_id = ToInt(r[0]);
        st.state = S(r[1]) == "open" && ToInt(r[11]) != 0 ? kPendingDismissal : S(r[1]);
        st.decided_by = S(r[8]);
        st.decided_at = S(r[9]);
        st.reason = S(r[10]);
      };
      // An open item (also one pending a second reviewer) or a confirmed one.
      for (const Row& r : prior) {
        if (S(r[1]) == "dismissed") continue;
        if (covered(r)) {
          fill(r, AlertOutcome::kDuplicate);
          return st;
        }
      }
      for (const Row& r : prior) {
        // Another list's listing of the entity (the same identifier, e.g. a
        // UN reference number): attached to the open item (not to one
        // half-dismissed, whose first reviewer did not see it). A listed name
        // alone never joins two listings: two people of one name on two lists
        // are two items, so that dismissing one cannot clear the other.
        if (S(r[1]) != "open" || ToInt(r[11]) != 0 || S(r[2]) == a.list) continue;
        fill(r, AlertOutcome::kAttached);
        if (write) {
          Json also = Json::parse(S(r[5]), nullptr, false);
          if (!also.is_array()) also = Json::array();
          also.push_back({{"list", a.list},
                          {"list_version", a.list_version},
                          {"entity_id", a.entity_id},
                          {"entity_hash", a.entity_hash},
                          {"entity_name", a.entity_name},
                          {"matched_name", a.matched_name},
                          {"score", a.score},
                          {"kind", a.kind},
                          {"effect", a.effect},
                          {"jurisdiction", a.jurisdiction},
                          {"record_id", a.record_id},
                          {"attached_at", Clock::NowTimestamp()}});
          DU_RETURN_IF_ERROR(
              conn_
                  ->Query("UPDATE alerts SET also_listed = $1 WHERE id = $2",
                          {also.dump(-1, ' ', false, Json::error_handler_t::replace), st.alert_id})
                  .status());
        }
        return st;
      }
      // The newest dismissal of this listing for this party holds while the
      // listing and the party's name, country and birth date are unchanged.
      for (const Row& r : prior) {
        std::optional<std::string> hash = covered(r);
        if (S(r[1]) != "dismissed" || !hash) continue;
        bool same_party = S(r[6]).empty() ? S(r[7]) == cp_hash : S(r[6]) == party_hash;
        if (same_party && *hash == a.entity_hash) {
          fill(r, AlertOutcome::kSuppressedDismissed);
          return st;
        }
        st.reopens = ToInt(r[0]);
        if (details.is_object()) details["reopens"] = st.reopens;
        break;
      }
    } else if (a.counterparty_id > 0 && !a.entity_id.empty()) {
      // Unreachable: a registered counterparty always has a key.
      return Status::Internal("alert: counterparty without a key");
    }
    // A red flag (no listing): one item per flag and subject, so that
    // re-running the same assessment does not raise it again, and a
    // reviewer's dismissal of it holds.
    if (a.kind == "red_flag" && a.entity_id.empty() && !subject.empty()) {
      DU_ASSIGN_OR_RETURN(Rows prior,
                          conn_->Query("SELECT state, id, decided_by, decided_at, reason FROM "
                                       "alerts WHERE kind = 'red_flag' AND subject = $1 AND "
                                       "entity_id = '' ORDER BY id",
                                       {subject}));
      const Row* dismissed = nullptr;
      for (auto& r : prior) {
        if (S(r[0]) != "dismissed") {
          st.outcome = AlertOutcome::kDuplicate;
          st.alert_id = ToInt(r[1]);
          st.state = S(r[0]);
          return st;
        }
        dismissed = &r;
      }
      if (dismissed) {
        st.outcome = AlertOutcome::kSuppressedDismissed;
        st.alert_id = ToInt((*dismissed)[1]);
        st.state = "dismissed";
        st.decided_by = S((*dismissed)[2]);
        st.decided_at = S((*dismissed)[3]);
        st.reason = S((*dismissed)[4]);
        return st;
      }
    }
    st.outcome = AlertOutcome::kRaised;
    if (!write) return st;
    DU_ASSIGN_OR_RETURN(
        Rows ins,
        conn_->Query(
            "INSERT INTO alerts (created_at, counterparty_id, counterparty_hash, kind, list_id, "
            "list_version, entity_id, entity_hash, entity_name, matched_name, score, effect, "
            "jurisdiction, programs, details, state, subject, record_id, party_key, party_hash, "
            "entity_key, entity_name_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
            "$12, $13, $14, $15, 'open', $16, $17, $18, $19, $20, $21) RETURNING id",
            {Clock::NowTimestamp(),
             a.counterparty_id > 0 ? Param(a.counterparty_id) : Param(std::nullopt),
             cp_hash,
             a.kind,
             a.list,
             a.list_version,
             a.entity_id,
             a.entity_hash,
             a.entity_name,
             a.matched_name,
             a.score,
             a.effect,
             a.jurisdiction,
             a.programs,
             details.is_object() ? details.dump(-1, ' ', false, Json::error_handler_t::replace)
                                 : a.details,
             subject,
             a.record_id,
             party_key,
             party_hash,
             a.entity_id.empty() ? "" : entity_key,
             a.entity_id.empty() ? "" : name_key}));
    st.alert_id = ToInt(ins.at(0).at(0));
    st.state = "open";
    return st;
  }

  Result<std::vector<AlertStanding>> Standings(const std::vector<AlertInput>& alerts) override {
    for (const auto& a : alerts)
      DU_RETURN_IF_ERROR(ValidateAlert(a));
    std::lock_guard lock(mu_);
    std::vector<AlertStanding> out;
    out.reserve(alerts.size());
    for (const auto& a : alerts) {
      DU_ASSIGN_OR_RETURN(AlertStanding st, StandingLocked(a, false));
      out.push_back(std::move(st));
    }
    return out;
  }

  // ------------------------------------------------------------ good guys

  static constexpr const char* kGoodGuyColumns =
      "id, counterparty, counterparty_id, name_key, list_id, entity_id, reason, reviewer, "
      "created_at, record_id, removed_by, removed_at, removed_record";

  static GoodGuy GoodGuyFromRow(const Row& r) {
    GoodGuy g;
    g.id = ToInt(r[0]);
    g.counterparty = S(r[1]);
    g.counterparty_id = ToInt(r[2]);
    g.name_key = S(r[3]);
    g.list = S(r[4]);
    g.entity_id = S(r[5]);
    g.reason = S(r[6]);
    g.reviewer = S(r[7]);
    g.created_at = S(r[8]);
    g.record_id = ToInt(r[9]);
    g.removed_by = S(r[10]);
    g.removed_at = S(r[11]);
    g.removed_record = ToInt(r[12]);
    return g;
  }

  static Json GoodGuyRecordJson(const GoodGuy& g) {
    return {{"good_guy", g.id},
            {"counterparty", g.counterparty},
            {"counterparty_id", g.counterparty_id},
            {"name_key", g.name_key},
            {"list", g.list},
            {"entity_id", g.entity_id},
            {"reason", g.reason},
            {"reviewer", g.reviewer},
            {"removed", !g.removed_at.empty()}};
  }

  Result<GoodGuy> AddGoodGuy(const GoodGuyInput& in, const std::string& actor) override {
    auto blank = [](const std::string& s) {
      return s.find_first_not_of(" \t\r\n") == std::string::npos;
    };
    if (blank(in.counterparty)) {
      return Status::InvalidArgument("good guy: counterparty: expected a name or register id");
    }
    if (blank(in.entity_id)) {
      return Status::InvalidArgument("good guy: entity: expected the listed entity's id");
    }
    if (blank(in.reason)) return Status::InvalidArgument("good guy: reason: expected a reason");
    if (blank(actor)) return Status::InvalidArgument("good guy: reviewer: expected a name");
    for (const std::string* s : {&in.counterparty, &in.list, &in.entity_id, &in.reason, &actor})
      DU_RETURN_IF_ERROR(CheckText("good guy", *s));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    GoodGuy g;
    static_cast<GoodGuyInput&>(g) = in;
    g.reviewer = actor;
    std::string name = in.counterparty;
    if (in.counterparty.find_first_not_of("0123456789") == std::string::npos &&
        in.counterparty.size() < 18) {
      int64_t id = std::stoll(in.counterparty);
      DU_ASSIGN_OR_RETURN(Rows cp,
                          conn_->Query("SELECT name FROM counterparties WHERE id = $1", {id}));
      if (cp.empty()) {
        return Status::NotFound("good guy: counterparty " + in.counterparty +
                                ": no such counterparty in the register");
      }
      g.counterparty_id = id;
      name = S(cp[0][0]);
    }
    g.name_key = NamePart(CounterpartyKey(name, ""));
    if (g.name_key.empty()) {
      return Status::InvalidArgument("good guy: counterparty: \"" + in.counterparty +
                                     "\": expected a name with letters or digits");
    }
    g.created_at = Clock::NowTimestamp();
    DU_ASSIGN_OR_RETURN(
        Rows ins,
        conn_->Query("INSERT INTO good_guys (counterparty, counterparty_id, name_key, list_id, "
                     "entity_id, reason, reviewer, created_at, record_id) VALUES ($1, $2, $3, $4, "
                     "$5, $6, $7, $8, 0) RETURNING id",
                     {g.counterparty, g.counterparty_id, g.name_key, g.list, g.entity_id, g.reason,
                      g.reviewer, g.created_at}));
    g.id = ToInt(ins.at(0).at(0));
    RecordInput rec;
    rec.kind = kKindGoodGuy;
    rec.actor = actor;
    rec.subject = "good_guy:" + std::to_string(g.id);
    rec.inputs = Json{
        {"action", "add"},
        {"counterparty", g.counterparty},
        {"list", g.list},
        {"entity_id", g.entity_id},
        {"reason",
         g.reason}}.dump(-1, ' ', false, Json::error_handler_t::replace);
    rec.outputs = GoodGuyRecordJson(g).dump(-1, ' ', false, Json::error_handler_t::replace);
    DU_ASSIGN_OR_RETURN(PreparedRecord prepared, PreparedRecord::Make(std::move(rec)));
    DU_ASSIGN_OR_RETURN(std::vector<Record> recs, AppendLocked({prepared}));
    g.record_id = recs[0].id;
    DU_RETURN_IF_ERROR(
        conn_->Query("UPDATE good_guys SET record_id = $1 WHERE id = $2", {g.record_id, g.id})
            .status());
    DU_RETURN_IF_ERROR(txn.Commit());
    return g;
  }

  Result<GoodGuy> RemoveGoodGuy(int64_t id, const std::string& reason,
                                const std::string& actor) override {
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument("good guy: reason: expected a reason for the removal");
    }
    DU_RETURN_IF_ERROR(CheckText("reason", reason));
    DU_RETURN_IF_ERROR(CheckText("actor", actor));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(std::string("SELECT ") + kGoodGuyColumns +
                                                    " FROM good_guys WHERE id = $1",
                                                {id}));
    if (rows.empty()) {
      return Status::NotFound("good guy " + std::to_string(id) + ": no such entry");
    }
    GoodGuy g = GoodGuyFromRow(rows[0]);
    if (!g.removed_at.empty()) {
      return Status::FailedPrecondition("good guy " + std::to_string(id) + ": already removed by " +
                                        g.removed_by + " at " + g.removed_at);
    }
    g.removed_by = actor;
    g.removed_at = Clock::NowTimestamp();
    RecordInput rec;
    rec.kind = kKindGoodGuy;
    rec.actor = actor;
    rec.subject = "good_guy:" + std::to_string(g.id);
    rec.inputs = Json{{"action", "remove"}, {"good_guy", g.id}, {"reason", reason}}.dump(
        -1, ' ', false, Json::error_handler_t::replace);
    rec.outputs = GoodGuyRecordJson(g).dump(-1, ' ', false, Json::error_handler_t::replace);
    DU_ASSIGN_OR_RETURN(PreparedRecord prepared, PreparedRecord::Make(std::move(rec)));
    DU_ASSIGN_OR_RETURN(std::vector<Record> recs, AppendLocked({prepared}));
    g.removed_record = recs[0].id;
    DU_RETURN_IF_ERROR(conn_
                           ->Query("UPDATE good_guys SET removed_by = $1, removed_at = $2, "
                                   "removed_record = $3 WHERE id = $4",
                                   {g.removed_by, g.removed_at, g.removed_record, g.id})
                           .status());
    DU_RETURN_IF_ERROR(txn.Commit());
    return g;
  }

  Result<std::vector<GoodGuy>> GoodGuys(bool include_removed) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query(std::string("SELECT ") + kGoodGuyColumns + " FROM good_guys" +
                     (include_removed ? "" : " WHERE removed_at = ''") + " ORDER BY id"));
    std::vector<GoodGuy> out;
    for (const Row& r : rows)
      out.push_back(GoodGuyFromRow(r));
    return out;
  }

  Result<std::pair<AlertOutcome, int64_t>> AddAlert(const AlertInput& alert) override {
    DU_ASSIGN_OR_RETURN(auto v, AddAlerts({alert}));
    return v.at(0);
  }

  Result<std::vector<std::pair<AlertOutcome, int64_t>>> AddAlerts(
      const std::vector<AlertInput>& alerts) override {
    for (const auto& a : alerts)
      DU_RETURN_IF_ERROR(ValidateAlert(a));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    std::vector<std::pair<AlertOutcome, int64_t>> out;
    for (const auto& a : alerts) {
      DU_ASSIGN_OR_RETURN(auto o, AddAlertLocked(a));
      out.push_back(o);
    }
    DU_RETURN_IF_ERROR(txn.Commit());
    return out;
  }

  Result<Alert> GetAlertLocked(int64_t id) {
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(std::string("SELECT ") + kAlertColumns +
                                                    " FROM alerts a LEFT JOIN counterparties c "
                                                    "ON c.id = a.counterparty_id WHERE a.id = $1",
                                                {id}));
    if (rows.empty()) return Status::NotFound("alert " + std::to_string(id) + ": no such alert");
    return AlertFromRow(rows[0]);
  }

  Result<Alert> GetAlert(int64_t id) override {
    std::lock_guard lock(mu_);
    return GetAlertLocked(id);
  }

  Result<std::vector<Alert>> Alerts(const std::string& state) override {
    std::lock_guard lock(mu_);
    std::string sql = std::string("SELECT ") + kAlertColumns +
                      " FROM alerts a LEFT JOIN counterparties c ON c.id = a.counterparty_id";
    std::vector<Param> params;
    if (state == kPendingDismissal) {
      sql += " WHERE a.state = 'open' AND a.decision_record <> 0";
    } else if (!state.empty()) {
      sql += " WHERE a.state = $1";
      params.push_back(state);
    }
    sql += " ORDER BY a.id";
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql, params));
    std::vector<Alert> out;
    for (auto& r : rows)
      out.push_back(AlertFromRow(r));
    return out;
  }

  Result<Record> DecideAlert(int64_t id, bool confirm, const std::string& reason,
                             const std::string& actor,
                             const std::optional<RecordInput>& record) override {
    bool blank = true;
    for (char c : reason)
      blank = blank && std::isspace(static_cast<unsigned char>(c));
    if (blank) return Status::InvalidArgument("review: --reason: expected a reason");
    DU_RETURN_IF_ERROR(CheckText("reason", reason));
    DU_RETURN_IF_ERROR(CheckText("actor", actor));
    if (record) DU_RETURN_IF_ERROR(ValidateRecord(*record));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Alert a, GetAlertLocked(id));
    const bool pending = a.state == kPendingDismissal;
    if (a.state != "open" && !pending) {
      return Status::FailedPrecondition("alert " + std::to_string(id) + ": already " + a.state +
                                        " by " + a.decided_by + " at " + a.decided_at);
    }
    std::string decision = confirm ? "confirmed" : "dismissed";
    // Four eyes for an exact hit on an asset-freeze list: dismissing it
    // takes two reviewers, neither of whom made the request that raised it.
    if (!confirm && NeedsTwoReviewers(a)) {
      if (a.record_id != 0) {
        DU_ASSIGN_OR_RETURN(Rows raiser,
                            conn_->Query("SELECT actor FROM records WHERE id = $1", {a.record_id}));
        if (!raiser.empty() && S(raiser[0][0]) == actor) {
          return Status::FailedPrecondition("alert " + std::to_string(id) +
                                            ": an exact hit on an asset-freeze list cannot be "
                                            "dismissed by the user whose request raised it");
        }
      }
      if (pending && a.decided_by == actor) {
        return Status::FailedPrecondition("alert " + std::to_string(id) + ": " + actor +
                                          " already proposed to dismiss it; a second reviewer "
                                          "must dismiss an exact asset-freeze hit");
      }
      if (!pending) decision = kPendingDismissal;
    }
    RecordInput in;
    if (record) {
      in = *record;
      // The record states the alert's new state (Verify checks it).
      Json out = Json::parse(in.outputs, nullptr, false);
      if (out.is_object()) {
        out["state"] = decision;
        in.outputs = out.dump(-1, ' ', false, Json::error_handler_t::replace);
      }
    } else {
      in.kind = kKindReviewDecision;
      in.actor = actor;
      in.subject = a.counterparty_key.empty() ? a.subject : a.counterparty_key;
      Json inputs = {{"alert", id}, {"decision", decision}, {"reason", reason}};
      Json outputs = {{"alert", id},
                      {"state", decision},
                      {"counterparty", a.counterparty_key},
                      {"counterparty_hash", a.counterparty_hash},
                      {"kind", a.kind},
                      {"list", a.list},
                      {"list_version", a.list_version},
                      {"entity_id", a.entity_id},
                      {"entity_hash", a.entity_hash},
                      {"entity_name", a.entity_name},
                      {"matched_name", a.matched_name},
                      {"score", a.score},
                      {"effect", a.effect},
                      {"jurisdiction", a.jurisdiction}};
      in.inputs = inputs.dump();
      in.outputs = outputs.dump();
      if (!a.list.empty()) in.list_versions = Json{{a.list, a.list_version}}.dump();
    }
    DU_ASSIGN_OR_RETURN(PreparedRecord prepared, PreparedRecord::Make(std::move(in)));
    DU_ASSIGN_OR_RETURN(std::vector<Record> recs, AppendLocked({prepared}));
    DU_RETURN_IF_ERROR(conn_
                           ->Query("UPDATE alerts SET state = $1, decided_at = $2, decided_by = "
                                   "$3, reason = $4, decision_record = $5 WHERE id = $6",
                                   {decision == kPendingDismissal ? std::string("open") : decision,
                                    recs[0].recorded_at, actor, reason, recs[0].id, id})
                           .status());
    DU_RETURN_IF_ERROR(txn.Commit());
    return recs[0];
  }

  Result<std::vector<ConfirmedMatch>> ConfirmedMatchesFor(const std::string& key) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query("SELECT a.id, a.list_id, a.list_version, a.entity_id, a.entity_name, "
                     "a.effect, a.jurisdiction, a.decided_by, a.decided_at, a.reason, "
                     "a.also_listed FROM alerts "
                     "a JOIN counterparties c ON c.id = a.counterparty_id WHERE c.key = $1 AND "
                     "a.state = 'confirmed' ORDER BY a.id",
                     {key}));
    std::vector<ConfirmedMatch> out;
    for (auto& r : rows) {
      ConfirmedMatch m;
      m.alert_id = ToInt(r[0]);
      m.list = S(r[1]);
      m.list_version = S(r[2]);
      m.entity_id = S(r[3]);
      m.entity_name = S(r[4]);
      m.effect = S(r[5]);
      m.jurisdiction = S(r[6]);
      m.decided_by = S(r[7]);
      m.decided_at = S(r[8]);
      m.reason = S(r[9]);
      out.push_back(m);
      // The same entity on other lists, attached to the confirmed item:
      // each listing's own effect applies.
      Json also = Json::parse(S(r[10]), nullptr, false);
      if (!also.is_array()) continue;
      for (const Json& l : also) {
        if (!l.is_object()) continue;
        ConfirmedMatch extra = m;
        extra.list = l.value("list", "");
        extra.list_version = l.value("list_version", "");
        extra.entity_id = l.value("entity_id", "");
        extra.entity_name = l.value("entity_name", "");
        extra.effect = l.value("effect", "");
        extra.jurisdiction = l.value("jurisdiction", "");
        out.push_back(std::move(extra));
      }
    }
    return out;
  }

  // -------------------------------------------------------------- users

  static User UserFromRow(const Row& r) {
    User u;
    u.id = ToInt(r[0]);
    u.name = S(r[1]);
    u.password_hash = S(r[2]);
    u.role = S(r[3]);
    u.created_at = S(r[4]);
    u.disabled = ToInt(r[5]) != 0;
    u.organisation = S(r[6]);
    return u;
  }

  Result<User> CreateUser(const std::string& name, const std::string& password_hash,
                          const std::string& role, const std::string& actor) override {
    if (name.empty() || !IsUtf8TextWithoutNul(name)) {
      return Status::InvalidArgument("user: name: expected a non-empty UTF-8 name");
    }
    DU_RETURN_IF_ERROR(CheckText("password_hash", password_hash));
    DU_RETURN_IF_ERROR(CheckText("role", role));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Rows have, conn_->Query("SELECT id FROM users WHERE name = $1", {name}));
    if (!have.empty()) return Status::AlreadyExists("user " + name + ": already exists");
    DU_ASSIGN_OR_RETURN(
        Rows rows, conn_->Query("INSERT INTO users (name, password_hash, role, created_at) VALUES "
                                "($1, $2, $3, $4) RETURNING id, name, password_hash, role, "
                                "created_at, disabled, organisation",
                                {name, password_hash, role, Clock::NowTimestamp()}));
    User u = UserFromRow(rows.at(0));
    DU_RETURN_IF_ERROR(RecordUserLocked(u, "create", actor));
    DU_RETURN_IF_ERROR(txn.Commit());
    return u;
  }

  Result<User> GetUserWhere(const std::string& cond, Param p, const std::string& what) {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query(
            "SELECT id, name, password_hash, role, created_at, disabled, organisation FROM users "
            "WHERE " +
                cond,
            {std::move(p)}));
    if (rows.empty()) return Status::NotFound("user " + what + ": no such user");
    return UserFromRow(rows[0]);
  }
  Result<User> GetUserByName(const std::string& name) override {
    return GetUserWhere("name = $1", name, name);
  }
  Result<User> GetUser(int64_t id) override {
    return GetUserWhere("id = $1", id, std::to_string(id));
  }
  Result<std::vector<User>> Users() override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT id, name, password_hash, role, "
                                                "created_at, disabled, organisation FROM users "
                                                "ORDER BY id"));
    std::vector<User> out;
    for (auto& r : rows)
      out.push_back(UserFromRow(r));
    return out;
  }
  // A kKindUser record of the user's state after `action`, within the
  // caller's write transaction.
  Status RecordUserLocked(const User& u, const std::string& action, const std::string& actor) {
    DU_RETURN_IF_ERROR(CheckText("actor", actor));
    return RecordLocked(kKindUser, "user:" + u.name, actor, {{"action", action}}, UserState(u));
  }
  static Json UserState(const User& u) {
    return {{"name", u.name},
            {"role", u.role},
            {"disabled", u.disabled},
            {"organisation", u.organisation}};
  }
  static Json TokenState(const Token& t, const std::string& user) {
    return {{"token", t.id}, {"user", user}, {"expires_at", t.expires_at}, {"revoked", t.revoked}};
  }
  Status RecordLocked(const char* kind, const std::string& subject, const std::string& actor,
                      const Json& inputs, const Json& outputs) {
    RecordInput in;
    in.kind = kind;
    in.actor = actor;
    in.subject = subject;
    in.inputs = inputs.dump(-1, ' ', false, Json::error_handler_t::replace);
    in.outputs = outputs.dump(-1, ' ', false, Json::error_handler_t::replace);
    DU_ASSIGN_OR_RETURN(PreparedRecord p, PreparedRecord::Make(std::move(in)));
    return AppendLocked({p}).status();
  }
  Result<User> UserLocked(int64_t id) {
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT id, name, password_hash, role, created_at, "
                                                "disabled, organisation FROM users WHERE id = $1",
                                                {id}));
    if (rows.empty()) return Status::NotFound("user " + std::to_string(id) + ": no such user");
    return UserFromRow(rows[0]);
  }
  Status UpdateUser(const std::string& sql, std::vector<Param> params, const std::string& action,
                    const std::string& actor) {
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql + " RETURNING id", params));
    if (rows.empty()) return Status::NotFound("user: no such user");
    if (!action.empty()) {
      DU_ASSIGN_OR_RETURN(User u, UserLocked(ToInt(rows[0][0])));
      DU_RETURN_IF_ERROR(RecordUserLocked(u, action, actor));
      DU_RETURN_IF_ERROR(AnnounceLocked("users"));
    }
    return txn.Commit();
  }
  Status SetUserPassword(int64_t id, const std::string& password_hash) override {
    DU_RETURN_IF_ERROR(CheckText("password_hash", password_hash));
    return UpdateUser("UPDATE users SET password_hash = $1 WHERE id = $2", {password_hash, id}, "",
                      "");
  }
  Status SetUserDisabled(int64_t id, bool disabled, const std::string& actor) override {
    return UpdateUser("UPDATE users SET disabled = $1 WHERE id = $2", {disabled ? 1 : 0, id},
                      disabled ? "disable" : "enable", actor);
  }
  Status SetUserRole(int64_t id, const std::string& role, const std::string& actor) override {
    DU_RETURN_IF_ERROR(CheckText("role", role));
    return UpdateUser("UPDATE users SET role = $1 WHERE id = $2", {role, id}, "role", actor);
  }
  Status SetUserOrganisation(int64_t id, const std::string& organisation,
                             const std::string& actor) override {
    DU_RETURN_IF_ERROR(CheckText("organisation", organisation));
    return UpdateUser("UPDATE users SET organisation = $1 WHERE id = $2", {organisation, id},
                      "organisation", actor);
  }
  Status AddToken(const Token& t, const std::string& actor) override {
    for (const std::string* s : {&t.id, &t.hash, &t.expires_at}) {
      DU_RETURN_IF_ERROR(CheckText("token", *s));
    }
    if (t.id.empty()) return Status::InvalidArgument("token: id: expected an id");
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Rows have, conn_->Query("SELECT id FROM tokens WHERE id = $1", {t.id}));
    if (!have.empty()) return Status::AlreadyExists("token " + t.id + ": already exists");
    DU_ASSIGN_OR_RETURN(Rows user,
                        conn_->Query("SELECT id, name FROM users WHERE id = $1", {t.user_id}));
    if (user.empty()) return Status::NotFound("token: user " + std::to_string(t.user_id));
    DU_RETURN_IF_ERROR(CheckText("actor", actor));
    Token issued = t;
    issued.revoked = false;
    DU_RETURN_IF_ERROR(RecordLocked(kKindToken, "token:" + t.id, actor, {{"action", "issue"}},
                                    TokenState(issued, S(user[0][1]))));
    DU_RETURN_IF_ERROR(
        conn_
            ->Query("INSERT INTO tokens (id, hash, user_id, created_at, expires_at, revoked) "
                    "VALUES ($1, $2, $3, $4, $5, 0)",
                    {t.id, t.hash, t.user_id,
                     t.created_at.empty() ? Clock::NowTimestamp() : t.created_at, t.expires_at})
            .status());
    return txn.Commit();
  }
  Result<Token> LookupToken(const std::string& id) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows,
                        conn_->Query("SELECT t.id, t.hash, t.user_id, t.created_at, t.expires_at, "
                                     "t.revoked, u.disabled FROM tokens t JOIN users u ON u.id = "
                                     "t.user_id WHERE t.id = $1",
                                     {id}));
    if (rows.empty()) return Status::NotFound("token: unknown");
    Token t;
    t.id = S(rows[0][0]);
    t.hash = S(rows[0][1]);
    t.user_id = ToInt(rows[0][2]);
    t.created_at = S(rows[0][3]);
    t.expires_at = S(rows[0][4]);
    t.revoked = ToInt(rows[0][5]) != 0;
    if (t.revoked) return Status::NotFound("token: revoked");
    if (ToInt(rows[0][6]) != 0) return Status::NotFound("token: user disabled");
    if (!t.expires_at.empty() && t.expires_at <= Clock::NowTimestamp()) {
      return Status::NotFound("token: expired");
    }
    return t;
  }
  Status RevokeToken(const std::string& id, const std::string& actor) override {
    DU_RETURN_IF_ERROR(CheckText("actor", actor));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query(
            "UPDATE tokens SET revoked = 1 WHERE id = $1 RETURNING id, user_id, expires_at", {id}));
    if (rows.empty()) return Status::NotFound("token: unknown");
    DU_ASSIGN_OR_RETURN(User u, UserLocked(ToInt(rows[0][1])));
    Token t;
    t.id = id;
    t.expires_at = S(rows[0][2]);
    t.revoked = true;
    DU_RETURN_IF_ERROR(RecordLocked(kKindToken, "token:" + id, actor, {{"action", "revoke"}},
                                    TokenState(t, u.name)));
    DU_RETURN_IF_ERROR(AnnounceLocked("tokens"));
    return txn.Commit();
  }

  // NOTIFY within the caller's transaction: delivered at its commit, never
  // for a change rolled back (PostgreSQL; SQLite has no notifications).
  Status AnnounceLocked(const std::string& kind) {
    if (conn_->dialect() != internal::Dialect::kPostgres) return Status::Ok();
    return conn_->Query("SELECT pg_notify($1, $2)", {kChangeChannel, kind}).status();
  }
  Status AnnounceChange(const std::string& kind) override {
    DU_RETURN_IF_ERROR(CheckText("kind", kind));
    std::lock_guard lock(mu_);
    return AnnounceLocked(kind);
  }
  Result<std::string> AccessStamp() override {
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginRead());
    DU_ASSIGN_OR_RETURN(Rows users, conn_->Query("SELECT id, role, disabled, organisation FROM "
                                                 "users ORDER BY id"));
    DU_ASSIGN_OR_RETURN(Rows tokens, conn_->Query("SELECT id, revoked, expires_at FROM "
                                                  "tokens ORDER BY id"));
    DU_RETURN_IF_ERROR(txn.Commit());
    std::string text;
    for (const Rows* rows : {&users, &tokens}) {
      for (const Row& r : *rows) {
        for (const auto& f : r) {
          text += f.value_or("\\N");
          text += '\x1f';
        }
        text += '\x1e';
      }
      text += '\x1d';
    }
    return Sha256Hex(text);
  }
  Status ReplaceTokenHash(const std::string& id, const std::string& old_hash,
                          const std::string& new_hash) override {
    DU_RETURN_IF_ERROR(CheckText("token", new_hash));
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("UPDATE tokens SET hash = $1 WHERE id = $2 AND "
                                                "hash = $3 RETURNING id",
                                                {new_hash, id, old_hash}));
    if (rows.empty()) return Status::NotFound("token " + id + ": not found with that hash");
    return txn.Commit();
  }
  Result<std::vector<Token>> TokensOf(int64_t user_id) override {
    std::lock_guard lock(mu_);
    DU_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT id, hash, user_id, created_at, expires_at, "
                                                "revoked FROM tokens WHERE user_id = $1 ORDER BY "
                                                "created_at, id",
                                                {user_id}));
    std::vector<Token> out;
    for (const Row& r : rows) {
      Token t;
      t.id = S(r[0]);
      t.hash = S(r[1]);
      t.user_id = ToInt(r[2]);
      t.created_at = S(r[3]);
      t.expires_at = S(r[4]);
      t.revoked = ToInt(r[5]) != 0;
      out.push_back(std::move(t));
    }
    return out;
  }

  // Records the users and tokens that exist without a record (a store
  // upgraded from schema version 1), once, when the upgrade runs.
  Status BaselineUsersAndTokens() {
    std::lock_guard lock(mu_);
    Txn txn(*conn_);
    DU_RETURN_IF_ERROR(txn.BeginWrite());
    DU_ASSIGN_OR_RETURN(Rows users, conn_->Query("SELECT id, name, password_hash, role, "
                                                 "created_at, disabled, organisation FROM users "
                                                 "ORDER BY id"));
    for (const Row& r : users)
      DU_RETURN_IF_ERROR(RecordUserLocked(UserFromRow(r), "baseline", "system"));
    DU_ASSIGN_OR_RETURN(Rows tokens,
                        conn_->Query("SELECT t.id, t.expires_at, t.revoked, u.name FROM tokens t "
                                     "JOIN users u ON u.id = t.user_id ORDER BY t.id"));
    for (const Row& r : tokens) {
      Token t;
      t.id = S(r[0]);
      t.expires_at = S(r[1]);
      t.revoked = ToInt(r[2]) != 0;
      DU_RETURN_IF_ERROR(RecordLocked(kKindToken, "token:" + t.id, "system",
                                      {{"action", "baseline"}}, TokenState(t, S(r[3]))));
    }
    return txn.Commit();
  }

  // Within Verify()'s read transaction: the tables whose rows are not
  // records themselves agree with the records that describe them.
  Status CheckStateLocked(VerifyReport* rep) {
    auto problem = [&](int64_t id, const char* what, std::string msg) {
      rep->problems.push_back({id, what, std::move(msg)});
    };
    // Alerts: a decided alert names its review_decision record, by the
    // reviewer it says, about this alert and this decision.
    DU_ASSIGN_OR_RETURN(
        Rows alerts,
        conn_->Query("SELECT a.id, a.state, a.decided_by, a.decision_record, r.kind, r.actor, "
                     "r.outputs FROM alerts a LEFT JOIN records r ON r.id = a.decision_record "
                     "WHERE a.state <> 'open' OR a.decision_record <> 0 ORDER BY a.id"));
    for (const Row& a : alerts) {
      const int64_t id = ToInt(a[0]);
      const std::string state =
          S(a[1]) == "open" && ToInt(a[3]) != 0 ? std::string(kPendingDismissal) : S(a[1]);
      Json out = Json::parse(S(a[6]), nullptr, false);
      bool about = out.is_object() && out.value("alert", int64_t{-1}) == id &&
                   (out.value("state", std::string()) == state ||
                    out.value("decision", std::string()) == state);
      if (S(a[4]) != kKindReviewDecision || S(a[5]) != S(a[2]) || !about) {
        problem(ToInt(a[3]), "alert",
                "alert " + std::to_string(id) + " is " + state + " by '" + S(a[2]) +
                    "' but no review_decision record says so (record " + S(a[3]) + ")");
      }
    }
    // Good guys: each entry, and each removal, is the good_guy record it
    // names, by the reviewer it says, about this entry and what it holds.
    DU_ASSIGN_OR_RETURN(
        Rows good, conn_->Query("SELECT g.id, g.reviewer, g.record_id, r.kind, r.actor, r.outputs, "
                                "g.removed_at, g.removed_by, g.removed_record, q.kind, q.actor, "
                                "q.outputs, g.counterparty, g.list_id, g.entity_id, g.reason "
                                "FROM good_guys g LEFT JOIN records r ON r.id = g.record_id "
                                "LEFT JOIN records q ON q.id = g.removed_record ORDER BY g.id"));
    // What the chain says: entries added, and removed (good guy -> record).
    std::map<int64_t, int64_t> chain_added, chain_removed;
    DU_ASSIGN_OR_RETURN(Rows gg_recs,
                        conn_->Query("SELECT id, outputs FROM records WHERE kind = $1 "
                                     "ORDER BY id",
                                     {kKindGoodGuy}));
    for (const Row& r : gg_recs) {
      Json out = Json::parse(S(r[1]), nullptr, false);
      if (!out.is_object()) continue;
      const int64_t gid = out.value("good_guy", int64_t{-1});
      (out.value("removed", false) ? chain_removed : chain_added)[gid] = ToInt(r[0]);
    }
    std::set<int64_t> rows_seen;
    for (const Row& g : good) {
      const int64_t id = ToInt(g[0]);
      rows_seen.insert(id);
      if (auto it = chain_removed.find(id);
          it != chain_removed.end() && ToInt(g[8]) != it->second) {
        problem(it->second, "good_guy",
                "good guy " + std::to_string(id) + " is in force but record " +
                    std::to_string(it->second) + " removed it");
      }
      Json added = Json::parse(S(g[5]), nullptr, false);
      bool about = added.is_object() && added.value("good_guy", int64_t{-1}) == id &&
                   added.value("counterparty", std::string()) == S(g[12]) &&
                   added.value("list", std::string()) == S(g[13]) &&
                   added.value("entity_id", std::string()) == S(g[14]) &&
                   added.value("reason", std::string()) == S(g[15]);
      if (S(g[3]) != kKindGoodGuy || S(g[4]) != S(g[1]) || !about) {
        problem(ToInt(g[2]), "good_guy",
                "good guy " + std::to_string(id) + " by '" + S(g[1]) +
                    "' differs from its good_guy record (record " + S(g[2]) + ")");
      }
      if (S(g[6]).empty() && ToInt(g[8]) == 0) continue;
      Json removed = Json::parse(S(g[11]), nullptr, false);
      bool says = removed.is_object() && removed.value("good_guy", int64_t{-1}) == id &&
                  removed.value("removed", false);
      if (S(g[9]) != kKindGoodGuy || S(g[10]) != S(g[7]) || !says) {
        problem(ToInt(g[8]), "good_guy",
                "good guy " + std::to_string(id) + " is removed by '" + S(g[7]) +
                    "' but no good_guy record says so (record " + S(g[8]) + ")");
      }
    }
    for (const auto& [gid, rec] : chain_added) {
      if (!rows_seen.count(gid)) {
        problem(rec, "good_guy",
                "good guy " + std::to_string(gid) + " of record " + std::to_string(rec) +
                    " is missing from the good-guy list");
      }
    }
    // Users and tokens: the latest record of each agrees with its row.
    std::map<std::string, std::pair<int64_t, Json>> latest;
    DU_ASSIGN_OR_RETURN(Rows recs,
                        conn_->Query("SELECT id, subject, outputs FROM records WHERE kind = $1 OR "
                                     "kind = $2 ORDER BY id",
                                     {kKindUser, kKindToken}));
    for (const Row& r : recs)
      latest[S(r[1])] = {ToInt(r[0]), Json::parse(S(r[2]), nullptr, false)};
    DU_ASSIGN_OR_RETURN(Rows users, conn_->Query("SELECT id, name, password_hash, role, "
                                                 "created_at, disabled, organisation FROM users "
                                                 "ORDER BY id"));
    for (const Row& r : users) {
      User u = UserFromRow(r);
      auto it = latest.find("user:" + u.name);
      if (it == latest.end()) {
        problem(0, "user", "user '" + u.name + "' has no record: added behind the store's back");
      } else if (it->second.second != UserState(u)) {
        problem(it->second.first, "user",
                "user '" + u.name + "' is " + UserState(u).dump() + " but its last record " +
                    std::to_string(it->second.first) + " says " + it->second.second.dump());
      }
    }
    DU_ASSIGN_OR_RETURN(Rows tokens,
                        conn_->Query("SELECT t.id, t.expires_at, t.revoked, u.name FROM tokens t "
                                     "LEFT JOIN users u ON u.id = t.user_id ORDER BY t.id"));
    for (const Row& r : tokens) {
      Token t;
      t.id = S(r[0]);
      t.expires_at = S(r[1]);
      t.revoked = ToInt(r[2]) != 0;
      Json state = TokenState(t, S(r[3]));
      auto it = latest.find("token:" + t.id);
      if (it == latest.end()) {
        problem(0, "token", "token " + t.id + " has no record: added behind the store's back");
      } else if (it->second.second != state) {
        problem(it->second.first, "token",
                "token " + t.id + " is " + state.dump() + " but its last record " +
                    std::to_string(it->second.first) + " says " + it->second.second.dump());
      }
    }
    return Status::Ok();
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Conn> conn_;
  std::string where_;
};

bool IsPostgresUrl(const std::string& t) {
  return t.rfind("postgresql://", 0) == 0 || t.rfind("postgres://", 0) == 0;
}

}  // namespace

namespace {

// The parts of the canonical serialisation (see CanonicalRecord: sorted keys
// actor, id, inputs, kind, law_version, list_versions, outputs, prev_hash,
// recorded_at, subject, v) that do not depend on the record's place in the
// chain. The texts must be valid UTF-8 without NUL.
void CanonicalParts(const RecordInput& r, std::string* head, std::string* middle,
                    std::string* tail) {
  head->reserve(16 + r.actor.size() + r.actor.size() / 8);
  head->append("{\"actor\":");
  AppendJsonString(head, r.actor);
  head->append(",\"id\":");
  size_t size = 80;
  for (const std::string* t : {&r.inputs, &r.kind, &r.law_version, &r.list_versions, &r.outputs})
    size += t->size() + t->size() / 8;
  middle->reserve(size);
  auto field = [middle](const char* key, const std::string& value) {
    middle->append(key);
    AppendJsonString(middle, value);
  };
  field(",\"inputs\":", r.inputs);
  field(",\"kind\":", r.kind);
  field(",\"law_version\":", r.law_version);
  field(",\"list_versions\":", r.list_versions);
  field(",\"outputs\":", r.outputs);
  tail->append(",\"subject\":");
  AppendJsonString(tail, r.subject);
  tail->append(",\"v\":1}");
}

std::string AssembleCanonical(const std::string& head, const std::string& middle,
                              const std::string& tail, int64_t id, const std::string& recorded_at,
                              const std::string& prev_hash) {
  std::string out;
  out.reserve(head.size() + middle.size() + tail.size() + prev_hash.size() + recorded_at.size() +
              64);
  out.append(head);
  out.append(std::to_string(id));
  out.append(middle);
  out.append(",\"prev_hash\":");
  AppendJsonString(&out, prev_hash);
  out.append(",\"recorded_at\":");
  AppendJsonString(&out, recorded_at);
  out.append(tail);
  return out;
}

}  // namespace

std::optional<std::string> internal::CanonicalRecordFast(const Record& r) {
  for (const std::string* t : {&r.actor, &r.inputs, &r.kind, &r.law_version, &r.list_versions,
                               &r.outputs, &r.prev_hash, &r.recorded_at, &r.subject}) {
    if (!IsUtf8TextWithoutNul(*t)) return std::nullopt;
  }
  std::string head, middle, tail;
  CanonicalParts(r, &head, &middle, &tail);
  return AssembleCanonical(head, middle, tail, r.id, r.recorded_at, r.prev_hash);
}

Result<PreparedRecord> PreparedRecord::Make(RecordInput input) {
  // ValidateRecord checks every text the parts hold for UTF-8 without NUL
  // (kind is a lower-case word), so the fast serialisation applies.
  DU_RETURN_IF_ERROR(ValidateRecord(input));
  PreparedRecord p;
  p.input_ = std::move(input);
  CanonicalParts(p.input_, &p.head_, &p.middle_, &p.tail_);
  return p;
}

Result<PreparedRecord> PreparedRecord::MakeSerialised(RecordInput input) {
  DU_RETURN_IF_ERROR(ValidateRecord(input, JsonOrigin::kSerialised));
  PreparedRecord p;
  p.input_ = std::move(input);
  CanonicalParts(p.input_, &p.head_, &p.middle_, &p.tail_);
  return p;
}

std::string PreparedRecord::Canonical(int64_t id, const std::string& recorded_at,
                                      const std::string& prev_hash) const {
  return AssembleCanonical(head_, middle_, tail_, id, recorded_at, prev_hash);
}

Result<std::unique_ptr<ChangeListener>> ListenForChanges(const std::string& target) {
  if (!IsPostgresUrl(target)) {
    return Status::FailedPrecondition("change notifications need a PostgreSQL store");
  }
  return internal::ListenPostgres(target);
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& target, const OpenOptions& options) {
  std::unique_ptr<Conn> conn;
  std::string where, marker;
  if (target.empty()) return Status::InvalidArgument("--db: expected a path or a URL");
  if (IsPostgresUrl(target)) {
    DU_ASSIGN_OR_RETURN(conn, internal::OpenPostgres(target));
    where = target.substr(0, target.find("://") + 3) + "...";
    auto slash = target.rfind('/');
    if (slash != std::string::npos && slash > target.find("://") + 2) {
      where = "postgresql database " + target.substr(slash + 1);
    }
  } else {
    std::string path = target;
    if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
    // A store that existed is never silently replaced by a new, empty one:
    // the marker beside it says it existed (docs/security.md).
    marker = path + ".marker";
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    const bool has_marker = std::filesystem::exists(marker, ec);
    // A zero-byte file without a marker is a creation that was interrupted
    // before its first commit (SQLite makes the file when it opens it; the
    // marker follows the first commit): nothing was ever stored, so the
    // store is created in it.
    if (exists && has_marker && std::filesystem::is_regular_file(path, ec) &&
        std::filesystem::file_size(path, ec) == 0 && !ec) {
      return Status::DataLoss(path +
                              ": the store file is empty (0 bytes): it was emptied or "
                              "truncated; restore it from a backup (a new store is never "
                              "created over an empty file)");
    }
    if (!exists && has_marker) {
      return Status::DataLoss(path + ": the store is missing but " + marker +
                              " says one was created here; restore it from a backup, or "
                              "remove the marker to start a new, empty store");
    }
    DU_ASSIGN_OR_RETURN(conn, internal::OpenSqlite(path, options));
    where = path;
  }
  std::vector<int> applied;
  DU_RETURN_IF_ERROR(internal::Migrate(*conn, where, &applied));
  DU_RETURN_IF_ERROR(BackfillScreeningItems(*conn).WithPrefix(where));
  if (!marker.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(marker, ec)) {
      std::FILE* f = std::fopen(marker.c_str(), "wx");
      if (f) {
        std::fprintf(f, "dualuse store created or first seen %s\n", Clock::NowTimestamp().c_str());
        std::fclose(f);
      }
    }
  }
  auto store = std::make_unique<SqlStore>(std::move(conn), where);
  // Upgraded from version 1 just now: its users and tokens get their records.
  if (std::find(applied.begin(), applied.end(), 2) != applied.end() &&
      std::find(applied.begin(), applied.end(), 1) == applied.end()) {
    DU_RETURN_IF_ERROR(store->BaselineUsersAndTokens());
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace dualuse::store

namespace dualuse::store {

std::string AnchorText(const Anchor& a) {
  return "dualuse-anchor/1 records=" + std::to_string(a.records) + " head=" + a.head_hash +
         " at=" + a.at;
}

Result<Anchor> ParseAnchor(std::string_view text) {
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("anchor: " + what +
                                   " (expected \"dualuse-anchor/1 records=N head=HEX64 at=TIME\")");
  };
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  const std::string_view kMagic = "dualuse-anchor/1 ";
  if (text.substr(0, kMagic.size()) != kMagic) return bad("not an anchor");
  text.remove_prefix(kMagic.size());
  Anchor a;
  bool have_records = false;
  while (!text.empty()) {
    size_t sp = text.find(' ');
    std::string_view field = text.substr(0, sp);
    text = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
    size_t eq = field.find('=');
    if (eq == std::string_view::npos) return bad("field \"" + std::string(field) + "\"");
    std::string_view key = field.substr(0, eq), value = field.substr(eq + 1);
    if (key == "records") {
      if (value.empty() || value.size() > 18 ||
          value.find_first_not_of("0123456789") != std::string_view::npos) {
        return bad("records: expected a count");
      }
      a.records = std::stoll(std::string(value));
      have_records = true;
    } else if (key == "head") {
      if (value.size() != 64 ||
          value.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return bad("head: expected 64 lower-case hex digits");
      }
      a.head_hash = value;
    } else if (key == "at") {
      a.at = value;
    } else {
      return bad("unknown field \"" + std::string(key) + "\"");
    }
  }
  if (!have_records || a.head_hash.empty()) return bad("records and head are required");
  return a;
}

Result<Anchor> Store::MakeAnchor() {
  DU_ASSIGN_OR_RETURN(VerifyReport rep, Verify());
  if (!rep.ok()) {
    return Status::DataLoss("audit anchor: the chain does not verify (" +
                            rep.problems.front().message + "); no anchor taken");
  }
  Anchor a;
  a.records = rep.records;
  a.head_hash = rep.head_hash;
  a.at = Clock::NowTimestamp();
  return a;
}

Result<VerifyReport> Store::VerifyWithAnchor(const Anchor& anchor) {
  DU_ASSIGN_OR_RETURN(VerifyReport rep, Verify());
  const std::string n = std::to_string(anchor.records);
  if (anchor.records == 0) {
    if (anchor.head_hash != kGenesisHash) {
      rep.problems.push_back({0, "rewritten",
                              "the anchor of 0 records names a head other than "
                              "the genesis hash"});
    }
    return rep;
  }
  if (rep.records < anchor.records) {
    rep.problems.push_back({rep.records + 1, "truncated",
                            "the store holds " + std::to_string(rep.records) +
                                " records; the anchor taken at " + anchor.at + " saw " + n +
                                ": records were cut or the store was replaced"});
    return rep;
  }
  Result<Record> at = GetRecord(anchor.records);
  if (!at.ok() || at->hash != anchor.head_hash) {
    rep.problems.push_back({anchor.records, "rewritten",
                            "record " + n + " is not the record the anchor taken at " + anchor.at +
                                " saw (hash " + (at.ok() ? at->hash : "missing") + ", anchor " +
                                anchor.head_hash +
                                "): the chain up to it was rewritten or the store replaced"});
  }
  return rep;
}

}  // namespace dualuse::store
