// Versioned schema migrations, one SQL script per version and dialect.
//
// A migration is applied once, inside the writer transaction, and recorded in
// schema_migrations. Never edit a released migration: add the next version.
#include <set>
#include <string>
#include <vector>

#include "dualuse/base/clock.h"
#include "store/sql.h"

namespace dualuse::store::internal {
namespace {

struct Migration {
  int version;
  const char* name;
  const char* sqlite;
  const char* postgres;
};

// Version 1: records (append-only, hash-chained), chain head, counterparty
// register, review queue, rescreen state, users and tokens.
constexpr const char* kV1Sqlite = R"sql(
CREATE TABLE dualuse_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO dualuse_meta (key, value) VALUES ('application', 'dualuse');
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  recorded_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  inputs TEXT NOT NULL,
  outputs TEXT NOT NULL,
  law_version TEXT NOT NULL,
  list_versions TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX records_at ON records (recorded_at);
CREATE INDEX records_subject ON records (subject);
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only: UPDATE refused'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only: DELETE refused'); END;
CREATE TABLE chain_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO chain_head (singleton, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE counterparties (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL,
  country TEXT NOT NULL,
  schema TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  identifiers TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  version INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  screened_hash TEXT NOT NULL DEFAULT ''
);
CREATE TABLE list_screen_state (list_id TEXT PRIMARY KEY, version TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  counterparty_id INTEGER REFERENCES counterparties (id),
  subject TEXT NOT NULL,
  record_id INTEGER NOT NULL DEFAULT 0,
  counterparty_hash TEXT NOT NULL,
  kind TEXT NOT NULL,
  list_id TEXT NOT NULL,
  list_version TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  entity_hash TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  matched_name TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  effect TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  programs TEXT NOT NULL,
  details TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'dismissed')),
  decided_at TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  decision_record INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_pair ON alerts (counterparty_id, list_id, entity_id);
CREATE INDEX alerts_state ON alerts (state);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
)sql";

constexpr const char* kV1Postgres = R"sql(
CREATE TABLE dualuse_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO dualuse_meta (key, value) VALUES ('application', 'dualuse');
CREATE TABLE records (
  id BIGINT PRIMARY KEY,
  recorded_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  inputs TEXT NOT NULL,
  outputs TEXT NOT NULL,
  law_version TEXT NOT NULL,
  list_versions TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX records_at ON records (recorded_at);
CREATE INDEX records_subject ON records (subject);
CREATE FUNCTION dualuse_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  RAISE EXCEPTION 'records are append-only: % refused', TG_OP;
END;
$body$;
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION dualuse_records_append_only();
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
  FOR EACH ROW EXECUTE FUNCTION dualuse_records_append_only();
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records
  FOR EACH STATEMENT EXECUTE FUNCTION dualuse_records_append_only();
CREATE TABLE chain_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO chain_head (singleton, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE counterparties (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL,
  country TEXT NOT NULL,
  schema TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  identifiers TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  version INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  screened_hash TEXT NOT NULL DEFAULT ''
);
CREATE TABLE list_screen_state (list_id TEXT PRIMARY KEY, version TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE alerts (
  id BIGSERIAL PRIMARY KEY,
  created_at TEXT NOT NULL,
  counterparty_id BIGINT REFERENCES counterparties (id),
  subject TEXT NOT NULL,
  record_id BIGINT NOT NULL DEFAULT 0,
  counterparty_hash TEXT NOT NULL,
  kind TEXT NOT NULL,
  list_id TEXT NOT NULL,
  list_version TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  entity_hash TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  matched_name TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  effect TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  programs TEXT NOT NULL,
  details TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'dismissed')),
  decided_at TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  decision_record BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX alerts_pair ON alerts (counterparty_id, list_id, entity_id);
CREATE INDEX alerts_state ON alerts (state);
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
)sql";

// Version 2: the organisation a user acts for (the access policy's
// ownership), and claims, the unique keys records hold (a case number, "the
// decision on APP-7"). The primary key makes two processes that number or
// decide the same thing at once conflict in the database, whichever process
// or machine they run on; the loser's transaction appends nothing.
// Red flags have no counterparty or listing; the review queue keeps one item
// per flag and subject (the assessment's reference and the flag), found by
// alerts_subject.
constexpr const char* kV2Sqlite = R"sql(
CREATE TABLE record_claims (claim TEXT PRIMARY KEY, record_id INTEGER NOT NULL);
ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
CREATE INDEX alerts_subject ON alerts (kind, subject);
)sql";
constexpr const char* kV2Postgres = R"sql(
CREATE TABLE record_claims (claim TEXT PRIMARY KEY, record_id BIGINT NOT NULL);
ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
CREATE INDEX alerts_subject ON alerts (kind, subject);
)sql";

// Version 3: a calm review queue. Items key by the party (party_key, the
// counterparty's register key or the screened name's) and the listed entity
// (entity_key, an identifier lists share, or the listing; entity_name_key
// to attach another list's listing of the same entity); party_hash over
// name, country and birth date decides whether a dismissal still holds;
// also_listed holds the listings attached to an item. good_guys: known
// false positives, each change recorded (kind good_guy).
constexpr const char* kV3Common = R"sql(
ALTER TABLE alerts ADD COLUMN party_key TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN party_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN entity_key TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN entity_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN also_listed TEXT NOT NULL DEFAULT '[]';
UPDATE alerts SET party_key = (SELECT c.key FROM counterparties c WHERE c.id = alerts.counterparty_id)
  WHERE counterparty_id IS NOT NULL;
CREATE INDEX alerts_party ON alerts (party_key);
)sql";
constexpr const char* kV3Sqlite = R"sql(
CREATE TABLE good_guys (
  id INTEGER PRIMARY KEY,
  counterparty TEXT NOT NULL,
  counterparty_id INTEGER NOT NULL DEFAULT 0,
  name_key TEXT NOT NULL,
  list_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  removed_by TEXT NOT NULL DEFAULT '',
  removed_at TEXT NOT NULL DEFAULT '',
  removed_record INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX good_guys_entity ON good_guys (entity_id);
)sql";
constexpr const char* kV3Postgres = R"sql(
CREATE TABLE good_guys (
  id BIGSERIAL PRIMARY KEY,
  counterparty TEXT NOT NULL,
  counterparty_id BIGINT NOT NULL DEFAULT 0,
  name_key TEXT NOT NULL,
  list_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  removed_by TEXT NOT NULL DEFAULT '',
  removed_at TEXT NOT NULL DEFAULT '',
  removed_record BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX good_guys_entity ON good_guys (entity_id);
)sql";
const std::string kV3SqliteAll = std::string(kV3Common) + kV3Sqlite;
const std::string kV3PostgresAll = std::string(kV3Common) + kV3Postgres;

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> m = {
      {1, "records, counterparties, review, users", kV1Sqlite, kV1Postgres},
      {2, "record claims, user organisations, red flags by subject", kV2Sqlite, kV2Postgres},
      {3, "review items by party and entity, good-guy list", kV3SqliteAll.c_str(),
       kV3PostgresAll.c_str()},
  };
  return m;
}

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at TEXT NOT NULL)";

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

Status Migrate(Conn& conn, const std::string& where, std::vector<int>* applied_now) {
  // Recognise a foreign database before touching it.
  DU_ASSIGN_OR_RETURN(std::vector<std::string> tables, conn.TableNames());
  std::set<std::string> names(tables.begin(), tables.end());
  if (!names.empty() && !names.count("schema_migrations")) {
    std::string some;
    for (size_t i = 0; i < tables.size() && i < 3; ++i)
      some += (i ? ", " : "") + tables[i];
    return Status::FailedPrecondition(where + ": not a dualuse store (it holds other tables: " +
                                      some + "); use a new file or database");
  }
  Txn txn(conn);
  DU_RETURN_IF_ERROR(txn.BeginWrite());
  DU_RETURN_IF_ERROR(conn.Query(kCreateMigrationsTable).status());
  DU_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT version FROM schema_migrations"));
  std::set<int> applied;
  for (auto& r : rows) {
    int v = 0;
    for (char c : r[0].value_or("")) {
      if (c < '0' || c > '9' || v > 1000000) {
        return Status::FailedPrecondition(where +
                                          ": not a dualuse store (schema_migrations holds \"" +
                                          r[0].value_or("") + "\")");
      }
      v = v * 10 + (c - '0');
    }
    applied.insert(v);
  }
  if (!applied.empty() && *applied.rbegin() > LatestSchemaVersion()) {
    return Status::FailedPrecondition(
        where + ": the store has schema version " + std::to_string(*applied.rbegin()) +
        ", newer than this dualuse knows (" + std::to_string(LatestSchemaVersion()) +
        "); use a newer dualuse");
  }
  if (!applied.empty() || names.count("schema_migrations")) {
    // An existing store must say it is one.
    if (!names.count("dualuse_meta") && !applied.empty()) {
      return Status::FailedPrecondition(where + ": not a dualuse store (no dualuse_meta table)");
    }
  }
  for (const Migration& m : Migrations()) {
    if (applied.count(m.version)) continue;
    DU_RETURN_IF_ERROR(conn.ExecScript(conn.dialect() == Dialect::kSqlite ? m.sqlite : m.postgres)
                           .WithPrefix("migration " + std::to_string(m.version)));
    DU_RETURN_IF_ERROR(conn.Query("INSERT INTO schema_migrations (version, name, applied_at) "
                                  "VALUES ($1, $2, $3)",
                                  {m.version, m.name, Clock::NowTimestamp()})
                           .status());
    if (applied_now) applied_now->push_back(m.version);
  }
  if (names.count("dualuse_meta")) {
    DU_ASSIGN_OR_RETURN(Rows meta,
                        conn.Query("SELECT value FROM dualuse_meta WHERE key = 'application'"));
    if (meta.empty() || meta[0][0].value_or("") != "dualuse") {
      return Status::FailedPrecondition(where + ": not a dualuse store (dualuse_meta differs)");
    }
  }
  return txn.Commit();
}

}  // namespace dualuse::store::internal
