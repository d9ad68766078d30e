// SQLite connection for the Store (https://sqlite.org/c3ref/intro.html).
#include <sqlite3.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "store/sql.h"

namespace dualuse::store::internal {
namespace {

// Rewrites $N placeholders to ?N, leaving quoted text alone.
std::string RewritePlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '?';
      continue;
    }
    out += c;
  }
  return out;
}

class SqliteConn : public Conn {
 public:
  SqliteConn(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConn() override {
    for (auto& [k, st] : cache_)
      sqlite3_finalize(st);
    if (db_) sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status Error(int rc, const std::string& what) {
    const char* msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    int primary = rc & 0xff;
    std::string m = path_ + ": " + what + ": " + msg;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
      return Status::DataLoss(path_ + ": not a readable SQLite database (" + msg + ")");
    }
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(m);
    if (primary == SQLITE_CONSTRAINT) return Status::FailedPrecondition(m);
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_IOERR ||
        primary == SQLITE_FULL || primary == SQLITE_PERM) {
      return Status::Unavailable(m);
    }
    return Status::Internal(m);
  }

  Status ExecScript(const std::string& sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) return Error(rc, "executing SQL");
    return Status::Ok();
  }

  Result<Rows> Query(const std::string& sql, const std::vector<Param>& params) override {
    // Statements are prepared once and kept (a small cache by SQL text).
    sqlite3_stmt* stmt = nullptr;
    int rc = SQLITE_OK;
    auto cached = cache_.find(sql);
    if (cached != cache_.end()) {
      stmt = cached->second;
    } else {
      std::string text = RewritePlaceholders(sql);
      rc = sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &stmt, nullptr);
      if (rc != SQLITE_OK) return Error(rc, "preparing SQL");
      if (cache_.size() >= 64) {
        for (auto& [k, st] : cache_)
          sqlite3_finalize(st);
        cache_.clear();
      }
      cache_[sql] = stmt;
    }
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } fin{stmt};
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Param& p = params[i];
      switch (p.type) {
        case Param::Type::kNull:
          rc = sqlite3_bind_null(stmt, idx);
          break;
        case Param::Type::kInt:
          rc = sqlite3_bind_int64(stmt, idx, p.i);
          break;
        case Param::Type::kReal:
          rc = sqlite3_bind_double(stmt, idx, p.d);
          break;
        case Param::Type::kText:
          rc = sqlite3_bind_text(stmt, idx, p.s.data(), static_cast<int>(p.s.size()),
                                 SQLITE_TRANSIENT);
          break;
      }
      if (rc != SQLITE_OK) return Error(rc, "binding a parameter");
    }
    Rows rows;
    int ncol = sqlite3_column_count(stmt);
    while (true) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error(rc, "running SQL");
      Row row(ncol);
      for (int c = 0; c < ncol; ++c) {
        int type = sqlite3_column_type(stmt, c);
        if (type == SQLITE_NULL) continue;
        if (type == SQLITE_FLOAT) {
          char buf[40];
          std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(stmt, c));
          row[c] = std::string(buf);
          continue;
        }
        const unsigned char* t = sqlite3_column_text(stmt, c);
        int n = sqlite3_column_bytes(stmt, c);
        row[c] = std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(n));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status BeginWrite() override {
    DU_RETURN_IF_ERROR(ExecScript("BEGIN IMMEDIATE"));
    in_txn_ = true;
    return Status::Ok();
  }
  Status BeginRead() override {
    DU_RETURN_IF_ERROR(ExecScript("BEGIN DEFERRED"));
    in_txn_ = true;
    return Status::Ok();
  }
  Status Commit() override {
    in_txn_ = false;
    Status s = ExecScript("COMMIT");
    if (!s.ok()) (void)ExecScript("ROLLBACK");
    return s;
  }
  void Rollback() override {
    in_txn_ = false;
    if (!sqlite3_get_autocommit(db_)) (void)ExecScript("ROLLBACK");
  }
  bool InTransaction() const override { return in_txn_; }

  Result<std::vector<std::string>> TableNames() override {
    DU_ASSIGN_OR_RETURN(
        Rows rows,
        Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name",
              {}));
    std::vector<std::string> out;
    for (auto& r : rows)
      out.push_back(r[0].value_or(""));
    return out;
  }

 private:
  sqlite3* db_;
  std::string path_;
  bool in_txn_ = false;
  std::map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (!exists && !options.create_if_missing) {
    return Status::NotFound(path + ": no dualuse store here");
  }
  if (exists && std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path + ": is a directory, expected a SQLite file");
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
              (options.create_if_missing ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (db) sqlite3_close_v2(db);
    return Status::Unavailable(path + ": cannot open: " + msg);
  }
  auto conn = std::make_unique<SqliteConn>(db, path);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  // Reading the schema first makes a non-database file fail here, clearly.
  DU_RETURN_IF_ERROR(conn->Query("SELECT count(*) FROM sqlite_master", {}).status());
  DU_ASSIGN_OR_RETURN(Rows mode, conn->Query("PRAGMA journal_mode=WAL", {}));
  if (mode.empty() || mode[0].empty() || mode[0][0].value_or("") != "wal") {
    return Status::Unavailable(path + ": cannot switch the database to WAL mode");
  }
  // FULL: a committed transaction survives a power loss too, not only a kill.
  DU_RETURN_IF_ERROR(conn->ExecScript("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  return std::unique_ptr<Conn>(std::move(conn));
}

}  // namespace dualuse::store::internal
