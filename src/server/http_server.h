// HttpServer: HTTP/1.1 on libmicrohttpd's epoll event loops, with
// cpp-httplib's Request and Response as the handler's view of a request.
//
// Why not httplib::Server (docs/server.md, "2026-11-28, afternoon"): httplib 0.11
// holds one thread per keep-alive connection, and each idle one polls every
// 10 ms. At 64 connections on 2 cores some 64 threads became runnable
// together after every group commit, and the record writer, which every
// recorded request waits for, queued behind them for 10-40 ms (measured with
// /proc/thread-self/schedstat). Here a few event-loop threads (one per core
// by default) serve all connections, and a handler may answer later
// (AsyncHandler) without holding a thread: the connection is suspended until
// the answer arrives.
//
// Contract:
//  - Routes are matched in registration order by std::regex_match on the
//    decoded path, as httplib does; Request::matches holds the groups.
//  - Request::target is the raw request target, Request::params the decoded
//    query (httplib's parser), Request::headers the request headers.
//  - A body over max_body_bytes is answered 413 (from Content-Length before
//    it is read, or as soon as a chunked body passes the limit).
//  - Answers the server makes itself (404 no route, 413, 500 handler threw)
//    go through the error_body callback, which fills the body.
//  - Stop(): requests received before it are answered (asynchronous ones
//    included) for up to drain_seconds; requests that arrive later, on open
//    or new connections, are closed unanswered; then Run() returns.
//  - A route registered with Runs::kOnWorker has its handler called on the
//    worker pool (Options::worker_threads), the connection suspended
//    meanwhile: for handlers that may block (store queries, which wait
//    behind the record writer's commit; replays). The event-loop threads
//    then only parse, route and write, and a slow query cannot stall the
//    other connections they serve. Offload() runs any task there.
//  - The Request a handler gets stays valid as long as its Respond callback
//    (or a copy of it) exists.
//  - Requests libmicrohttpd refuses before a handler sees them (malformed
//    request line, headers over connection_memory_bytes) get its own short
//    answer (400, 413 or 414), not the JSON error body.
#ifndef DUALUSE_SRC_SERVER_HTTP_SERVER_H_
#define DUALUSE_SRC_SERVER_HTTP_SERVER_H_

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "dualuse/base/status.h"

namespace dualuse::server {

class HttpServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  // Called exactly once per request, from any thread.
  using Respond = std::function<void(httplib::Response)>;
  using AsyncHandler = std::function<void(const httplib::Request&, Respond)>;
  using ErrorBody = std::function<void(const httplib::Request&, httplib::Response&)>;
  using Logger = std::function<void(const httplib::Request&, const httplib::Response&)>;

  // Where a route's handler runs.
  enum class Runs { kOnEventLoop, kOnWorker };

  struct Options {
    int threads = 0;                            // event-loop threads; 0: one per core
    int worker_threads = 4;                     // the pool for Runs::kOnWorker and Offload()
    size_t max_body_bytes = 1 << 20;            // larger bodies: 413
    int idle_timeout_seconds = 10;              // a connection silent this long is closed
    size_t connection_memory_bytes = 64 << 10;  // request line + headers per connection
    int drain_seconds = 30;                     // Stop(): how long in-flight requests may take
  };

  explicit HttpServer(Options options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Registration: before Run().
  void Get(const std::string& pattern, Handler handler, Runs runs = Runs::kOnEventLoop);
  void Post(const std::string& pattern, Handler handler, Runs runs = Runs::kOnEventLoop);
  void GetAsync(const std::string& pattern, AsyncHandler handler, Runs runs = Runs::kOnEventLoop);
  void PostAsync(const std::string& pattern, AsyncHandler handler, Runs runs = Runs::kOnEventLoop);
  void set_error_body(ErrorBody f);
  void set_logger(Logger f);

  // Runs `task` on the worker pool; thread-safe. An asynchronous handler
  // that finds it must block (e.g. a token not in the cache) hands the rest
  // of its work here, keeping its Respond callback.
  void Offload(std::function<void()> task);

  // Binds and listens (backlog SOMAXCONN). port 0: any free port.
  Status Bind(const std::string& host, int port);
  int port() const;
  // Serves until Stop(); then drains and returns. Binds first if needed.
  Status Run();
  // Thread-safe; may be called before Run() starts (Run() then returns at once).
  void Stop();
  bool is_running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_HTTP_SERVER_H_
