// `dualuse serve`: the HTTP JSON API and the embedded web UI.
//
// Routes (web/openapi.json is the contract, checked against real responses
// in src/server/server_test.cc):
//   GET  /healthz                      no token
//   GET  /openapi.json, /, /assets/*   no token (the UI asks for a token)
//   GET  /me                           any role
//   POST /screen                       screen one party or a batch
//   POST /match/{dataset}              yente-compatible batch matching
//   GET  /entities/{id}, /catalog,     yente's entity, data catalogue and
//        /algorithms                   algorithms (src/server/yente.h)
//   POST /assess                       dualuse.assessment/1 -> determination/1
//   GET  /lists                        loaded lists, their dates and age
//   GET  /records, /records/{id}       the audit trail; POST /records/{id}/replay
//   GET  /review                       the review queue
//   POST /review/{id}/decision         reviewer/admin: confirm or dismiss
//   GET  /users                        admin
//   GET, POST /authority/...           the licensing authority (authority/api.h)
// Every error is {"error": {"code": "...", "message": "..."}} with 400
// (malformed), 401 (no or unknown token), 403 (role), 404, 409 (already
// decided), 413 (body over the limit), 503 (backend not wired or store down).
// Every 2xx answer to an authenticated request is appended to the store as a
// store::Record (actor = the token's user) before the answer is sent, with
// group commit; rejected requests leave no record.
#ifndef DUALUSE_SERVER_SERVER_H_
#define DUALUSE_SERVER_SERVER_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/base/status.h"
#include "dualuse/screening/screener.h"
#include "dualuse/server/auth.h"
#include "dualuse/store/store.h"

namespace dualuse::authority {
class Authority;
}
namespace dualuse::service {
class AssessService;
}

namespace dualuse::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (see Server::port())
  size_t max_body_bytes = 1 << 20;  // larger bodies get 413
  int read_timeout_seconds = 10;    // per socket read
  int write_timeout_seconds = 10;   // per socket write
  int keep_alive_seconds = 5;       // idle keep-alive connection
  int threads = 0;                  // event-loop threads; 0: one per core
  int worker_threads = 4;           // store-bound requests (records, review, classify, ...)
  int token_cache_seconds = 60;     // a revoked token is refused at the latest after this;
                                    // 0: every request re-confirms it in the store
  int stale_after_days = 7;         // /lists marks older list versions stale
  int max_batch = 100;              // queries per /match or parties per /screen (yente: 100)
  // Work per request (docs/security.md, "Limits"); over a bound: 400.
  int max_json_depth = 32;         // nesting of arrays and objects in a body
  int max_aliases_per_party = 50;  // aliases of one /screen party or /match query
  int max_names = 500;             // names and aliases in one /screen or /match request
  int max_name_chars = 100000;     // bytes of those names together
  // A /screen or /match request with more names than this is screened on
  // the worker pool, not on an event-loop thread, and each user may have
  // at most `heavy_per_user` of them in progress (more: 429).
  int light_names = 16;
  int heavy_per_user = 1;
  bool access_log = false;  // one line per request on stderr
  // HMAC-SHA-256 key of the stored token hashes (LoadOrCreateTokenKey, auth.h);
  // "": a random key for this process (only Argon2id-hashed tokens verify,
  // and they are not rewritten to the HMAC form).
  std::string token_key;
  // Failed token checks allowed per token id and per client address within
  // the window; more answer 429 until it ends.
  int auth_failures_per_token = 10;
  int auth_failures_per_address = 50;
  int auth_failure_window_seconds = 60;
};

// A line of the access log: control characters, DEL, backslash and space
// escaped as \xHH (so that a request cannot forge a log line).
std::string LogSafe(std::string_view text);

// One list as /lists shows it: the version in force today and its age.
struct ListStatusEntry {
  std::string id;
  std::string name;         // "" when the catalogue does not know the list
  std::string version;      // the list's own date, YYYY-MM-DD
  std::string imported_at;  // "" when unknown
  long entity_count = -1;   // -1 when unknown
  int stale_after_days = 7;
};

// Where /lists comes from. Thread-safe.
// RegistryListStatus (backends.h) adapts lists::ListRegistry and lists::Catalogue.
class ListStatusSource {
 public:
  virtual ~ListStatusSource() = default;
  virtual Result<std::vector<ListStatusEntry>> Lists() const = 0;
};

// What the server serves from. Not owned; must outlive the Server. A null
// screener or assessor makes its endpoints answer 503 "not_ready"; without a
// ListStatusSource, /lists shows the screener's ListVersions().
struct Backends {
  store::Store* store = nullptr;  // required: users, tokens, records, review queue
  const screening::PartyScreener* screener = nullptr;
  // The assessment use case (service/assess.h), as `dualuse assess` runs it;
  // its AssessOptions should refuse file paths (allow_paths = false).
  const service::AssessService* assessor = nullptr;
  const ListStatusSource* lists = nullptr;
  // The licensing authority's /authority/... routes (src/server/authority_routes.h);
  // null: not served.
  authority::Authority* authority = nullptr;
  // The data directory whose list registry holds the list versions a replay
  // of an assessment record loads (service/replay.h), as `dualuse replay`.
  std::string data_dir;
};

// A route of the server: method ("GET", "POST"), path pattern (a regular
// expression) and the role a caller needs.
struct ServerRoute {
  std::string method;
  std::string pattern;
  std::string role;
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options, Backends backends);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; afterwards port() is the real port.
  Status Bind();
  int port() const;
  // Serves until Stop(); then finishes the requests in flight (each writes
  // its record before answering) and returns.
  Status Run();
  // Thread-safe; may be called from a signal-watching thread.
  void Stop();
  // Forgets every verified token, so that each is confirmed in the store
  // again on its next use: a token revoked or a user changed by another
  // process (ChangeFeed, change_feed.h). Thread-safe.
  void ForgetVerifiedTokens();
  // Every route this server answers, in registration order.
  const std::vector<ServerRoute>& Routes() const;

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SERVER_SERVER_H_
