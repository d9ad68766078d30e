// PostgreSQL connection for the Store, via libpqxx 6.
#include <exception>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "store/sql.h"

namespace dualuse::store::internal {
namespace {

// The key of the transaction-scoped advisory lock that serialises writers
// (pg_advisory_xact_lock); an arbitrary constant ("du" 0x6475 + store 1).
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(6475000001)";

// The URL without its password, for messages.
std::string Redact(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

class PgConn : public Conn {
 public:
  PgConn(std::unique_ptr<pqxx::connection> c, std::string where)
      : c_(std::move(c)), where_(std::move(where)) {}
  ~PgConn() override {
    try {
      tx_.reset();
      c_.reset();
    } catch (...) {
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  // Turns the exception in flight into a Status.
  Status FromException(const std::string& what) {
    try {
      throw;
    } catch (const pqxx::broken_connection& e) {
      tx_.reset();
      return Status::Unavailable(where_ + ": connection lost: " + OneLine(e.what()));
    } catch (const pqxx::sql_error& e) {
      std::string state = e.sqlstate();
      std::string m = where_ + ": " + what + ": " + OneLine(e.what());
      if (state.rfind("23", 0) == 0) return Status::FailedPrecondition(m);
      if (state == "40001" || state == "40P01" || state.rfind("08", 0) == 0 ||
          state.rfind("57", 0) == 0 || state.rfind("53", 0) == 0) {
        return Status::Unavailable(m);
      }
      return Status::Internal(m);
    } catch (const pqxx::in_doubt_error& e) {
      return Status::Unavailable(where_ + ": " + what + ": commit in doubt: " + OneLine(e.what()));
    } catch (const std::exception& e) {
      return Status::Internal(where_ + ": " + what + ": " + OneLine(e.what()));
    } catch (...) {
      return Status::Internal(where_ + ": " + what + ": unknown error");
    }
  }

  Status ExecScript(const std::string& sql) override {
    try {
      if (tx_) {
        tx_->exec(sql);
      } else {
        pqxx::nontransaction n(*c_);
        n.exec(sql);
      }
      return Status::Ok();
    } catch (...) {
      Status s = FromException("executing SQL");
      if (tx_) tx_.reset();  // the transaction is aborted
      return s;
    }
  }

  Result<Rows> Query(const std::string& sql, const std::vector<Param>& params) override {
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].type == Param::Type::kNull) {
        values[i] = nullptr;
      } else {
        storage[i] = params[i].AsText();
        values[i] = storage[i].c_str();
      }
    }
    try {
      pqxx::result r;
      if (tx_) {
        r = tx_->exec_params(sql, pqxx::prepare::make_dynamic_params(values));
      } else {
        pqxx::nontransaction n(*c_);
        r = n.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
      }
      Rows rows;
      rows.reserve(r.size());
      for (const auto& row : r) {
        Row out(row.size());
        for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
          if (!row[i].is_null()) out[i] = std::string(row[i].c_str(), row[i].size());
        }
        rows.push_back(std::move(out));
      }
      return rows;
    } catch (...) {
      Status s = FromException("running SQL");
      if (tx_) tx_.reset();
      return s;
    }
  }

  Status BeginWrite() override {
    try {
      tx_ = std::make_unique<pqxx::work>(*c_);
      tx_->exec(kWriterLock);
      return Status::Ok();
    } catch (...) {
      tx_.reset();
      return FromException("starting a write transaction");
    }
  }
  Status BeginRead() override {
    try {
      tx_ = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(*c_);
      return Status::Ok();
    } catch (...) {
      tx_.reset();
      return FromException("starting a read transaction");
    }
  }
  Status Commit() override {
    if (!tx_) return Status::Internal(where_ + ": commit without a transaction");
    try {
      tx_->commit();
      tx_.reset();
      return Status::Ok();
    } catch (...) {
      Status s = FromException("committing");
      tx_.reset();
      return s;
    }
  }
  void Rollback() override {
    try {
      if (tx_) tx_->abort();
    } catch (...) {
    }
    tx_.reset();
  }
  bool InTransaction() const override { return tx_ != nullptr; }

  Result<std::vector<std::string>> TableNames() override {
    DU_ASSIGN_OR_RETURN(Rows rows, Query("SELECT tablename FROM pg_tables WHERE schemaname = "
                                         "current_schema() ORDER BY tablename",
                                         {}));
    std::vector<std::string> out;
    for (auto& r : rows)
      out.push_back(r[0].value_or(""));
    return out;
  }

 private:
  std::unique_ptr<pqxx::connection> c_;
  std::unique_ptr<pqxx::transaction_base> tx_;
  std::string where_;
};

// Collects the payloads of kChangeChannel's notifications.
class ChangeReceiver : public pqxx::notification_receiver {
 public:
  ChangeReceiver(pqxx::connection_base& c, std::vector<std::string>* out)
      : pqxx::notification_receiver(c, kChangeChannel), out_(out) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override {
    out_->push_back(payload);
  }

 private:
  std::vector<std::string>* out_;
};

class PgChangeListener : public ChangeListener {
 public:
  PgChangeListener(std::unique_ptr<pqxx::connection> c, std::string where)
      : c_(std::move(c)), receiver_(*c_, &pending_), where_(std::move(where)) {}

  Result<std::vector<std::string>> Wait(int timeout_ms) override {
    try {
      if (pending_.empty() && c_->get_notifs() == 0 && timeout_ms > 0) {
        c_->await_notification(timeout_ms / 1000, (timeout_ms % 1000) * 1000L);
      }
      std::vector<std::string> out;
      out.swap(pending_);
      return out;
    } catch (const std::exception& e) {
      return Status::Unavailable(where_ + ": listening for changes: " + OneLine(e.what()));
    } catch (...) {
      return Status::Unavailable(where_ + ": listening for changes: connection lost");
    }
  }

 private:
  std::unique_ptr<pqxx::connection> c_;
  std::vector<std::string> pending_;  // declared before receiver_, which fills it
  ChangeReceiver receiver_;
  std::string where_;
};

}  // namespace

Result<std::unique_ptr<ChangeListener>> ListenPostgres(const std::string& url) {
  std::string where = Redact(url);
  try {
    auto c = std::make_unique<pqxx::connection>(url);
    auto l = std::make_unique<PgChangeListener>(std::move(c), where);
    // LISTEN is sent by the receiver's constructor; a round trip makes sure
    // it is in force before the caller reads its first stamp.
    if (auto first = l->Wait(0); !first.ok()) return first.error();
    return std::unique_ptr<ChangeListener>(std::move(l));
  } catch (const std::exception& e) {
    return Status::Unavailable(where + ": cannot listen: " + OneLine(e.what()));
  } catch (...) {
    return Status::Unavailable(where + ": cannot listen");
  }
}

Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& url) {
  std::string where = Redact(url);
  try {
    auto c = std::make_unique<pqxx::connection>(url);
    {
      pqxx::nontransaction n(*c);
      n.exec("SET client_min_messages = warning");
    }
    return std::unique_ptr<Conn>(std::make_unique<PgConn>(std::move(c), where));
  } catch (const pqxx::broken_connection& e) {
    return Status::Unavailable(where + ": cannot connect: " + OneLine(e.what()));
  } catch (const std::exception& e) {
    return Status::Unavailable(where + ": cannot connect: " + OneLine(e.what()));
  } catch (...) {
    return Status::Unavailable(where + ": cannot connect");
  }
}

}  // namespace dualuse::store::internal
