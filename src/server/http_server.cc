#include "http_server.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <utility>
#include <vector>

#include "worker_pool.h"

namespace dualuse::server {
namespace {

struct Route {
  std::string method;  // "GET" or "POST"
  std::regex pattern;
  HttpServer::AsyncHandler handler;
  HttpServer::Runs runs;
};

// One request and its answer. Shared by the connection (libmicrohttpd's
// per-request pointer) and, for an asynchronous answer, the Respond callback.
struct Exchange {
  httplib::Request req;
  std::chrono::steady_clock::time_point received = std::chrono::steady_clock::now();
  bool started = false;     // the first access call (headers) has been seen
  bool counted = false;     // in HttpServer::in_flight (received before Stop())
  bool over_limit = false;  // a chunked body passed max_body_bytes: dropped, answered 413
  size_t dropped = 0;       // bytes of it read and dropped
  std::mutex mu;            // guards everything below
  enum class State { kReading, kRunning, kSuspended, kResuming, kQueued } state = State::kReading;
  std::optional<httplib::Response> answer;
  MHD_Connection* conn = nullptr;  // null once the connection is gone
};

using ExchangePtr = std::shared_ptr<Exchange>;

}  // namespace

struct HttpServer::Impl {
  Options options;
  std::vector<Route> routes;
  ErrorBody error_body;
  Logger logger;
  int listen_fd = -1;
  int port = -1;
  MHD_Daemon* daemon = nullptr;
  std::unique_ptr<WorkerPool> workers;  // destroyed (joined) before the routes

  std::mutex mu;  // guards stop_requested, running and in_flight waits
  std::condition_variable cv;
  bool stop_requested = false;
  std::atomic<bool> stopping{false};  // Stop() was called: new requests are not served
  std::atomic<bool> running{false};
  std::atomic<long> in_flight{0};  // requests received and not yet completed

  void Add(const std::string& method, const std::string& pattern, AsyncHandler h, Runs runs) {
    routes.push_back({method, std::regex(pattern), std::move(h), runs});
  }

  // --- libmicrohttpd callbacks -------------------------------------------

  // Called with the raw request target as soon as the request line is read;
  // its result becomes the request's per-request pointer.
  static void* UriLog(void* cls, const char* uri, MHD_Connection*) {
    auto* self = static_cast<Impl*>(cls);
    auto* holder = new ExchangePtr(std::make_shared<Exchange>());
    (*holder)->req.target = uri ? uri : "";
    // Requests that arrive after Stop() are closed unserved: not waited for.
    (*holder)->counted = !self->stopping.load();
    if ((*holder)->counted) self->in_flight.fetch_add(1);
    return holder;
  }

  static void Completed(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
    auto* self = static_cast<Impl*>(cls);
    auto* holder = static_cast<ExchangePtr*>(*con_cls);
    if (!holder) return;
    const bool counted = (*holder)->counted;
    {
      std::lock_guard lock((*holder)->mu);
      (*holder)->conn = nullptr;
    }
    delete holder;
    *con_cls = nullptr;
    if (counted && self->in_flight.fetch_sub(1) == 1) {
      std::lock_guard lock(self->mu);
      self->cv.notify_all();
    }
  }

  static MHD_Result HeaderOf(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<httplib::Request*>(cls)->headers.emplace(key ? key : "", value ? value : "");
    return MHD_YES;
  }

  static MHD_Result Access(void* cls, MHD_Connection* conn, const char*, const char* method,
                           const char* version, const char* upload_data, size_t* upload_size,
                           void** con_cls) {
    auto* self = static_cast<Impl*>(cls);
    if (!*con_cls) *con_cls = UriLog(cls, "", conn);  // not expected: UriLog runs first
    ExchangePtr ex = *static_cast<ExchangePtr*>(*con_cls);
    if (!ex->started) {
      ex->started = true;
      ex->conn = conn;
      self->Start(*ex, method, version);
      // A new request on a kept-alive connection after Stop(): the
      // connection is closed unanswered (nothing was done for it; the
      // client retries elsewhere), as a stopped listener would.
      if (!ex->counted) return MHD_NO;
      const std::string length = ex->req.get_header_value("Content-Length");
      if (!length.empty() && (length.size() > 18 || std::stoull("0" + length.substr(0, 18)) >
                                                        self->options.max_body_bytes)) {
        self->Refuse(ex, conn);
      }
      return MHD_YES;
    }
    if (*upload_size > 0) {
      // A chunked body over the limit is read and dropped, then answered
      // 413; one that goes on for 16 times the limit gets the connection
      // closed instead.
      if (ex->over_limit) {
        ex->dropped += *upload_size;
        *upload_size = 0;
        return ex->dropped > 16 * self->options.max_body_bytes ? MHD_NO : MHD_YES;
      }
      if (ex->req.body.size() + *upload_size > self->options.max_body_bytes) {
        ex->over_limit = true;
        ex->dropped = ex->req.body.size() + *upload_size;
        std::string().swap(ex->req.body);
      } else {
        ex->req.body.append(upload_data, *upload_size);
      }
      *upload_size = 0;
      return MHD_YES;
    }
    if (ex->over_limit) {
      self->Refuse(ex, conn);
      return MHD_YES;
    }
    // The whole request is in (or an asynchronous answer has arrived).
    std::unique_lock lock(ex->mu);
    switch (ex->state) {
      case Exchange::State::kReading:
        ex->state = Exchange::State::kRunning;
        lock.unlock();
        self->Dispatch(ex);
        lock.lock();
        if (ex->answer) {
          self->Queue(*ex, conn);
        } else {
          MHD_suspend_connection(conn);
          ex->state = Exchange::State::kSuspended;
        }
        return MHD_YES;
      case Exchange::State::kResuming:
        self->Queue(*ex, conn);
        return MHD_YES;
      default:
        return MHD_YES;
    }
  }

  // --- request handling ----------------------------------------------------

  void Start(Exchange& ex, const char* method, const char* version) {
    httplib::Request& req = ex.req;
    req.method = method ? method : "";
    req.version = version ? version : "";
    MHD_get_connection_values(ex.conn, MHD_HEADER_KIND, &HeaderOf, &req);
    // The client's address (rate limits of failed token checks).
    if (const MHD_ConnectionInfo* ci =
            MHD_get_connection_info(ex.conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        ci && ci->client_addr) {
      char host[NI_MAXHOST] = "";
      socklen_t len =
          ci->client_addr->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
      if (getnameinfo(ci->client_addr, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) == 0) {
        req.remote_addr = host;
      }
    }
    const std::string& target = req.target;
    size_t q = target.find('?');
    req.path = httplib::detail::decode_url(target.substr(0, q), false);
    if (q != std::string::npos) httplib::detail::parse_query_text(target.substr(q + 1), req.params);
  }

  // 413; a body not yet read is discarded by libmicrohttpd.
  void Refuse(const ExchangePtr& ex, MHD_Connection* conn) {
    std::lock_guard lock(ex->mu);
    if (ex->state != Exchange::State::kReading) return;
    httplib::Response res;
    res.status = 413;
    ex->answer = std::move(res);
    Queue(*ex, conn);
  }

  void Dispatch(const ExchangePtr& ex) {
    httplib::Request& req = ex->req;
    Respond respond = [ex](httplib::Response res) {
      std::lock_guard lock(ex->mu);
      if (ex->answer) return;  // answered twice: the first answer stands
      ex->answer = std::move(res);
      if (ex->state == Exchange::State::kSuspended && ex->conn) {
        ex->state = Exchange::State::kResuming;
        MHD_resume_connection(ex->conn);
      }
    };
    const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
    for (const Route& r : routes) {
      if (r.method != method || !std::regex_match(req.path, req.matches, r.pattern)) continue;
      if (r.runs == Runs::kOnWorker) {
        // `respond` holds the exchange, and so the request, alive.
        workers->Submit([&r, &req, respond] { Call(r, req, respond); });
      } else {
        Call(r, req, respond);
      }
      return;
    }
    httplib::Response res;
    res.status = 404;
    respond(std::move(res));
  }

  static void Call(const Route& r, const httplib::Request& req, const Respond& respond) {
    try {
      r.handler(req, respond);
    } catch (const std::exception&) {
      httplib::Response res;
      res.status = 500;
      respond(std::move(res));
    }
  }

  // Hands the answer to libmicrohttpd. Caller holds ex.mu.
  void Queue(Exchange& ex, MHD_Connection* conn) {
    ex.state = Exchange::State::kQueued;
    httplib::Response& res = *ex.answer;
    if (res.status <= 0) res.status = 200;
    if (res.status >= 400 && res.body.empty() && error_body) error_body(ex.req, res);
    MHD_Response* r = MHD_create_response_from_buffer(
        res.body.size(), const_cast<char*>(res.body.data()), MHD_RESPMEM_MUST_COPY);
    // W3C Server-Timing: request line read to answer handed over, in ms.
    char timing[64];
    std::snprintf(
        timing, sizeof timing, "request;dur=%.3f",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ex.received)
            .count());
    MHD_add_response_header(r, "Server-Timing", timing);
    for (const auto& [k, v] : res.headers) {
      if (strcasecmp(k.c_str(), "Content-Length") == 0) continue;
      MHD_add_response_header(r, k.c_str(), v.c_str());
    }
    MHD_queue_response(conn, static_cast<unsigned>(res.status), r);
    MHD_destroy_response(r);
    if (logger) logger(ex.req, res);
  }
};

HttpServer::HttpServer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (impl_->options.threads <= 0) {
    impl_->options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  impl_->workers = std::make_unique<WorkerPool>(impl_->options.worker_threads);
}

HttpServer::~HttpServer() {
  Stop();
  if (impl_->daemon) MHD_stop_daemon(impl_->daemon);
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
  impl_->workers.reset();  // runs what is queued; the routes are still there
}

namespace {
HttpServer::AsyncHandler Answering(HttpServer::Handler h) {
  return [h = std::move(h)](const httplib::Request& req, const HttpServer::Respond& respond) {
    httplib::Response res;
    h(req, res);
    respond(std::move(res));
  };
}
}  // namespace

void HttpServer::Get(const std::string& pattern, Handler h, Runs runs) {
  GetAsync(pattern, Answering(std::move(h)), runs);
}
void HttpServer::Post(const std::string& pattern, Handler h, Runs runs) {
  PostAsync(pattern, Answering(std::move(h)), runs);
}
void HttpServer::GetAsync(const std::string& pattern, AsyncHandler h, Runs runs) {
  impl_->Add("GET", pattern, std::move(h), runs);
}
void HttpServer::PostAsync(const std::string& pattern, AsyncHandler h, Runs runs) {
  impl_->Add("POST", pattern, std::move(h), runs);
}
void HttpServer::Offload(std::function<void()> task) { impl_->workers->Submit(std::move(task)); }
void HttpServer::set_error_body(ErrorBody f) { impl_->error_body = std::move(f); }
void HttpServer::set_logger(Logger f) { impl_->logger = std::move(f); }

Status HttpServer::Bind(const std::string& host, int port) {
  if (impl_->listen_fd >= 0) return Status::Ok();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string where = host + ":" + std::to_string(port);
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints,
                  &found) != 0) {
    return Status::Unavailable("cannot bind " + where + ": unknown host");
  }
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // A burst of connections (64 at once from a load balancer or wrk) needs
    // more than a small backlog, or the kernel drops handshakes for 1 s.
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return Status::Unavailable("cannot bind " + where);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  impl_->port = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  impl_->listen_fd = fd;
  return Status::Ok();
}

int HttpServer::port() const { return impl_->port; }

bool HttpServer::is_running() const { return impl_->running.load(); }

Status HttpServer::Run() {
  Impl& s = *impl_;
  if (s.listen_fd < 0) return Status::FailedPrecondition("HttpServer::Run: Bind() first");
  {
    std::lock_guard lock(s.mu);
    if (s.stop_requested) return Status::Ok();
  }
  const unsigned pool = static_cast<unsigned>(s.options.threads);
  s.daemon = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr, nullptr, &Impl::Access,
      &s, MHD_OPTION_LISTEN_SOCKET, s.listen_fd, MHD_OPTION_THREAD_POOL_SIZE, pool > 1 ? pool : 0u,
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(s.options.idle_timeout_seconds),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, s.options.connection_memory_bytes,
      MHD_OPTION_URI_LOG_CALLBACK, &Impl::UriLog, &s, MHD_OPTION_NOTIFY_COMPLETED, &Impl::Completed,
      &s, MHD_OPTION_END);
  if (!s.daemon) return Status::Unavailable("the HTTP server could not start");
  s.running = true;
  std::unique_lock lock(s.mu);
  s.cv.wait(lock, [&s] { return s.stop_requested; });
  // Drain: answer what has been received; requests that arrive now are
  // closed unserved (Access). Not MHD_quiesce_daemon: in libmicrohttpd
  // 0.9.75 it races with the worker threads' own use of their epoll sets
  // ("Failed to remove listen FD from epoll set", an abort).
  s.cv.wait_for(lock, std::chrono::seconds(s.options.drain_seconds),
                [&s] { return s.in_flight.load() == 0; });
  lock.unlock();
  MHD_stop_daemon(s.daemon);
  s.daemon = nullptr;
  ::close(s.listen_fd);  // new connections are refused from here on
  s.listen_fd = -1;
  s.running = false;
  return Status::Ok();
}

void HttpServer::Stop() {
  std::lock_guard lock(impl_->mu);
  impl_->stopping = true;
  impl_->stop_requested = true;
  impl_->cv.notify_all();
}

}  // namespace dualuse::server
