// The HTTP server: HttpServer (libmicrohttpd's event loops), one wrapper
// (Serve) that every API route goes through, and a group-commit writer for
// records.
//
// Serve(): authenticate (401) -> authorise by role (403) -> parse the JSON
// body (400) -> run the handler -> on 2xx hand the record to the writer ->
// answer once it is committed. The event-loop thread does not wait for the
// commit: the connection is suspended and the writer answers it. Requests
// refused at any step leave nothing in the store. Body size (413) is checked
// by HttpServer before any of this.
#include "dualuse/server/server.h"

#include <strings.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "access_policy.h"
#include "assets.h"
#include "auth_limiter.h"
#include "authority_routes.h"
#include "classify_routes.h"
#include "dualuse/base/date.h"
#include "dualuse/base/sha256.h"
#include "dualuse/messages/catalogue.h"
#include "dualuse/server/reloadable_screener.h"
#include "handlers.h"
#include "http_server.h"
#include "request_limits.h"
#include "route_table.h"
#include "token_cache.h"
#include "yente.h"

namespace dualuse::server {
namespace {

using internal::ApiError;
using internal::Reply;
using nlohmann::json;

// Which roles may call what (docs/deploy.md, "Roles").
enum class Permission { kAnyRole, kDecideReview, kAdmin };

bool Allowed(Role role, Permission p) {
  switch (p) {
    case Permission::kAnyRole:
      return true;
    case Permission::kDecideReview:
      return role == Role::kReviewer || role == Role::kAdmin;
    case Permission::kAdmin:
      return role == Role::kAdmin;
  }
  return false;
}

const char* RoleFor(Permission p) {
  switch (p) {
    case Permission::kAnyRole:
      return kRoleAny;
    case Permission::kDecideReview:
      return kRoleDecideReview;
    case Permission::kAdmin:
      return kRoleAdmin;
  }
  return kRoleAdmin;
}

// JSON text; invalid UTF-8 from a list file is replaced, never thrown.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

// Text for a log line: control characters (a decoded %0a in a path, say),
// DEL, backslash and space as \xHH, so that one request is one line and no
// request can forge another's.
std::string LogSafe(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == '\\' || c == ' ') {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

namespace {

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(Dump(body), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  SendJson(res, status, internal::ErrorBody(code, message));
}

// Group commit: request threads enqueue records; one thread appends all
// waiting records in one transaction (one commit) and then calls each
// record's `done` (on the writer thread: keep it short).
class RecordWriter {
 public:
  using Done = std::function<void(Result<int64_t>)>;

  explicit RecordWriter(store::Store* store) : store_(store), thread_([this] { Loop(); }) {}
  ~RecordWriter() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();  // drains the queue first
  }

  // `done` gets the record's id once it (and its alerts) is committed, or
  // the error. The record was checked and serialised by the calling thread
  // (PreparedRecord), so the writer only numbers, hashes and inserts.
  void Append(store::PreparedRecord record, std::vector<store::AlertInput> alerts, Done done) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back({std::move(record), std::move(alerts), std::move(done)});
    }
    cv_.notify_one();
  }

 private:
  struct Item {
    store::PreparedRecord record;
    std::vector<store::AlertInput> alerts;
    Done done;
  };

  void Loop() {
    for (;;) {
      std::deque<Item> batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stop_ and drained
        batch.swap(queue_);
      }
      std::vector<store::PreparedRecord> records;
      std::vector<std::vector<store::AlertInput>> alerts;
      records.reserve(batch.size());
      alerts.reserve(batch.size());
      for (Item& it : batch) {
        records.push_back(std::move(it.record));
        alerts.push_back(std::move(it.alerts));
      }
      auto written = store_->AppendPrepared(records, alerts);
      if (written.ok()) {
        for (size_t i = 0; i < batch.size(); ++i)
          batch[i].done((*written)[i].id);
        continue;
      }
      // All or none failed: so that one bad record cannot fail the requests
      // it happened to share a transaction with, retry each on its own.
      for (size_t i = 0; i < batch.size(); ++i) {
        if (batch.size() == 1) {
          batch[i].done(written.error());
          continue;
        }
        auto one = store_->AppendPrepared({records[i]}, {alerts[i]});
        if (one.ok()) {
          batch[i].done(one->front().id);
        } else {
          batch[i].done(one.error());
        }
      }
    }
  }

  store::Store* store_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

class Server::Impl {
  using Clock = std::chrono::steady_clock;

 public:
  // `key_given`: options.token_key is the deployment's key, not one made up
  // for this process; only then are Argon2id tokens rewritten to HMAC form
  // (a made-up key would make them unusable after a restart).
  Impl(const ServerOptions& options, Backends backends, bool key_given)
      : options_(options),
        upgrade_legacy_tokens_(key_given),
        limits_(LimitsFrom(options)),
        backends_(backends),
        handlers_(backends, options),
        tokens_(std::chrono::seconds(options.token_cache_seconds),
                std::chrono::seconds(options.token_cache_seconds) * 3 / 4),
        token_key_(options.token_key),
        decoy_hash_(TokenHmac(options.token_key, "du_decoy")),
        id_failures_(options.auth_failures_per_token,
                     std::chrono::seconds(options.auth_failure_window_seconds)),
        addr_failures_(options.auth_failures_per_address,
                       std::chrono::seconds(options.auth_failure_window_seconds)),
        writer_(backends.store),
        http_(HttpOptions(options)) {
    Configure();
    Routes();
  }

  void ForgetVerifiedTokens() { tokens_.Clear(); }

  Status Bind() {
    DU_RETURN_IF_ERROR(http_.Bind(options_.host, options_.port));
    port_ = http_.port();
    return Status::Ok();
  }

  // Serves until Stop(); then answers the requests already received (their
  // records committed) and returns.
  Status Run() {
    if (port_ <= 0) DU_RETURN_IF_ERROR(Bind());
    return http_.Run();
  }

  void Stop() { http_.Stop(); }

  int port() const { return port_; }
  const std::vector<ServerRoute>& routes() const { return routes_.routes(); }

 private:
  static RequestLimits LimitsFrom(const ServerOptions& o) {
    RequestLimits l;
    l.max_json_depth = o.max_json_depth;
    l.max_aliases_per_party = static_cast<size_t>(o.max_aliases_per_party);
    l.max_names = static_cast<size_t>(o.max_names);
    l.max_name_chars = static_cast<size_t>(o.max_name_chars);
    return l;
  }

  static HttpServer::Options HttpOptions(const ServerOptions& o) {
    HttpServer::Options h;
    h.threads = o.threads;
    h.worker_threads = o.worker_threads;
    h.max_body_bytes = o.max_body_bytes;
    // libmicrohttpd has one inactivity timeout for reads, writes and idle
    // keep-alive connections.
    h.idle_timeout_seconds =
        std::max({o.read_timeout_seconds, o.write_timeout_seconds, o.keep_alive_seconds});
    return h;
  }

  void Configure() {
    // Fills the JSON error shape into every error answer that has no body:
    // 404 (no route), 413 (payload), 500 (a handler threw).
    http_.set_error_body([](const httplib::Request& req, httplib::Response& res) {
      std::string code = "error", message = "the request failed";
      if (res.status == 400) code = "malformed_request", message = "malformed HTTP request";
      if (res.status == 404) code = "not_found", message = "no such resource: " + req.path;
      if (res.status == 413) {
        code = "payload_too_large";
        message = "the request body is larger than the server accepts";
      }
      if (res.status == 500) code = "internal", message = "internal error";
      SendError(res, res.status, code, message);
    });
    if (options_.access_log) {
      http_.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        std::fprintf(stderr, "%s %s %d\n", LogSafe(req.method).c_str(), LogSafe(req.path).c_str(),
                     res.status);
      });
    }
  }

  using Handler = std::function<Result<Reply>(const internal::Call&)>;

  // What a route's work grows with, beyond its body's size.
  enum class Work { kNone, kScreen, kMatch };

  using Runs = HttpServer::Runs;

  // `runs`: kOnWorker for handlers that query the store. A kOnEventLoop
  // route still moves to the worker pool when its token is not in the
  // cache: the store lookup and the Argon2id check (~20 ms) would stall
  // every connection of that event-loop thread. A cached token due for
  // re-confirmation is re-confirmed on the pool while it keeps serving.
  void Api(const std::string& method, const std::string& pattern, Permission permission,
           bool json_body, Runs runs, Handler handler) {
    // Screening routes: their names are counted and bounded before the
    // handler runs (request_limits.h).
    const Work work = pattern == "/screen"               ? Work::kScreen
                      : pattern.rfind("/match/", 0) == 0 ? Work::kMatch
                                                         : Work::kNone;
    auto wrapped = [this, method, permission, json_body, runs, work, handler](
                       const httplib::Request& req, HttpServer::Respond respond) {
      const std::string auth = req.get_header_value("Authorization");
      std::optional<Principal> cached;
      if (runs == Runs::kOnEventLoop && !auth.empty() && AuthorizationHeaders(req) == 1) {
        std::string token = BearerToken(auth);
        std::string key = Sha256Hex(token);
        bool refresh = false;
        cached = tokens_.Get(key, Clock::now(), &refresh);
        if (!cached) {
          // `respond` keeps `req` alive (HttpServer's contract).
          return http_.Offload(
              [this, &req, respond, method, permission, json_body, work, &handler] {
                Serve(req, respond, std::nullopt, method, permission, json_body, work,
                      /*on_worker=*/true, handler);
              });
        }
        if (refresh) {
          http_.Offload([this, token = std::move(token), key = std::move(key)] {
            (void)ConfirmToken(token, key);  // a revoked token is dropped from the cache
          });
        }
      }
      Serve(req, std::move(respond), cached, method, permission, json_body, work,
            runs == Runs::kOnWorker, handler);
    };
    routes_.AddAsync(method, pattern, RoleFor(permission), wrapped, runs);
  }

  // The credentials of "Bearer <token>"; the scheme is case-insensitive
  // (RFC 9110, 11.1), "" for any other scheme.
  static std::string BearerToken(const std::string& authorization) {
    if (authorization.size() < 7 || strncasecmp(authorization.c_str(), "bearer ", 7) != 0) {
      return "";
    }
    size_t at = authorization.find_first_not_of(' ', 7);
    return at == std::string::npos ? "" : authorization.substr(at);
  }

  // Exactly one Authorization header: two (a proxy's and a client's, say)
  // would leave it to chance which one is believed.
  static size_t AuthorizationHeaders(const httplib::Request& req) {
    return req.get_header_value_count("Authorization");
  }

  // Confirms `token` against the store and caches the answer (TokenCache).
  // HMAC tokens: one HMAC-SHA-256 and a constant-time comparison, the same
  // work for an unknown id (compared against a decoy) as for a known one.
  // Argon2id tokens (issued before) run one at a time (argon2_mu_) and are
  // replaced by their HMAC form once verified. kNotFound: not a valid token
  // (unknown, revoked, expired, user disabled, wrong secret);
  // kFailedPrecondition: the user has no server role; other codes: the
  // store failed.
  Result<Principal> ConfirmToken(const std::string& token, const std::string& key) {
    std::optional<std::string> id = TokenId(token);
    Result<store::Token> found = id ? backends_.store->LookupToken(*id)
                                    : Result<store::Token>(Status::NotFound("not a token"));
    if (!found.ok()) {
      if (found.error().code() != StatusCode::kNotFound) return found.error();
      tokens_.Drop(key);
      (void)VerifyTokenHmac(decoy_hash_, token_key_, token);  // the same work as a known id
      return found.error();
    }
    Result<store::User> user = backends_.store->GetUser(found->user_id);
    if (!user.ok()) {
      tokens_.Drop(key);
      return Status::NotFound("no user");
    }
    std::optional<Role> role = ParseRole(user->role);
    if (!role) {
      tokens_.Drop(key);
      return Status::FailedPrecondition("user '" + user->name + "' has no server role");
    }
    if (!tokens_.Confirmable(key, found->id, found->hash)) {
      if (IsHmacHash(found->hash)) {
        if (!VerifyTokenHmac(found->hash, token_key_, token)) {
          return Status::NotFound("token does not match");
        }
      } else {
        std::lock_guard lock(argon2_mu_);
        // Another request may have verified the same token while we waited.
        if (!tokens_.Confirmable(key, found->id, found->hash) && !VerifyToken(found->hash, token)) {
          return Status::NotFound("token does not match");
        }
        // Verified: from now on the fast keyed hash.
        std::string hmac = TokenHmac(token_key_, token);
        if (upgrade_legacy_tokens_ &&
            backends_.store->ReplaceTokenHash(found->id, found->hash, hmac).ok()) {
          found->hash = hmac;
        }
      }
    }
    Principal p{user->name, *role, user->organisation};
    tokens_.Put(key, {p, found->id, found->hash}, Clock::now());
    return p;
  }

  // 401 invalid_token, with the attempt counted against the token id and
  // the client address.
  void RefuseToken(const httplib::Request& req, const std::string& token, httplib::Response& res) {
    const Clock::time_point now = Clock::now();
    if (std::optional<std::string> id = TokenId(token)) id_failures_.Fail("id:" + *id, now);
    addr_failures_.Fail("addr:" + req.remote_addr, now);
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    SendError(res, 401, "invalid_token", "the API token is not valid");
  }

  std::optional<Principal> Authenticate(const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    if (AuthorizationHeaders(req) > 1) {
      SendError(
          res, 400, "invalid_request",
          "expected one Authorization header, got " + std::to_string(AuthorizationHeaders(req)));
      return std::nullopt;
    }
    if (auth.empty()) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401, "unauthenticated", "an API token is required (Authorization: Bearer)");
      return std::nullopt;
    }
    std::string token = BearerToken(auth);
    std::string key = Sha256Hex(token);
    if (auto cached = tokens_.Get(key, Clock::now())) return cached;
    // Too many failed checks for this token id or from this address:
    // refused before any check (a cached, verified token is not affected).
    const Clock::time_point now = Clock::now();
    std::optional<std::string> id = TokenId(token);
    if ((id && id_failures_.Blocked("id:" + *id, now)) ||
        addr_failures_.Blocked("addr:" + req.remote_addr, now)) {
      res.set_header("Retry-After", std::to_string(options_.auth_failure_window_seconds));
      SendError(res, 429, "too_many_requests",
                "too many failed token checks for this token or from this address; retry later");
      return std::nullopt;
    }
    Result<Principal> who = ConfirmToken(token, key);
    if (who.ok()) return *who;
    switch (who.error().code()) {
      case StatusCode::kNotFound:
        RefuseToken(req, token, res);
        break;
      case StatusCode::kFailedPrecondition:
        SendError(res, 403, "forbidden", who.error().message());
        break;
      default:
        SendError(res, 503, "store_unavailable", who.error().message());
    }
    return std::nullopt;
  }

  // Answers by `respond`: at once when the request is refused or records
  // nothing itself, else from the writer thread once the record is committed.
  void Serve(const httplib::Request& req, HttpServer::Respond respond,
             const std::optional<Principal>& known, const std::string& method,
             Permission permission, bool json_body, Work work, bool on_worker,
             const Handler& handler) {
    httplib::Response res;
    auto refuse = [&](int status, const std::string& code, const std::string& message) {
      SendError(res, status, code, message);
      respond(std::move(res));
    };
    // `known`: the principal the caller already found in the token cache.
    std::optional<Principal> who = known ? known : Authenticate(req, res);
    if (!who) return respond(std::move(res));
    if (!Allowed(who->role, permission)) {
      return refuse(
          403, "forbidden",
          std::string("role '") + RoleName(who->role) + "' may not " + method + " " + req.path);
    }
    const Clock::time_point started = Clock::now();
    internal::Call call;
    call.principal = *who;
    call.method = method;
    call.target = req.target.empty() ? req.path : req.target;
    call.params = req.params;
    call.lang = messages::LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
    for (size_t i = 1; i < req.matches.size(); ++i)
      call.matches.push_back(req.matches[i].str());
    if (json_body) {
      // The one place an API body is parsed: nesting bounded first.
      Result<json> body = ParseBoundedJson(req.body, limits_.max_json_depth);
      if (!body.ok()) {
        ApiError e = internal::ErrorFor(body.error());
        return refuse(e.status, e.code, e.message);
      }
      call.body = std::move(*body);
    }
    if (work != Work::kNone) {
      Result<ScreeningWork> counted = CheckScreeningWork(call.body, work == Work::kMatch, limits_);
      if (!counted.ok()) {
        ApiError e = internal::ErrorFor(counted.error());
        return refuse(e.status, e.code, e.message);
      }
      if (counted->names > static_cast<size_t>(options_.light_names)) {
        // A heavy screening: never on an event-loop thread (/healthz and
        // light requests are served there), and one at a time per user.
        std::shared_ptr<HeavySlot> slot = HeavySlot::Take(this, who->name);
        if (!slot) {
          res.set_header("Retry-After", "1");
          return refuse(429, "too_many_requests",
                        "user '" + who->name + "' already has " +
                            std::to_string(options_.heavy_per_user) +
                            " large screening request(s) in progress; retry when answered");
        }
        if (!on_worker) {
          return http_.Offload([this, call = std::move(call), who = *who, json_body, started,
                                respond = std::move(respond), &handler, slot]() mutable {
            Finish(std::move(call), who, json_body, started, std::move(respond), handler);
          });
        }
        return Finish(std::move(call), *who, json_body, started, std::move(respond), handler);
      }
    }
    Finish(std::move(call), *who, json_body, started, std::move(respond), handler);
  }

  // Heavy screening requests in progress per user (options_.heavy_per_user).
  struct HeavySlot {
    Impl* impl;
    std::string user;
    static std::shared_ptr<HeavySlot> Take(Impl* impl, const std::string& user) {
      std::lock_guard lock(impl->heavy_mu_);
      int& n = impl->heavy_[user];
      if (n >= impl->options_.heavy_per_user) return nullptr;
      ++n;
      return std::shared_ptr<HeavySlot>(new HeavySlot{impl, user});
    }
    ~HeavySlot() {
      std::lock_guard lock(impl->heavy_mu_);
      if (--impl->heavy_[user] <= 0) impl->heavy_.erase(user);
    }
  };

  // Runs the handler and records a 2xx answer; answers by `respond`.
  void Finish(internal::Call call, const Principal& who0, bool json_body, Clock::time_point started,
              HttpServer::Respond respond, const Handler& handler) {
    const Principal* who = &who0;
    httplib::Response res;
    auto refuse = [&](int status, const std::string& code, const std::string& message) {
      SendError(res, status, code, message);
      respond(std::move(res));
    };
    const std::string& method = call.method;
    Result<Reply> reply = RunHandler(handler, call);
    if (!reply.ok()) {
      ApiError e = internal::ErrorFor(reply.error());
      return refuse(e.status, e.code, e.message);
    }
    // The answer's text, serialised once here (not on the writer thread); for
    // a record that is not an access record it is also the record's outputs.
    const int status = reply->status;
    const bool splice = reply->with_record_id && reply->body.is_object();
    std::string body_text = Dump(reply->body);
    if (reply->record_id != 0) {  // the handler recorded the request itself
      return respond(Answer(status, std::move(body_text), splice, reply->record_id, started,
                            Clock::duration{}));
    }
    store::RecordInput rec;
    rec.kind = reply->kind;
    rec.actor = who->name;
    rec.subject = reply->subject;
    json inputs = {{"method", method}, {"path", call.target}, {"role", RoleName(who->role)}};
    if (json_body) inputs["body"] = call.body;
    rec.inputs = Dump(inputs);
    rec.outputs = reply->kind == internal::kKindAccess ? "{}" : body_text;
    rec.law_version = reply->law_version;
    rec.list_versions = Dump(reply->list_versions);
    Result<store::PreparedRecord> prepared = store::PreparedRecord::Make(std::move(rec));
    if (!prepared.ok()) {  // e.g. a NUL in a name: text the record cannot hold
      ApiError e = internal::ErrorFor(prepared.error());
      return refuse(e.status, e.code, e.message);
    }
    const Clock::time_point queued = Clock::now();
    writer_.Append(std::move(*prepared), std::move(reply->alerts),
                   [status, splice, body_text = std::move(body_text), started, queued,
                    respond = std::move(respond)](Result<int64_t> id) mutable {
                     if (!id.ok()) {
                       httplib::Response failed;
                       SendError(failed, 503, "store_unavailable",
                                 "the record could not be written: " + id.error().message());
                       return respond(std::move(failed));
                     }
                     respond(Answer(status, std::move(body_text), splice, *id, started,
                                    Clock::now() - queued));
                   });
  }

  // The 2xx answer for a recorded request: `body_text` with "record_id"
  // spliced in as the last member when `splice`.
  static httplib::Response Answer(int status, std::string body_text, bool splice, int64_t record_id,
                                  Clock::time_point started, Clock::duration commit_wait) {
    httplib::Response res;
    res.set_header("X-Dualuse-Record", std::to_string(record_id));
    // W3C Server-Timing: where the time went (computing the answer, waiting
    // for the record's commit), in milliseconds.
    auto ms = [](Clock::duration d) {
      return std::chrono::duration<double, std::milli>(d).count();
    };
    char timing[160];
    std::snprintf(timing, sizeof timing, "compute;dur=%.3f, commit;dur=%.3f",
                  ms(Clock::now() - started - commit_wait), ms(commit_wait));
    res.set_header("Server-Timing", timing);
    if (splice) {
      body_text.pop_back();  // '}'
      if (body_text.size() > 1) body_text.push_back(',');
      body_text += "\"record_id\":" + std::to_string(record_id) + "}";
    }
    res.status = status;
    res.body = std::move(body_text);
    res.set_header("Content-Type", "application/json");
    return res;
  }

  Result<Reply> RunHandler(const Handler& handler, const internal::Call& call) const {
    try {
      // One request, one set of lists, also while they are being replaced.
      std::optional<ReloadableScreener::Pinned> pinned;
      if (reloadable_) pinned.emplace(reloadable_->Pin());
      return handler(call);
    } catch (const json::exception& e) {
      // Only request shapes reach the JSON accessors; a type error is the client's.
      return Status::InvalidArgument(std::string("request: ") + e.what());
    } catch (const std::exception& e) {
      return Status::Internal(e.what());
    }
  }

  void Routes() {
    routes_.Add("GET", "/healthz", kRolePublic,
                [this](const httplib::Request&, httplib::Response& res) {
                  SendJson(res, 200, handlers_.Health());
                });
    auto asset = [](const std::string& path, httplib::Response& res) {
      const internal::EmbeddedAsset* a = internal::FindAsset(path);
      if (!a) return SendError(res, 404, "not_found", "no such file: " + path);
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_header("Cache-Control", "no-cache");
      res.set_content(reinterpret_cast<const char*>(a->data), a->size,
                      internal::ContentTypeFor(path));
    };
    routes_.Add("GET", "/", kRolePublic, [asset](const httplib::Request&, httplib::Response& res) {
      asset("index.html", res);
    });
    routes_.Add(
        "GET", "/openapi.json", kRolePublic,
        [asset](const httplib::Request&, httplib::Response& res) { asset("openapi.json", res); });
    routes_.Add("GET", R"(/assets/(.+))", kRolePublic,
                [asset](const httplib::Request& req, httplib::Response& res) {
                  std::string path = req.matches[1];
                  if (path.find("..") != std::string::npos)
                    return SendError(res, 404, "not_found", path);
                  asset(path, res);
                });

    auto& h = handlers_;
    Api("GET", "/me", Permission::kAnyRole, false, Runs::kOnEventLoop,
        [&h](const auto& c) { return h.Me(c); });
    Api("POST", "/screen", Permission::kAnyRole, true, Runs::kOnEventLoop,
        [&h](const auto& c) { return h.Screen(c); });
    Api("POST", R"(/match/([A-Za-z0-9_.-]+))", Permission::kAnyRole, true, Runs::kOnEventLoop,
        [&h](const auto& c) { return h.Match(c); });
    // yente's data routes (yente.h), behind the same authentication as /match.
    const internal::YenteApi yente(backends_.screener, backends_.lists, options_.max_batch,
                                   options_.stale_after_days);
    Api("GET", R"(/entities/(.+))", Permission::kAnyRole, false, Runs::kOnEventLoop,
        [yente](const auto& c) { return yente.Entity(c); });
    Api("GET", "/catalog", Permission::kAnyRole, false, Runs::kOnWorker,
        [yente](const auto& c) { return yente.Catalog(c); });
    Api("GET", "/algorithms", Permission::kAnyRole, false, Runs::kOnEventLoop,
        [yente](const auto& c) { return yente.Algorithms(c); });
    Api("POST", "/assess", Permission::kAnyRole, true, Runs::kOnEventLoop,
        [&h](const auto& c) { return h.Assess(c); });
    Api("GET", "/lists", Permission::kAnyRole, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.Lists(c); });
    Api("GET", "/records", Permission::kAnyRole, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.Records(c); });
    Api("GET", R"(/records/(\d+))", Permission::kAnyRole, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.RecordById(c); });
    Api("POST", R"(/records/(\d+)/replay)", Permission::kAnyRole, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.Replay(c); });
    Api("GET", "/review", Permission::kAnyRole, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.Reviews(c); });
    Api("POST", R"(/review/(\d+)/decision)", Permission::kDecideReview, true, Runs::kOnWorker,
        [&h](const auto& c) { return h.Decide(c); });
    // Known false positives: reviewers and admins; each change a good_guy record.
    Api("GET", "/review/good-guys", Permission::kDecideReview, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.GoodGuys(c); });
    Api("POST", "/review/good-guys", Permission::kDecideReview, true, Runs::kOnWorker,
        [&h](const auto& c) { return h.AddGoodGuy(c); });
    Api("POST", R"(/review/good-guys/(\d+)/remove)", Permission::kDecideReview, true,
        Runs::kOnWorker, [&h](const auto& c) { return h.RemoveGoodGuy(c); });
    Api("GET", "/users", Permission::kAdmin, false, Runs::kOnWorker,
        [&h](const auto& c) { return h.Users(c); });
    // Administration: a user disabled or enabled, a token revoked. The
    // store records each change (kinds user, token) with the admin as actor;
    // this server's cache forgets the user's tokens at once, other servers
    // on the same store within --token-cache-seconds.
    Api("POST", R"(/users/([^/]+)/(disable|enable))", Permission::kAdmin, false, Runs::kOnWorker,
        [this](const internal::Call& c) -> Result<Reply> {
          DU_ASSIGN_OR_RETURN(store::User u, backends_.store->GetUserByName(c.matches.at(0)));
          const bool disable = c.matches.at(1) == "disable";
          if (disable && u.name == c.principal.name) {
            return Status::FailedPrecondition("an admin cannot disable itself");
          }
          DU_RETURN_IF_ERROR(backends_.store->SetUserDisabled(u.id, disable, c.principal.name));
          tokens_.DropUser(u.name);
          Reply r;
          r.subject = "user:" + u.name;
          r.body = {{"name", u.name}, {"role", u.role}, {"disabled", disable}};
          return r;
        });
    Api("POST", R"(/tokens/([0-9a-f]{12})/revoke)", Permission::kAdmin, false, Runs::kOnWorker,
        [this](const internal::Call& c) -> Result<Reply> {
          const std::string& id = c.matches.at(0);
          DU_RETURN_IF_ERROR(backends_.store->RevokeToken(id, c.principal.name));
          tokens_.DropTokenId(id);
          Reply r;
          r.subject = "token:" + id;
          r.body = {{"token", id}, {"revoked", true}};
          return r;
        });
    RegisterClassifyRoutes(&routes_, backends_.store,
                           [this](const auto& q, auto& r) { return Authenticate(q, r); });
    if (backends_.authority) {
      // Authenticated here; roles, records and errors are the authority module's.
      RegisterAuthorityRoutes(
          &routes_, backends_.authority,
          [this](const httplib::Request& q,
                 httplib::Response& r) -> std::optional<AuthorityCaller> {
            std::optional<Principal> who = Authenticate(q, r);
            if (!who) return std::nullopt;
            return AuthorityCaller{who->name, RoleName(who->role), who->organisation};
          });
    } else {
      // Documented paths answer even when this server has no authority
      // backend: 401 without a token, else 503 not_ready.
      auto not_wired = [this](const httplib::Request& req, httplib::Response& res) {
        if (!Authenticate(req, res)) return;
        ApiError e = internal::ErrorFor(internal::NotReady("the licensing authority"));
        SendError(res, e.status, e.code, e.message);
      };
      routes_.Add("GET", R"(/authority/.*)", kRoleAuthority, not_wired, Runs::kOnWorker);
      routes_.Add("POST", R"(/authority/.*)", kRoleAuthority, not_wired, Runs::kOnWorker);
    }
  }

  ServerOptions options_;
  bool upgrade_legacy_tokens_;
  RequestLimits limits_;
  std::mutex heavy_mu_;
  std::unordered_map<std::string, int> heavy_;
  Backends backends_;
  // The screener when it is replaced while serving (null otherwise).
  const ReloadableScreener* reloadable_ =
      dynamic_cast<const ReloadableScreener*>(backends_.screener);
  internal::Handlers handlers_;
  TokenCache tokens_;
  std::string token_key_;   // HMAC key of the stored token hashes
  std::string decoy_hash_;  // compared against for unknown token ids
  AuthLimiter id_failures_, addr_failures_;
  std::mutex argon2_mu_;  // one Argon2id verification at a time (tokens issued before HMAC)
  RecordWriter writer_;   // after the HTTP server stops, commits what is queued
  HttpServer http_;
  RouteTable routes_{&http_};  // every route, registered with http_
  int port_ = -1;
};

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options, Backends backends) {
  if (!backends.store) return Status::InvalidArgument("serve: a store is required");
  if (options.threads < 0 || options.worker_threads < 1 || options.token_cache_seconds < 0 ||
      options.max_body_bytes < 1) {
    return Status::InvalidArgument(
        "serve: threads must be >= 0, workers >= 1 and the body limit positive");
  }
  ServerOptions o = options;
  const bool key_given = !o.token_key.empty();
  if (!key_given) {
    // Tokens issued elsewhere with a key cannot verify; Argon2id ones can.
    DU_ASSIGN_OR_RETURN(o.token_key, RandomTokenKey());
  }
  return std::unique_ptr<Server>(new Server(std::make_unique<Impl>(o, backends, key_given)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;
Status Server::Bind() { return impl_->Bind(); }
int Server::port() const { return impl_->port(); }
Status Server::Run() { return impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
void Server::ForgetVerifiedTokens() { impl_->ForgetVerifiedTokens(); }

const std::vector<ServerRoute>& Server::Routes() const { return impl_->routes(); }

}  // namespace dualuse::server
