// dualuse serve: the HTTP JSON API and web UI (include/dualuse/server/).
// dualuse users add NAME --role ROLE [--organisation O] | users token NAME
// [--expires-days N] | users revoke TOKEN_ID | users disable|enable NAME |
// users role NAME ROLE | users list.
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
#include "dualuse/server/change_feed.h"
#include "dualuse/server/reloadable_screener.h"
#include "dualuse/server/server.h"
#include "dualuse/service/assess.h"
#include "dualuse/service/list_requirements.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {
namespace {

struct ServeOptions {
  CommonOptions common;
  std::string db;
  std::string token_key;
  bool four_eyes = false;
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

// The token key: --token-key, else <data-dir>/token.key (created on first use).
Result<std::string> TokenKey(const CommonOptions& common, const std::string& path) {
  std::string p = path.empty() ? DataDir(common) + "/token.key" : path;
  std::error_code ec;
  auto dir = std::filesystem::path(p).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  return server::LoadOrCreateTokenKey(p);
}

// The user acting on the command line, as recorded: "cli:<login>".
std::string CliActor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user && *user ? user : "unknown");
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
  server::ServerOptions server_options = o.server;
  DU_ASSIGN_OR_RETURN(server_options.token_key, TokenKey(o.common, o.token_key));
  server::Backends backends;
  backends.store = db.get();
  backends.data_dir = DataDir(o.common);

  // The lists: --list files, else the versions imported into the data dir.
  // Without any, the server still runs; /screen and /match answer 503.
  Date as_of = Date::Today();
  if (!o.common.as_of.empty()) {
    auto d = Date::Parse(o.common.as_of);
    if (!d) return Status::InvalidArgument("--as-of: expected YYYY-MM-DD");
    as_of = *d;
  }
  // The versions in force on --as-of, else on the day of loading: a server
  // that runs for days and reloads takes a version published since its start.
  auto load_lists = [&o, as_of] {
    const Date on = o.common.as_of.empty() ? Date::Today() : as_of;
    return screening::LoadScreener(o.common.lists, DataDir(o.common), on);
  };
  // Lists imported into the data dir are replaced while serving when an
  // import changes them (ChangeFeed); --list files are fixed.
  std::unique_ptr<server::ReloadableScreener> screener;
  auto loaded = load_lists();
  if (loaded.ok()) {
    std::shared_ptr<const screening::ListScreener> first = std::move(loaded).value();
    std::fprintf(stderr, "dualuse serve: %zu listed entities from %zu lists\n",
                 first->entity_count(), first->ListVersions().size());
    screener = std::make_unique<server::ReloadableScreener>(first);
    backends.screener = screener.get();
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
    authority::AuthorityOptions ao;
    ao.four_eyes = o.four_eyes;
    authority = std::make_unique<authority::Authority>(&authority_repo, *criteria, ao);
    backends.authority = authority.get();
  } else {
    std::fprintf(stderr, "dualuse serve: warning: %s; /authority/ is not served\n",
                 criteria.error().message().c_str());
  }
  DU_ASSIGN_OR_RETURN(auto srv, server::Server::Create(server_options, backends));
  DU_RETURN_IF_ERROR(srv->Bind());
  // Changes by other servers and by the CLI on the same store and data dir.
  server::ChangeFeedOptions feed_options;
  feed_options.store_target = o.db;
  if (screener && o.common.lists.empty()) {
    feed_options.manifest_path = DataDir(o.common) + "/lists/manifest.json";
  }
  server::ChangeHandlers feed_handlers;
  server::ReloadableScreener* reloadable = screener.get();
  feed_handlers.lists = [&load_lists, reloadable] {
    auto next = load_lists();
    if (!next.ok()) {
      std::fprintf(stderr, "dualuse serve: warning: lists changed but not reloaded: %s\n",
                   next.error().message().c_str());
      return;
    }
    std::string versions;
    for (const auto& [id, version] : (*next)->ListVersions())
      versions += " " + id + "=" + version;
    std::shared_ptr<const screening::ListScreener> fresh = std::move(next).value();
    reloadable->Replace(std::move(fresh));
    std::fprintf(stderr, "dualuse serve: lists reloaded:%s\n", versions.c_str());
  };
  server::Server* srv_ptr = srv.get();
  feed_handlers.access = [srv_ptr] { srv_ptr->ForgetVerifiedTokens(); };
  server::ChangeFeed feed(db.get(), feed_options, feed_handlers);
  feed.Start();
  std::printf("dualuse serve: listening on http://%s:%d (store: %s)\n", o.server.host.c_str(),
              srv->port(), db->Backend().c_str());
  std::fflush(stdout);
  std::atomic<bool> done{false};
  std::thread watcher(WatchSignals, srv.get(), &done);
  Status s = srv->Run();
  feed.Stop();
  done = true;
  watcher.join();
  std::fprintf(stderr, "dualuse serve: stopped\n");
  return s;
}

Status UsersAdd(const CommonOptions& common, const std::string& db, const std::string& name,
                const std::string& role, const std::string& organisation) {
  if (!server::ParseRole(role)) {
    return Status::InvalidArgument("--role: \"" + role +
                                   "\" is not one of officer, reviewer, admin, authority");
  }
  DU_ASSIGN_OR_RETURN(auto st, OpenStore(common, db));
  DU_ASSIGN_OR_RETURN(auto users, st->Users());
  std::vector<std::string> existing;
  for (const auto& u : users)
    existing.push_back(u.name);
  DU_ASSIGN_OR_RETURN(std::string checked, server::CheckUserName(name, existing));
  // Token-only users: no password hash ("" never verifies).
  DU_ASSIGN_OR_RETURN(store::User u, st->CreateUser(checked, "", role, CliActor()));
  if (!organisation.empty()) {
    DU_RETURN_IF_ERROR(st->SetUserOrganisation(u.id, organisation, CliActor()));
  }
  std::printf("added user %s (role %s%s)\n", u.name.c_str(), u.role.c_str(),
              organisation.empty() ? "" : (", organisation " + organisation).c_str());
  return Status::Ok();
}

Status UsersToken(const CommonOptions& common, const std::string& db, const std::string& key_path,
                  const std::string& name, int expires_days) {
  if (expires_days < 0) return Status::InvalidArgument("--expires-days: expected >= 0");
  DU_ASSIGN_OR_RETURN(auto st, OpenStore(common, db));
  DU_ASSIGN_OR_RETURN(store::User u, st->GetUserByName(name));
  DU_ASSIGN_OR_RETURN(std::string key, TokenKey(common, key_path));
  DU_ASSIGN_OR_RETURN(server::MintedToken t, server::MintToken(key));
  store::Token token;
  token.id = t.id;
  token.hash = t.hash;
  token.user_id = u.id;
  token.created_at = store::NowTimestamp();
  if (expires_days > 0) {
    Date until = Date::FromDaysSinceEpoch(Date::Today().DaysSinceEpoch() + expires_days);
    token.expires_at = until.ToString() + token.created_at.substr(10);
  }
  DU_RETURN_IF_ERROR(st->AddToken(token, CliActor()));
  // The only time the token is shown: only its keyed hash is kept.
  std::printf("%s\n", t.token.c_str());
  std::fprintf(
      stderr, "token %s for %s%s\n", t.id.c_str(), u.name.c_str(),
      token.expires_at.empty() ? ", never expires" : (", expires " + token.expires_at).c_str());
  return Status::Ok();
}

Status UsersList(const CommonOptions& common, const std::string& db) {
  DU_ASSIGN_OR_RETURN(auto st, OpenStore(common, db));
  DU_ASSIGN_OR_RETURN(auto users, st->Users());
  for (const auto& u : users) {
    std::printf("%s\t%s\t%s\t%s%s\n", u.name.c_str(), u.role.c_str(), u.organisation.c_str(),
                u.created_at.c_str(), u.disabled ? "\tdisabled" : "");
    DU_ASSIGN_OR_RETURN(auto tokens, st->TokensOf(u.id));
    for (const auto& t : tokens) {
      std::printf("  token %s\tcreated %s\t%s%s\n", t.id.c_str(), t.created_at.c_str(),
                  t.expires_at.empty() ? "no expiry" : ("expires " + t.expires_at).c_str(),
                  t.revoked ? "\trevoked" : "");
    }
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
  cmd->add_option("--four-eyes", o->four_eyes,
                  "Licensing decisions by someone other than who assessed the criteria "
                  "(true/false)")
      ->default_val(false);
  cmd->add_option("--token-key", o->token_key,
                  "HMAC key of the API tokens (default <data-dir>/token.key, created 0600)");
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

  auto key_path = std::make_shared<std::string>();
  users->add_option("--token-key", *key_path,
                    "HMAC key of the API tokens (default <data-dir>/token.key)");

  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  auto org = std::make_shared<std::string>();
  auto* add = users->add_subcommand("add", "Add a user: users add NAME --role ROLE");
  add->add_option("NAME", *name, "User name (NFC, printable, at most 64 characters)")->required();
  add->add_option("--role", *role, "officer, reviewer, admin or authority")->required();
  add->add_option("--organisation", *org,
                  "The exporter or authority the user acts for (officers see its records)");
  add->fallthrough();  // accept --data-dir / --db after the subcommand too
  SetAction(add, [=] { return UsersAdd(*common, *db, *name, *role, *org); });

  auto tname = std::make_shared<std::string>();
  auto days = std::make_shared<int>(90);
  auto* token = users->add_subcommand("token", "Make a new API token for NAME; printed once");
  token->add_option("NAME", *tname, "User name")->required();
  token->add_option("--expires-days", *days, "Days the token is valid (0: never expires)")
      ->default_val(90);
  token->fallthrough();
  SetAction(token, [=] { return UsersToken(*common, *db, *key_path, *tname, *days); });

  auto tid = std::make_shared<std::string>();
  auto* revoke = users->add_subcommand("revoke", "Revoke the API token TOKEN_ID (users list)");
  revoke->add_option("TOKEN_ID", *tid, "The token's id (12 hex digits)")->required();
  revoke->fallthrough();
  SetAction(revoke, [=]() -> Status {
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(*common, *db));
    DU_RETURN_IF_ERROR(st->RevokeToken(*tid, CliActor()));
    std::printf("revoked token %s\n", tid->c_str());
    return Status::Ok();
  });

  for (const bool disable : {true, false}) {
    auto uname = std::make_shared<std::string>();
    auto* cmd2 =
        users->add_subcommand(disable ? "disable" : "enable",
                              disable ? "Disable NAME: every token refused" : "Enable NAME again");
    cmd2->add_option("NAME", *uname, "User name")->required();
    cmd2->fallthrough();
    SetAction(cmd2, [=]() -> Status {
      DU_ASSIGN_OR_RETURN(auto st, OpenStore(*common, *db));
      DU_ASSIGN_OR_RETURN(store::User u, st->GetUserByName(*uname));
      DU_RETURN_IF_ERROR(st->SetUserDisabled(u.id, disable, CliActor()));
      std::printf("%s user %s\n", disable ? "disabled" : "enabled", u.name.c_str());
      return Status::Ok();
    });
  }

  auto rname = std::make_shared<std::string>();
  auto rrole = std::make_shared<std::string>();
  auto* setrole = users->add_subcommand("role", "Change NAME's role: users role NAME ROLE");
  setrole->add_option("NAME", *rname, "User name")->required();
  setrole->add_option("ROLE", *rrole, "officer, reviewer, admin or authority")->required();
  setrole->fallthrough();
  SetAction(setrole, [=]() -> Status {
    if (!server::ParseRole(*rrole)) {
      return Status::InvalidArgument("ROLE: \"" + *rrole +
                                     "\" is not one of officer, reviewer, admin, authority");
    }
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(*common, *db));
    DU_ASSIGN_OR_RETURN(store::User u, st->GetUserByName(*rname));
    DU_RETURN_IF_ERROR(st->SetUserRole(u.id, *rrole, CliActor()));
    std::printf("user %s is now %s\n", u.name.c_str(), rrole->c_str());
    return Status::Ok();
  });

  auto* list = users->add_subcommand("list", "List users");
  list->fallthrough();
  SetAction(list, [=] { return UsersList(*common, *db); });
}

}  // namespace dualuse::cli
