// dualuse serve: the HTTP JSON API and web UI (include/dualuse/server/).
// dualuse users add NAME --role ROLE | users token NAME | users list.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <thread>

#include "command.h"
#include "dualuse/authority/authority.h"
#include "dualuse/authority/criteria.h"
#include "dualuse/authority/store_repository.h"
#include "dualuse/base/date.h"
#include "dualuse/screening/engine.h"
#include "dualuse/server/auth.h"
#include "dualuse/server/backends.h"
#include "dualuse/server/server.h"
#include "dualuse/service/assess.h"
#include "dualuse/service/list_requirements.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {
namespace {

struct ServeOptions {
  CommonOptions common;
  std::string db;
  server::ServerOptions server;
};

Result<std::unique_ptr<store::Store>> OpenStore(const CommonOptions& common,
                                                const std::string& db) {
  std::string target = db.empty() ? store::Store::DefaultPath(DataDir(common)) : db;
  if (target.find("://") == std::string::npos) {
    std::error_code ec;  // a missing directory is reported by Open below
    auto dir = std::filesystem::path(target).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  }
  return store::Store::Open(target);
}

// Waits for SIGTERM or SIGINT (blocked in every thread, so only this thread
// sees them) and stops the server; returns when `done` is set.
void WatchSignals(server::Server* srv, std::atomic<bool>* done) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  timespec tick{0, 200 * 1000 * 1000};
  while (!done->load()) {
    if (sigtimedwait(&set, nullptr, &tick) > 0) {
      std::fprintf(stderr, "dualuse serve: stopping; finishing requests in flight\n");
      srv->Stop();
      return;
    }
  }
}

Status RunServe(const ServeOptions& o) {
  // Block the stop signals before any thread starts, so they inherit the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  DU_ASSIGN_OR_RETURN(auto db, OpenStore(o.common, o.db));
  server::Backends backends;
  backends.store = db.get();

  // The lists: --list files, else the versions imported into the data dir.
  // Without any, the server still runs; /screen and /match answer 503.
  Date as_of = Date::Today();
  if (!o.common.as_of.empty()) {
    auto d = Date::Parse(o.common.as_of);
    if (!d) return Status::InvalidArgument("--as-of: expected YYYY-MM-DD");
    as_of = *d;
  }
  std::unique_ptr<screening::ListScreener> screener;
  auto loaded = screening::LoadScreener(o.common.lists, DataDir(o.common), as_of);
  if (loaded.ok()) {
    screener = std::move(loaded).value();
    backends.screener = screener.get();
    std::fprintf(stderr, "dualuse serve: %zu listed entities from %zu lists\n",
                 screener->entity_count(), screener->ListVersions().size());
  } else if (loaded.error().code() == StatusCode::kFailedPrecondition) {
    std::fprintf(stderr, "dualuse serve: warning: %s; /screen and /match answer 503\n",
                 loaded.error().message().c_str());
  } else {
    return loaded.error();
  }
  server::RegistryListStatus list_status(DataDir(o.common));
  backends.lists = &list_status;
  service::AssessOptions assess_options;
  assess_options.records_dir = DataDir(o.common) + "/classification-records";
  assess_options.allow_paths = false;  // a client must not make the server read its files
  DU_ASSIGN_OR_RETURN(assess_options.lists,
                      service::LoadListRequirements(DataDir(o.common), !o.common.lists.empty()));
  auto assessor = service::AssessService::Create(backends.screener, assess_options);
  if (assessor.ok()) {
    backends.assessor = assessor->get();
  } else {
    std::fprintf(stderr, "dualuse serve: warning: %s; /assess answers 503\n",
                 assessor.error().message().c_str());
  }
  // The licensing authority's routes, on the same store.
  authority::StoreRepository authority_repo(db.get());
  std::unique_ptr<authority::Authority> authority;
  if (auto criteria = authority::CriteriaCatalogue::Load(); criteria.ok()) {
    authority = std::make_unique<authority::Authority>(&authority_repo, *criteria);
    backends.authority = authority.get();
  } else {
    std::fprintf(stderr, "dualuse serve: warning: %s; /authority/ is not served\n",
                 criteria.error().message().c_str());
  }
  DU_ASSIGN_OR_RETURN(auto srv, server::Server::Create(o.server, backends));
  DU_RETURN_IF_ERROR(srv->Bind());
  std::printf("dualuse serve: listening on http://%s:%d (store: %s)\n", o.server.host.c_str(),
              srv->port(), db->Backend().c_str());
  std::fflush(stdout);
  std::atomic<bool> done{false};
  std::thread watcher(WatchSignals, srv.get(), &done);
  Status s = srv->Run();
  done = true;
  watcher.join();
  std::fprintf(stderr, "dualuse serve: stopped\n");
  return s;
}

Status UsersAdd(const CommonOptions& common, const std::string& db, const std::string& name,
                const std::string& role) {
  if (!server::ParseRole(role)) {
    return Status::InvalidArgument("--role: \"" + role +
                                   "\" is not one of officer, reviewer, admin, authority");
  }
  if (name.empty()) return Status::InvalidArgument("NAME: expected a user name");
  DU_ASSIGN_OR_RETURN(auto st, OpenStore(common, db));
  // Token-only users: no password hash ("" never verifies).
  DU_ASSIGN_OR_RETURN(store::User u, st->CreateUser(name, "", role));
  std::printf("added user %s (role %s)\n", u.name.c_str(), u.role.c_str());
  return Status::Ok();
}

Status UsersToken(const CommonOptions& common, const std::string& db, const std::string& name) {
  DU_ASSIGN_OR_RETURN(auto st, OpenStore(common, db));
  DU_ASSIGN_OR_RETURN(store::User u, st->GetUserByName(name));
  DU_ASSIGN_OR_RETURN(server::MintedToken t, server::MintToken());
  store::Token token;
  token.id = t.id;
  token.hash = t.hash;
  token.user_id = u.id;
  token.created_at = store::NowTimestamp();
  DU_RETURN_IF_ERROR(st->AddToken(token));
  // The only time the token is shown: only its Argon2id hash is kept.
  std::printf("%s\n", t.token.c_str());
  return Status::Ok();
}

Status UsersList(const CommonOptions& common, const std::string& db) {
  DU_ASSIGN_OR_RETURN(auto st, OpenStore(common, db));
  DU_ASSIGN_OR_RETURN(auto users, st->Users());
  for (const auto& u : users) {
    std::printf("%s\t%s\t%s%s\n", u.name.c_str(), u.role.c_str(), u.created_at.c_str(),
                u.disabled ? "\tdisabled" : "");
  }
  return Status::Ok();
}

}  // namespace

void RegisterServe(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "HTTP JSON API and web UI");
  AddCommonOptions(cmd, &o->common);
  cmd->add_option("--port", o->server.port, "TCP port (0: any free port)")->default_val(8080);
  cmd->add_option("--host", o->server.host, "Address to listen on")->default_val("127.0.0.1");
  cmd->add_option("--db", o->db,
                  "Store: a SQLite path or a postgresql:// URL (default <data-dir>/dualuse.db)");
  cmd->add_option("--threads", o->server.threads, "Event-loop threads (default 0: one per core)")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--workers", o->server.worker_threads,
                  "Threads for store-bound requests (records, review, classify, authority)")
      ->default_val(4)
      ->check(CLI::Range(1, 256));
  cmd->add_option("--token-cache-seconds", o->server.token_cache_seconds,
                  "A revoked token is refused at the latest after this (0: checked every request)")
      ->default_val(60)
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-body", o->server.max_body_bytes, "Largest request body in bytes")
      ->default_val(1 << 20);
  cmd->add_option("--timeout", o->server.read_timeout_seconds,
                  "Socket read and write timeout in seconds")
      ->default_val(10);
  cmd->add_option("--stale-after-days", o->server.stale_after_days,
                  "Lists older than this are shown stale (when the catalogue does not say)")
      ->default_val(7);
  cmd->add_flag("--access-log", o->server.access_log, "Log one line per request on stderr");
  SetAction(cmd, [o] {
    o->server.write_timeout_seconds = o->server.read_timeout_seconds;
    return RunServe(*o);
  });

  auto common = std::make_shared<CommonOptions>();
  auto db = std::make_shared<std::string>();
  auto* users = app.add_subcommand("users", "Users and API tokens of the HTTP server");
  users->require_subcommand(1);
  AddCommonOptions(users, common.get());
  users->add_option("--db", *db, "Store: a SQLite path or a postgresql:// URL");

  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  auto* add = users->add_subcommand("add", "Add a user: users add NAME --role ROLE");
  add->add_option("NAME", *name, "User name")->required();
  add->add_option("--role", *role, "officer, reviewer, admin or authority")->required();
  add->fallthrough();  // accept --data-dir / --db after the subcommand too
  SetAction(add, [=] { return UsersAdd(*common, *db, *name, *role); });

  auto tname = std::make_shared<std::string>();
  auto* token = users->add_subcommand("token", "Make a new API token for NAME; printed once");
  token->add_option("NAME", *tname, "User name")->required();
  token->fallthrough();
  SetAction(token, [=] { return UsersToken(*common, *db, *tname); });

  auto* list = users->add_subcommand("list", "List users");
  list->fallthrough();
  SetAction(list, [=] { return UsersList(*common, *db); });
}

}  // namespace dualuse::cli
