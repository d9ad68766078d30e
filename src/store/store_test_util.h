// Test support: a fresh store per test on either backend, and raw SQL access
// for tests that tamper with the database behind the store's back.
//
// PostgreSQL: DUALUSE_TEST_PG names a server (scripts/start-postgres.sh);
// each test gets its own database, dropped afterwards. When the variable is
// unset the PostgreSQL tests fail and say how to start a server: a backend
// that was not tested is never reported as passing.
#ifndef DUALUSE_SRC_STORE_STORE_TEST_UTIL_H_
#define DUALUSE_SRC_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "dualuse/store/store.h"

namespace dualuse::store::testing {

inline std::string PgBaseUrl() {
  const char* u = std::getenv("DUALUSE_TEST_PG");
  return u && *u ? u : "";
}

// Replaces the database name of a postgresql:// URL.
inline std::string WithDatabase(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme + 3);
  auto query = url.find('?', scheme + 3);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  std::string head = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  return head + "/" + db + tail;
}

// A fresh, empty database (SQLite file or PostgreSQL database) for one test.
class TestDb {
 public:
  explicit TestDb(std::string backend) : backend_(std::move(backend)) {}
  ~TestDb() { Drop(); }

  // Sets `target()`; false (with a message in `why`) if the backend is unavailable.
  bool Create(std::string* why) {
    static std::atomic<int> counter{0};
    int n = counter++;
    std::string name = "du_t_" + std::to_string(getpid()) + "_" + std::to_string(n);
    if (backend_ == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / name;
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      target_ = (dir_ / "dualuse.db").string();
      return true;
    }
    std::string base = PgBaseUrl();
    if (base.empty()) {
      *why = "DUALUSE_TEST_PG is not set (eval \"$(bash scripts/start-postgres.sh)\")";
      return false;
    }
    try {
      pqxx::connection c(base);
      pqxx::nontransaction n(c);
      n.exec("CREATE DATABASE " + name);
    } catch (const std::exception& e) {
      *why = std::string("cannot create a test database: ") + e.what();
      return false;
    }
    pg_db_ = name;
    target_ = WithDatabase(base, name);
    return true;
  }

  void Drop() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
    if (!pg_db_.empty()) {
      try {
        pqxx::connection c(PgBaseUrl());
        pqxx::nontransaction n(c);
        n.exec("DROP DATABASE IF EXISTS " + pg_db_ + " WITH (FORCE)");
      } catch (...) {
      }
      pg_db_.clear();
    }
  }

  // Runs SQL directly, outside the store. Returns "" or the error text.
  std::string Raw(const std::string& sql) {
    if (backend_ == "sqlite") {
      sqlite3* db = nullptr;
      if (sqlite3_open(target_.c_str(), &db) != SQLITE_OK) return "cannot open";
      sqlite3_busy_timeout(db, 10000);
      char* err = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      std::string e = rc == SQLITE_OK ? "" : (err ? err : "error");
      if (err) sqlite3_free(err);
      sqlite3_close(db);
      return e;
    }
    try {
      pqxx::connection c(target_);
      pqxx::nontransaction n(c);
      n.exec(sql);
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  // Drops the append-only triggers, as an attacker with database access could.
  void DropTriggers() {
    if (backend_ == "sqlite") {
      EXPECT_EQ(Raw("DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;"), "");
    } else {
      EXPECT_EQ(Raw("DROP TRIGGER records_no_update ON records; "
                    "DROP TRIGGER records_no_delete ON records;"),
                "");
    }
  }

  const std::string& target() const { return target_; }
  const std::string& backend() const { return backend_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::string backend_;
  std::string target_;
  std::filesystem::path dir_;
  std::string pg_db_;
};

// Base fixture for tests parameterised over "sqlite" and "postgresql".
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDb>(GetParam());
    std::string why;
    if (!db_->Create(&why)) {
      FAIL() << "backend " << GetParam() << " unavailable: " << why;
    }
    auto s = Store::Open(db_->target());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }
  std::unique_ptr<Store> Reopen() {
    store_.reset();
    auto s = Store::Open(db_->target());
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::unique_ptr<TestDb> db_;
  std::unique_ptr<Store> store_;
};

// Every suite runs on both backends in one binary: /sqlite on a temporary
// file, /postgresql on the server named by DUALUSE_TEST_PG (a failure naming
// the reason when it is unset).
#define DUALUSE_INSTANTIATE_BACKENDS(suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                     \
                           ::testing::Values(std::string("sqlite"), std::string("postgresql")), \
                           [](const ::testing::TestParamInfo<std::string>& i) { return i.param; })

}  // namespace dualuse::store::testing

#endif  // DUALUSE_SRC_STORE_STORE_TEST_UTIL_H_
