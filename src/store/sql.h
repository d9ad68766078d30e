// The thin SQL seam under the Store: one connection to SQLite or PostgreSQL.
//
// SQL text uses PostgreSQL-style placeholders $1, $2, ...; the SQLite
// connection rewrites them to ?1, ?2, .... Values travel as text (or NULL);
// both databases convert them by column type. Every driver exception is
// turned into a Status here, so nothing above this seam sees one.
#ifndef DUALUSE_SRC_STORE_SQL_H_
#define DUALUSE_SRC_STORE_SQL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/store/store.h"

namespace dualuse::store::internal {

enum class Dialect { kSqlite, kPostgres };

struct Param {
  enum class Type { kNull, kInt, kReal, kText } type = Type::kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;
  Param() = default;
  Param(std::nullopt_t) {}                                      // NOLINT
  Param(int64_t v) : type(Type::kInt), i(v) {}                  // NOLINT
  Param(int v) : type(Type::kInt), i(v) {}                      // NOLINT
  Param(double v) : type(Type::kReal), d(v) {}                  // NOLINT
  Param(std::string v) : type(Type::kText), s(std::move(v)) {}  // NOLINT
  Param(const char* v) : type(Type::kText), s(v) {}             // NOLINT
  Param(std::string_view v) : type(Type::kText), s(v) {}        // NOLINT
  std::string AsText() const;
};

using Row = std::vector<std::optional<std::string>>;
using Rows = std::vector<Row>;

class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  // Runs a script of statements without parameters (migrations).
  virtual Status ExecScript(const std::string& sql) = 0;
  // One statement; returns its rows (empty for statements without rows).
  virtual Result<Rows> Query(const std::string& sql, const std::vector<Param>& params = {}) = 0;
  // A write transaction that excludes every other writer of the store until
  // Commit/Rollback (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN plus a
  // transaction-scoped advisory lock).
  virtual Status BeginWrite() = 0;
  // A transaction with one consistent snapshot for reading.
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool InTransaction() const = 0;
  // Names of the user tables in the database (to recognise a foreign one).
  virtual Result<std::vector<std::string>> TableNames() = 0;
};

// Opens a SQLite file (WAL, busy timeout, foreign keys, synchronous=FULL).
Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path, const OpenOptions& options);
// Connects to a PostgreSQL URL.
Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& url);
// LISTENs on kChangeChannel on a connection of its own.
Result<std::unique_ptr<ChangeListener>> ListenPostgres(const std::string& url);

// Creates or upgrades the schema; refuses foreign or newer databases.
// `applied_now` (when given) receives the versions this call applied.
Status Migrate(Conn& conn, const std::string& where, std::vector<int>* applied_now = nullptr);
int LatestSchemaVersion();

// Rolls back on scope exit unless committed.
class Txn {
 public:
  explicit Txn(Conn& c) : c_(c) {}
  ~Txn() {
    if (active_) c_.Rollback();
  }
  Status BeginWrite() {
    Status s = c_.BeginWrite();
    active_ = s.ok();
    return s;
  }
  Status BeginRead() {
    Status s = c_.BeginRead();
    active_ = s.ok();
    return s;
  }
  Status Commit() {
    active_ = false;
    return c_.Commit();
  }

 private:
  Conn& c_;
  bool active_ = false;
};

}  // namespace dualuse::store::internal

#endif  // DUALUSE_SRC_STORE_SQL_H_
