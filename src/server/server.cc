// The HTTP server: cpp-httplib's thread pool, one wrapper (Api) that every
// API route goes through, and a group-commit writer for records.
//
// Api(): authenticate (401) -> authorise by role (403) -> parse the JSON
// body (400) -> run the handler -> on 2xx append the record and wait for its
// commit -> answer. Requests refused at any step leave nothing in the store.
// Body size (413) is checked by httplib before any of this.
#include "dualuse/server/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "assets.h"
#include "authority_routes.h"
#include "classify_routes.h"
#include "dualuse/base/date.h"
#include "dualuse/base/sha256.h"
#include "handlers.h"

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

// JSON text; invalid UTF-8 from a list file is replaced, never thrown.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(Dump(body), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  SendJson(res, status, internal::ErrorBody(code, message));
}

// Positive token checks, so that the Argon2id cost is paid once per token
// and minute, not per request.
class TokenCache {
 public:
  std::optional<Principal> Get(const std::string& key) {
    std::shared_lock lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || it->second.expires < std::chrono::steady_clock::now()) {
      return std::nullopt;
    }
    return it->second.principal;
  }
  void Put(const std::string& key, const Principal& p) {
    std::unique_lock lock(mu_);
    if (map_.size() > 10000) map_.clear();
    map_[key] = {p, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  }

 private:
  struct Entry {
    Principal principal;
    std::chrono::steady_clock::time_point expires;
  };
  std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> map_;
};

// Group commit: handlers enqueue records and wait; one thread appends all
// waiting records in one transaction (one commit) and wakes them.
class RecordWriter {
 public:
  explicit RecordWriter(store::Store* store) : store_(store), thread_([this] { Loop(); }) {}
  ~RecordWriter() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();  // drains the queue first
  }

  // Blocks until the record (and its alerts) is committed; returns its id.
  // The record was checked and serialised by the calling request thread
  // (PreparedRecord), so the writer only numbers, hashes and inserts.
  Result<int64_t> Append(store::PreparedRecord record, std::vector<store::AlertInput> alerts) {
    Item item{std::move(record), std::move(alerts), {}};
    auto done = item.done.get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(item));
    }
    cv_.notify_one();
    return done.get();
  }

 private:
  struct Item {
    store::PreparedRecord record;
    std::vector<store::AlertInput> alerts;
    std::promise<Result<int64_t>> done;
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
          batch[i].done.set_value((*written)[i].id);
        continue;
      }
      // All or none failed: so that one bad record cannot fail the requests
      // it happened to share a transaction with, retry each on its own.
      for (size_t i = 0; i < batch.size(); ++i) {
        if (batch.size() == 1) {
          batch[i].done.set_value(written.error());
          continue;
        }
        auto one = store_->AppendPrepared({records[i]}, {alerts[i]});
        if (one.ok()) {
          batch[i].done.set_value(one->front().id);
        } else {
          batch[i].done.set_value(one.error());
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
 public:
  Impl(const ServerOptions& options, Backends backends)
      : options_(options),
        backends_(backends),
        handlers_(backends, options),
        writer_(backends.store) {
    Configure();
    Routes();
  }

  Status Bind() {
    if (options_.port == 0) {
      port_ = http_.bind_to_any_port(options_.host);
      if (port_ <= 0) return Status::Unavailable("cannot bind " + options_.host);
    } else {
      if (!http_.bind_to_port(options_.host, options_.port)) {
        return Status::Unavailable("cannot bind " + options_.host + ":" +
                                   std::to_string(options_.port));
      }
      port_ = options_.port;
    }
    // A burst of connections (64 at once from a load balancer or wrk) would
    // overflow a backlog of 5: the kernel drops the handshakes beyond it and
    // the clients retry after a second. listen() again on a listening socket
    // only changes its backlog (Linux).
    if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
    return Status::Ok();
  }

  Status Run() {
    if (port_ <= 0) DU_RETURN_IF_ERROR(Bind());
    run_called_ = true;
    bool clean = stopping_ || http_.listen_after_bind() || stopping_;
    run_done_ = true;
    if (!clean) return Status::Unavailable("the HTTP server stopped unexpectedly");
    return Status::Ok();
  }

  // httplib's stop() does nothing until listen has started, so a Stop()
  // racing a Run() that is just starting waits for it (at most 5 s).
  void Stop() {
    stopping_ = true;
    for (int i = 0; i < 5000 && run_called_ && !run_done_ && !http_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    http_.stop();
  }

  int port() const { return port_; }

 private:
  void Configure() {
    http_.new_task_queue = [n = options_.threads] {
      return new httplib::ThreadPool(static_cast<size_t>(n));
    };
    // httplib writes the headers and the body of an answer with two send()s;
    // with Nagle's algorithm the body then waits for the client's delayed
    // ACK of the headers (up to 40 ms on Linux). Accepted sockets inherit
    // TCP_NODELAY from the listening socket.
    http_.set_tcp_nodelay(true);
    // Remembers the listening socket (httplib's own options, plus the fd),
    // so that Bind() can raise httplib 0.11's fixed backlog of 5.
    http_.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_socket_ = sock;
    });
    http_.set_payload_max_length(options_.max_body_bytes);
    http_.set_read_timeout(options_.read_timeout_seconds, 0);
    http_.set_write_timeout(options_.write_timeout_seconds, 0);
    http_.set_keep_alive_timeout(options_.keep_alive_seconds);
    http_.set_keep_alive_max_count(10000);
    // Fills the JSON error shape into every error answer that has no body:
    // httplib's own 400 (unparsable request), 404 (no route), 413 (payload).
    http_.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request& req, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          std::string code = "error", message = "the request failed";
          if (res.status == 400) code = "malformed_request", message = "malformed HTTP request";
          if (res.status == 404) code = "not_found", message = "no such resource: " + req.path;
          if (res.status == 413) {
            code = "payload_too_large";
            message = "the request body is larger than the server accepts";
          }
          if (res.status == 414) code = "uri_too_long", message = "the request URI is too long";
          SendError(res, res.status, code, message);
          return httplib::Server::HandlerResponse::Handled;
        }));
    http_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          SendError(res, 500, "internal", "internal error");
        });
    if (options_.access_log) {
      http_.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
      });
    }
  }

  using Handler = std::function<Result<Reply>(const internal::Call&)>;

  void Api(const std::string& method, const std::string& pattern, Permission permission,
           bool json_body, Handler handler) {
    auto wrapped = [this, method, permission, json_body, handler](const httplib::Request& req,
                                                                  httplib::Response& res) {
      Serve(req, res, method, permission, json_body, handler);
    };
    if (method == "GET") http_.Get(pattern, wrapped);
    if (method == "POST") http_.Post(pattern, wrapped);
  }

  std::optional<Principal> Authenticate(const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    const std::string bearer = "Bearer ";
    if (auth.empty()) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401, "unauthenticated", "an API token is required (Authorization: Bearer)");
      return std::nullopt;
    }
    std::string token = auth.rfind(bearer, 0) == 0 ? auth.substr(bearer.size()) : "";
    std::string key = Sha256Hex(token);
    if (auto cached = tokens_.Get(key)) return cached;
    auto invalid = [&res] {
      res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      SendError(res, 401, "invalid_token", "the API token is not valid");
      return std::nullopt;
    };
    std::optional<std::string> id = TokenId(token);
    if (!id) return invalid();
    // kNotFound covers unknown, revoked and expired tokens and disabled users.
    Result<store::Token> found = backends_.store->LookupToken(*id);
    if (!found.ok() && found.error().code() == StatusCode::kNotFound) return invalid();
    if (!found.ok()) {
      SendError(res, 503, "store_unavailable", found.error().message());
      return std::nullopt;
    }
    if (!VerifyToken(found->hash, token)) return invalid();
    Result<store::User> user = backends_.store->GetUser(found->user_id);
    if (!user.ok()) return invalid();
    std::optional<Role> role = ParseRole(user->role);
    if (!role) {
      SendError(res, 403, "forbidden", "user '" + user->name + "' has no server role");
      return std::nullopt;
    }
    Principal p{user->name, *role};
    tokens_.Put(key, p);
    return p;
  }

  void Serve(const httplib::Request& req, httplib::Response& res, const std::string& method,
             Permission permission, bool json_body, const Handler& handler) {
    std::optional<Principal> who = Authenticate(req, res);
    if (!who) return;
    if (!Allowed(who->role, permission)) {
      SendError(
          res, 403, "forbidden",
          std::string("role '") + RoleName(who->role) + "' may not " + method + " " + req.path);
      return;
    }
    using Clock = std::chrono::steady_clock;
    const Clock::time_point started = Clock::now();
    Clock::duration commit_wait{};  // waiting for the record's commit
    internal::Call call;
    call.principal = *who;
    call.method = method;
    call.target = req.target.empty() ? req.path : req.target;
    call.params = req.params;
    for (size_t i = 1; i < req.matches.size(); ++i)
      call.matches.push_back(req.matches[i].str());
    if (json_body) {
      call.body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
      if (call.body.is_discarded()) {
        SendError(res, 400, "malformed_json", "the request body is not valid JSON");
        return;
      }
    }
    Result<Reply> reply = RunHandler(handler, call);
    if (!reply.ok()) {
      ApiError e = internal::ErrorFor(reply.error());
      SendError(res, e.status, e.code, e.message);
      return;
    }
    int64_t record_id = reply->record_id;
    std::string body_text;  // the answer's JSON text when it is also the record's outputs
    if (record_id == 0) {
      store::RecordInput rec;
      rec.kind = reply->kind;
      rec.actor = who->name;
      rec.subject = reply->subject;
      json inputs = {{"method", method}, {"path", call.target}, {"role", RoleName(who->role)}};
      if (json_body) inputs["body"] = call.body;
      rec.inputs = Dump(inputs);
      if (reply->kind == internal::kKindAccess) {
        rec.outputs = "{}";
      } else {
        body_text = Dump(reply->body);
        rec.outputs = body_text;
      }
      rec.law_version = reply->law_version;
      rec.list_versions = Dump(reply->list_versions);
      Result<store::PreparedRecord> prepared = store::PreparedRecord::Make(std::move(rec));
      if (!prepared.ok()) {  // e.g. a NUL in a name: text the record cannot hold
        ApiError e = internal::ErrorFor(prepared.error());
        SendError(res, e.status, e.code, e.message);
        return;
      }
      const Clock::time_point queued = Clock::now();
      Result<int64_t> id = writer_.Append(std::move(*prepared), std::move(reply->alerts));
      commit_wait = Clock::now() - queued;
      if (!id.ok()) {
        SendError(res, 503, "store_unavailable",
                  "the record could not be written: " + id.error().message());
        return;
      }
      record_id = *id;
    }
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
    if (!body_text.empty()) {
      // The text recorded as outputs is the answer; serialised once.
      if (reply->with_record_id && reply->body.is_object()) {
        body_text.pop_back();  // '}'
        if (body_text.size() > 1) body_text.push_back(',');
        body_text += "\"record_id\":" + std::to_string(record_id) + "}";
      }
      res.status = reply->status;
      res.body = std::move(body_text);
      res.set_header("Content-Type", "application/json");
      return;
    }
    if (reply->body.is_object() && reply->with_record_id) reply->body["record_id"] = record_id;
    SendJson(res, reply->status, reply->body);
  }

  static Result<Reply> RunHandler(const Handler& handler, const internal::Call& call) {
    try {
      return handler(call);
    } catch (const json::exception& e) {
      // Only request shapes reach the JSON accessors; a type error is the client's.
      return Status::InvalidArgument(std::string("request: ") + e.what());
    } catch (const std::exception& e) {
      return Status::Internal(e.what());
    }
  }

  void Routes() {
    http_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
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
    http_.Get("/", [asset](const httplib::Request&, httplib::Response& res) {
      asset("index.html", res);
    });
    http_.Get("/openapi.json", [asset](const httplib::Request&, httplib::Response& res) {
      asset("openapi.json", res);
    });
    http_.Get(R"(/assets/(.+))", [asset](const httplib::Request& req, httplib::Response& res) {
      std::string path = req.matches[1];
      if (path.find("..") != std::string::npos) return SendError(res, 404, "not_found", path);
      asset(path, res);
    });

    auto& h = handlers_;
    Api("GET", "/me", Permission::kAnyRole, false, [&h](const auto& c) { return h.Me(c); });
    Api("POST", "/screen", Permission::kAnyRole, true, [&h](const auto& c) { return h.Screen(c); });
    Api("POST", R"(/match/([A-Za-z0-9_.-]+))", Permission::kAnyRole, true,
        [&h](const auto& c) { return h.Match(c); });
    Api("POST", "/assess", Permission::kAnyRole, true, [&h](const auto& c) { return h.Assess(c); });
    Api("GET", "/lists", Permission::kAnyRole, false, [&h](const auto& c) { return h.Lists(c); });
    Api("GET", "/records", Permission::kAnyRole, false,
        [&h](const auto& c) { return h.Records(c); });
    Api("GET", R"(/records/(\d+))", Permission::kAnyRole, false,
        [&h](const auto& c) { return h.RecordById(c); });
    Api("POST", R"(/records/(\d+)/replay)", Permission::kAnyRole, false,
        [&h](const auto& c) { return h.Replay(c); });
    Api("GET", "/review", Permission::kAnyRole, false,
        [&h](const auto& c) { return h.Reviews(c); });
    Api("POST", R"(/review/(\d+)/decision)", Permission::kDecideReview, true,
        [&h](const auto& c) { return h.Decide(c); });
    Api("GET", "/users", Permission::kAdmin, false, [&h](const auto& c) { return h.Users(c); });
    RegisterClassifyRoutes(&http_, backends_.store,
                           [this](const auto& q, auto& r) { return Authenticate(q, r); });
    if (backends_.authority) {
      // Authenticated here; roles, records and errors are the authority module's.
      RegisterAuthorityRoutes(&http_, backends_.authority,
                              [this](const httplib::Request& q,
                                     httplib::Response& r) -> std::optional<AuthorityCaller> {
                                std::optional<Principal> who = Authenticate(q, r);
                                if (!who) return std::nullopt;
                                return AuthorityCaller{who->name, RoleName(who->role)};
                              });
    }
  }

  ServerOptions options_;
  Backends backends_;
  internal::Handlers handlers_;
  httplib::Server http_;
  TokenCache tokens_;
  RecordWriter writer_;
  int port_ = -1;
  socket_t listen_socket_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> run_called_{false};
  std::atomic<bool> run_done_{false};
};

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options, Backends backends) {
  if (!backends.store) return Status::InvalidArgument("serve: a store is required");
  if (options.threads < 1 || options.max_body_bytes < 1) {
    return Status::InvalidArgument("serve: threads and body limit must be positive");
  }
  return std::unique_ptr<Server>(new Server(std::make_unique<Impl>(options, backends)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;
Status Server::Bind() { return impl_->Bind(); }
int Server::port() const { return impl_->port(); }
Status Server::Run() { return impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace dualuse::server
