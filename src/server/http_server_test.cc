// HttpServer over real HTTP on loopback (httplib::Client as the client).
#include "http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dualuse::server {
namespace {

// Answers queued requests from its own thread, later: as the record writer does.
class LateResponder {
 public:
  LateResponder() : thread_([this] { Loop(); }) {}
  ~LateResponder() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // While held, nothing is answered.
  void Hold(bool on) {
    {
      std::lock_guard lock(mu_);
      held_ = on;
    }
    cv_.notify_all();
  }
  void Add(std::string body, HttpServer::Respond respond) {
    {
      std::lock_guard lock(mu_);
      queue_.emplace_back(std::move(body), std::move(respond));
    }
    cv_.notify_all();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || (!held_ && !queue_.empty()); });
      if (queue_.empty()) return;
      auto [body, respond] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      httplib::Response res;
      res.status = 201;
      res.set_content("late:" + body, "text/plain");
      respond(std::move(res));
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, HttpServer::Respond>> queue_;
  bool stop_ = false;
  bool held_ = false;
  std::thread thread_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServer::Options o;
    o.threads = 2;
    o.max_body_bytes = 1000;
    http_ = std::make_unique<HttpServer>(o);
    http_->Get("/echo/([a-z]+)", [](const httplib::Request& req, httplib::Response& res) {
      std::string text =
          req.matches[1].str() + "|" + req.get_header_value("X-Test") + "|" + req.target + "|";
      for (const auto& [k, v] : req.params)
        text += k + "=" + v + ";";
      res.set_content(text, "text/plain");
    });
    http_->Post("/throw", [](const httplib::Request&, httplib::Response&) {
      throw std::runtime_error("boom");
    });
    http_->Post(
        "/worker/throw",
        [](const httplib::Request&, httplib::Response&) { throw std::runtime_error("boom"); },
        HttpServer::Runs::kOnWorker);
    http_->Get(
        "/worker/echo/([a-z]+)",
        [](const httplib::Request& req, httplib::Response& res) {
          res.set_content("worker:" + req.matches[1].str() + "|" + req.get_param_value("q"),
                          "text/plain");
        },
        HttpServer::Runs::kOnWorker);
    http_->GetAsync("/offload", [this](const httplib::Request& req, HttpServer::Respond respond) {
      http_->Offload([&req, respond] {
        httplib::Response res;
        res.set_content("offloaded:" + req.get_param_value("q"), "text/plain");
        respond(std::move(res));
      });
    });
    http_->PostAsync("/late", [this](const httplib::Request& req, HttpServer::Respond respond) {
      ++late_started_;
      late_.Add(req.body, std::move(respond));
    });
    http_->set_error_body([](const httplib::Request& req, httplib::Response& res) {
      res.set_content("error " + std::to_string(res.status) + " " + req.path, "text/plain");
    });
    ASSERT_TRUE(http_->Bind("127.0.0.1", 0).ok());
    ASSERT_GT(http_->port(), 0);
    runner_ = std::thread([this] { run_status_ = http_->Run(); });
    while (!http_->is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  void TearDown() override {
    http_->Stop();
    if (runner_.joinable()) runner_.join();
    EXPECT_TRUE(run_status_.ok());
  }
  httplib::Client Client() { return httplib::Client("127.0.0.1", http_->port()); }

  std::atomic<int> late_started_{0};
  LateResponder late_;
  std::unique_ptr<HttpServer> http_;
  std::thread runner_;
  Status run_status_;
};

TEST_F(HttpServerTest, AnswersTable) {
  struct Case {
    const char* name;
    std::string method, path, body;
    int status;
    std::string answer;
  };
  const std::vector<Case> cases = {
      {"route groups, header, raw target, decoded query", "GET", "/echo/abc?q=a%20b&n=1", "", 200,
       "abc|yes|/echo/abc?q=a%20b&n=1|n=1;q=a b;"},
      {"no route: error body", "GET", "/nowhere", "", 404, "error 404 /nowhere"},
      {"wrong method: no route", "POST", "/echo/abc", "x", 404, "error 404 /echo/abc"},
      {"handler throws: 500", "POST", "/throw", "x", 500, "error 500 /throw"},
      {"answered later from another thread", "POST", "/late", "hello", 201, "late:hello"},
      {"handler on the worker pool", "GET", "/worker/echo/abc?q=1", "", 200, "worker:abc|1"},
      {"handler on the worker pool throws: 500", "POST", "/worker/throw", "x", 500,
       "error 500 /worker/throw"},
      {"an asynchronous handler offloads its answer", "GET", "/offload?q=z", "", 200,
       "offloaded:z"},
      {"body over the limit: 413", "POST", "/late", std::string(1001, 'x'), 413, "error 413 /late"},
  };
  httplib::Client cli = Client();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    httplib::Result r = c.method == "GET" ? cli.Get(c.path, httplib::Headers{{"X-Test", "yes"}})
                                          : cli.Post(c.path, c.body, "text/plain");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status);
    EXPECT_EQ(r->body, c.answer);
  }
}

TEST_F(HttpServerTest, OversizedChunkedBodyIsRefused) {
  httplib::Client cli = Client();
  size_t sent = 0;
  auto r = cli.Post(
      "/late",
      [&](size_t, httplib::DataSink& sink) {
        std::string chunk(400, 'y');
        if (sent < 4000) {
          sink.write(chunk.data(), chunk.size());
          sent += chunk.size();
        } else {
          sink.done();
        }
        return true;
      },
      "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(late_started_.load(), 0);
}

// Requests that are not valid HTTP are refused by libmicrohttpd with 400
// before any handler runs (so nothing can be recorded for them), and the
// connection is closed.
TEST_F(HttpServerTest, MalformedHttpIsRefusedBeforeAnyHandler) {
  struct Case {
    const char* name;
    std::string raw;
    std::string answer_starts;  // "": closed without an answer
  };
  const std::vector<Case> cases = {
      {"header line without a colon", "POST /late HTTP/1.1\r\nHost: a\r\nBad header\r\n\r\n",
       "HTTP/1.1 400 "},
      {"Content-Length not a number",
       "POST /late HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\nxyz", "HTTP/1.1 400 "},
      {"broken chunked encoding",
       "POST /late HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
       "HTTP/1.1 400 "},
      {"request line without a target", "FOO BAR\r\n\r\n", "HTTP/1.1 400 "},
      {"one word, not HTTP at all", "FOO\r\n\r\n", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(http_->port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ASSERT_EQ(::send(fd, c.raw.data(), c.raw.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(c.raw.size()));
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      answer.append(buf, static_cast<size_t>(n));  // until the server closes
    ::close(fd);
    if (c.answer_starts.empty()) {
      EXPECT_EQ(answer, "");
    } else {
      EXPECT_EQ(answer.rfind(c.answer_starts, 0), 0u) << answer;
    }
  }
  EXPECT_EQ(late_started_.load(), 0);
}

TEST_F(HttpServerTest, PendingAnswersHoldNoThread) {
  // 32 requests wait for their answers at once on a server with 2 event
  // threads. A thread-per-request server would get stuck at 2 here.
  late_.Hold(true);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 32; ++i) {
    clients.emplace_back([&, i] {
      httplib::Client cli = Client();
      auto r = cli.Post("/late", std::to_string(i), "text/plain");
      if (r && r->status == 201 && r->body == "late:" + std::to_string(i)) ++ok;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (late_started_.load() < 32 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(late_started_.load(), 32);
  late_.Hold(false);
  for (auto& t : clients)
    t.join();
  EXPECT_EQ(ok.load(), 32);
}

TEST_F(HttpServerTest, StopAnswersRequestsInFlight) {
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      httplib::Client cli = Client();
      auto r = cli.Post("/late", "x", "text/plain");
      if (r && r->status == 201) ++answered;
    });
  }
  while (late_started_.load() < 8)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  http_->Stop();  // while 8 answers are pending in LateResponder
  for (auto& t : clients)
    t.join();
  runner_.join();
  EXPECT_EQ(answered.load(), 8);
  // Stopped: new connections are refused.
  httplib::Client cli = Client();
  cli.set_connection_timeout(1, 0);
  EXPECT_FALSE(cli.Get("/echo/abc"));
}

// A handler that blocks on the worker pool leaves the single event-loop
// thread free: /fast is answered while /blocking still waits. Were
// /blocking run on the event loop, /fast would wait with it and its client
// would time out.
TEST(HttpServerWorkerTest, BlockingHandlerLeavesTheEventLoopFree) {
  HttpServer::Options o;
  o.threads = 1;
  o.worker_threads = 1;
  HttpServer http(o);
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  std::atomic<bool> blocking_started{false};
  http.Get(
      "/blocking",
      [&](const httplib::Request&, httplib::Response& res) {
        blocking_started = true;
        std::unique_lock lock(mu);
        cv.wait_for(lock, std::chrono::seconds(20), [&] { return released; });
        res.set_content(released ? "released" : "timed out", "text/plain");
      },
      HttpServer::Runs::kOnWorker);
  http.Get("/fast", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("fast", "text/plain");
  });
  ASSERT_TRUE(http.Bind("127.0.0.1", 0).ok());
  Status run_status;
  std::thread runner([&] { run_status = http.Run(); });
  while (!http.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(2));

  std::string slow_body;
  std::thread slow([&] {
    httplib::Client cli("127.0.0.1", http.port());
    cli.set_read_timeout(30, 0);
    if (auto r = cli.Get("/blocking")) slow_body = r->body;
  });
  while (!blocking_started.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  httplib::Client cli("127.0.0.1", http.port());
  cli.set_read_timeout(5, 0);
  auto fast = cli.Get("/fast");
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->body, "fast");
  {
    std::lock_guard lock(mu);
    EXPECT_FALSE(released);  // /fast was answered while /blocking was held
    released = true;
  }
  cv.notify_all();
  slow.join();
  EXPECT_EQ(slow_body, "released");
  http.Stop();
  runner.join();
  EXPECT_TRUE(run_status.ok());
}

}  // namespace
}  // namespace dualuse::server
