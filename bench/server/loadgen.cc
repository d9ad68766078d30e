// server_loadgen: an open-loop HTTP load generator for `dualuse serve`.
//
// wrk keeps every connection busy: it measures the latency of a saturated
// server, whose queue is as long as the connections allow. This measures the
// latency at a given offered rate instead, the way wrk2 does (Tene, "How NOT
// to measure latency", 2015): connection i of C sends its k-th request at
// t0 + (k*C + i) / rate, whatever happened before, and a request's latency is
// counted from that scheduled time, not from when it was actually sent. A
// server that stalls for 100 ms therefore shows 100 ms of latency on every
// request scheduled in that window (no "coordinated omission").
//
// Usage:
//   server_loadgen --port P --path /screen --rate 2000 --connections 64
//                  --seconds 15 --token T --body-file bodies.txt [--trace out.txt]
// bodies.txt holds one request body per line, used in turn. Prints the
// percentiles and one summary line in the format of bench/server/*.lua.
//
// One thread drives all connections with epoll and non-blocking sockets, as
// wrk does: the generator shares the cores with the server, and a thread per
// connection (the first version, on httplib::Client) added its own wake-up
// delays to the latencies it measured (sends up to 38 ms behind schedule at
// 2,000 req/s).
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string path = "/screen";
  std::string token;
  std::string body_file;
  std::string trace_file;  // one line per request: scheduled ms, latency ms, Server-Timing
  double rate = 2000;
  int connections = 64;
  double seconds = 15;
};

// The phases of the server's Server-Timing header (src/server/server.cc).
const char* const kPhases[] = {"compute", "commit", "request"};
constexpr size_t kPhaseCount = 3;

struct TraceLine {
  double scheduled_ms;  // since t0
  double latency_ms;
  std::string server_timing;
};

struct ConnectionResult {
  std::vector<TraceLine> trace;                // only with --trace
  std::vector<double> latencies_ms;            // of the answered requests, from the scheduled time
  std::vector<double> service_ms;              // the same, from the time the request was sent
  std::vector<double> phases_ms[kPhaseCount];  // from Server-Timing, where present
  long status_errors = 0;                      // answers other than 2xx
  long transport_errors = 0;                   // connect/read/write failures
  double max_lag_ms = 0;                       // how late a request was sent, at worst
};

[[noreturn]] void Usage(const char* msg) {
  std::fprintf(stderr,
               "server_loadgen: %s\nusage: server_loadgen --port P [--host H] [--path /screen] "
               "[--rate R] [--connections C] [--seconds S] [--token T] --body-file F\n",
               msg);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  auto number = [](double* out) { return [out](const std::string& v) { *out = std::stod(v); }; };
  auto text = [](std::string* out) { return [out](const std::string& v) { *out = v; }; };
  double port = 0, connections = o.connections;
  const std::map<std::string, std::function<void(const std::string&)>> options = {
      {"--host", text(&o.host)},           {"--port", number(&port)},
      {"--path", text(&o.path)},           {"--token", text(&o.token)},
      {"--body-file", text(&o.body_file)}, {"--trace", text(&o.trace_file)},
      {"--rate", number(&o.rate)},         {"--connections", number(&connections)},
      {"--seconds", number(&o.seconds)},
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto option = options.find(a);
    if (option == options.end()) Usage(("unknown option " + a).c_str());
    if (i + 1 >= argc) Usage(("missing value after " + a).c_str());
    std::string v = argv[++i];
    try {
      option->second(v);
    } catch (const std::exception&) {
      Usage(("not a number after " + a + ": " + v).c_str());
    }
  }
  o.port = static_cast<int>(port);
  o.connections = static_cast<int>(connections);
  if (o.port <= 0 || o.rate <= 0 || o.connections <= 0 || o.seconds <= 0 || o.body_file.empty())
    Usage("--port, --body-file and positive --rate, --connections, --seconds are required");
  return o;
}

// Adds the dur= of each known phase in a Server-Timing value
// ("compute;dur=0.2, commit;dur=1.5").
void ParseServerTiming(const std::string& value, ConnectionResult* r) {
  for (size_t k = 0; k < kPhaseCount; ++k) {
    std::string key = std::string(kPhases[k]) + ";dur=";
    size_t at = value.find(key);
    if (at == std::string::npos) continue;
    r->phases_ms[k].push_back(std::atof(value.c_str() + at + key.size()));
  }
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// One connection: its socket, the index of its next request (it sends
// requests i, i + C, i + 2C, ...), and the answer being read.
struct Connection {
  int fd = -1;
  long next = 0;
  bool busy = false;  // a request is out, its answer not complete
  std::chrono::steady_clock::time_point sent_at;
  std::string in;
};

int Connect(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// Writes a whole request (a few hundred bytes: fits the socket buffer of an
// idle connection; waits briefly if it does not).
bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 1000);
    } else {
      return false;
    }
  }
  return true;
}

struct Answer {
  int status = 0;
  std::string server_timing;
};

// True when `in` holds a complete answer (headers and Content-Length bytes).
bool ParseAnswer(const std::string& in, Answer* out) {
  size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos || in.size() < 12) return false;
  size_t length = 0;
  size_t pos = in.find("\r\n") + 2;
  while (pos < end) {
    size_t eol = in.find("\r\n", pos);
    std::string line = in.substr(pos, eol - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      size_t v = line.find_first_not_of(' ', colon + 1);
      std::string value = v == std::string::npos ? "" : line.substr(v);
      if (name == "content-length") length = std::strtoul(value.c_str(), nullptr, 10);
      if (name == "server-timing") {  // several headers: one list
        out->server_timing += (out->server_timing.empty() ? "" : ", ") + value;
      }
    }
    pos = eol + 2;
  }
  if (in.size() < end + 4 + length) return false;
  out->status = std::atoi(in.c_str() + 9);  // "HTTP/1.1 200"
  return true;
}

// A broken connection: its outstanding requests count as transport errors.
void Fail(Connection* c, ConnectionResult* r, long total, int connections, long* outstanding) {
  long left = c->next < total ? (total - 1 - c->next) / connections + 1 : 0;
  r->transport_errors += left;
  *outstanding -= left;
  ::close(c->fd);
  c->fd = -1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  std::vector<std::string> bodies;
  {
    std::ifstream in(o.body_file);
    if (!in) Usage(("cannot read " + o.body_file).c_str());
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) bodies.push_back(line);
  }
  if (bodies.empty()) Usage((o.body_file + ": no request bodies (one per line expected)").c_str());

  const auto interval = std::chrono::duration<double>(1.0 / o.rate);
  const long total = static_cast<long>(o.rate * o.seconds);
  // The request texts, one per body, built once.
  std::vector<std::string> requests;
  for (const std::string& body : bodies) {
    requests.push_back(
        "POST " + o.path + " HTTP/1.1\r\nHost: " + o.host + "\r\nAuthorization: Bearer " + o.token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body);
  }
  // Connections open before t0, so that the handshakes are not measured.
  std::vector<Connection> conns(static_cast<size_t>(o.connections));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  for (int i = 0; i < o.connections; ++i) {
    Connection& c = conns[static_cast<size_t>(i)];
    c.fd = Connect(o.host, o.port);
    if (c.fd < 0) {
      std::fprintf(stderr, "server_loadgen: cannot connect to %s:%d\n", o.host.c_str(), o.port);
      return 1;
    }
    c.next = i;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
  }
  const Clock::time_point t0 = Clock::now() + std::chrono::milliseconds(50);
  auto scheduled_at = [&](long n) {
    return t0 + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(n));
  };
  std::vector<ConnectionResult> results(static_cast<size_t>(o.connections));
  long outstanding = total;  // requests neither answered nor failed
  std::vector<epoll_event> events(static_cast<size_t>(o.connections));
  std::vector<double> oversleep_ms;
  while (outstanding > 0) {
    // Send every request that is due on an idle connection.
    Clock::time_point now = Clock::now();
    Clock::time_point wake = now + std::chrono::seconds(1);
    for (size_t i = 0; i < conns.size(); ++i) {
      Connection& c = conns[i];
      if (c.fd < 0 || c.busy || c.next >= total) continue;
      Clock::time_point due = scheduled_at(c.next);
      if (due > now) {
        wake = std::min(wake, due);
        continue;
      }
      ConnectionResult& r = results[i];
      r.max_lag_ms =
          std::max(r.max_lag_ms, std::chrono::duration<double, std::milli>(now - due).count());
      const std::string& req = requests[static_cast<size_t>(c.next) % requests.size()];
      if (!WriteAll(c.fd, req)) {
        Fail(&c, &r, total, o.connections, &outstanding);
        continue;
      }
      c.busy = true;
      c.sent_at = Clock::now();
      c.in.clear();
    }
    timespec timeout{};
    auto wait = std::max(Clock::duration::zero(), wake - Clock::now());
    timeout.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(wait).count();
    timeout.tv_nsec = (wait - std::chrono::seconds(timeout.tv_sec)).count();
    int n = epoll_pwait2(ep, events.data(), static_cast<int>(events.size()), &timeout, nullptr);
    if (n == 0) {  // woke by the timeout: how late (the generator's own scheduling delay)
      oversleep_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - wake).count());
    }
    for (int k = 0; k < n; ++k) {
      size_t i = events[static_cast<size_t>(k)].data.u32;
      Connection& c = conns[i];
      ConnectionResult& r = results[i];
      char buf[65536];
      ssize_t got = ::read(c.fd, buf, sizeof buf);
      if (got <= 0) {
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        Fail(&c, &r, total, o.connections, &outstanding);
        continue;
      }
      c.in.append(buf, static_cast<size_t>(got));
      Answer answer;
      if (!c.busy || !ParseAnswer(c.in, &answer)) continue;
      double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - scheduled_at(c.next)).count();
      if (answer.status < 200 || answer.status > 299) ++r.status_errors;
      r.latencies_ms.push_back(ms);
      r.service_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - c.sent_at).count());
      if (!o.trace_file.empty()) {
        r.trace.push_back(
            {std::chrono::duration<double, std::milli>(scheduled_at(c.next) - t0).count(), ms,
             answer.server_timing});
      }
      if (!answer.server_timing.empty()) ParseServerTiming(answer.server_timing, &r);
      c.busy = false;
      c.next += o.connections;
      --outstanding;
    }
  }
  for (Connection& c : conns)
    if (c.fd >= 0) ::close(c.fd);
  ::close(ep);
  double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();

  std::vector<double> all, service, phases[kPhaseCount];
  long status_errors = 0, transport_errors = 0;
  double max_lag = 0;
  for (const auto& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    service.insert(service.end(), r.service_ms.begin(), r.service_ms.end());
    for (size_t k = 0; k < kPhaseCount; ++k)
      phases[k].insert(phases[k].end(), r.phases_ms[k].begin(), r.phases_ms[k].end());
    status_errors += r.status_errors;
    transport_errors += r.transport_errors;
    max_lag = std::max(max_lag, r.max_lag_ms);
  }
  std::sort(all.begin(), all.end());
  std::sort(service.begin(), service.end());
  std::sort(oversleep_ms.begin(), oversleep_ms.end());
  if (!o.trace_file.empty()) {
    std::vector<TraceLine> trace;
    for (const auto& r : results)
      trace.insert(trace.end(), r.trace.begin(), r.trace.end());
    std::sort(trace.begin(), trace.end(), [](const TraceLine& a, const TraceLine& b) {
      return a.scheduled_ms < b.scheduled_ms;
    });
    std::ofstream out(o.trace_file);
    for (const auto& t : trace)
      out << t.scheduled_ms << ' ' << t.latency_ms << ' ' << t.server_timing << '\n';
  }
  long answered = static_cast<long>(all.size());
  std::printf("offered %.0f req/s over %d connections for %.1f s; answered %ld at %.0f req/s\n",
              o.rate, o.connections, o.seconds, answered, static_cast<double>(answered) / elapsed);
  std::printf(
      "latency from the scheduled send time: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  "
      "max %.2f ms\n",
      Percentile(all, 50), Percentile(all, 90), Percentile(all, 99), Percentile(all, 99.9),
      all.empty() ? 0.0 : all.back());
  for (size_t k = 0; k < kPhaseCount; ++k) {
    if (phases[k].empty()) continue;
    std::sort(phases[k].begin(), phases[k].end());
    std::printf("server %-8s p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms\n", kPhases[k],
                Percentile(phases[k], 50), Percentile(phases[k], 90), Percentile(phases[k], 99),
                phases[k].back());
  }
  std::printf("latency from the actual send: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms\n",
              Percentile(service, 50), Percentile(service, 90), Percentile(service, 99),
              service.empty() ? 0.0 : service.back());
  std::printf("latest send behind schedule: %.2f ms\n", max_lag);
  // The generator's own delays: a timed wait that returned late. On a shared
  // machine these are the floor under any latency measured here.
  long late5 =
      std::count_if(oversleep_ms.begin(), oversleep_ms.end(), [](double ms) { return ms > 5; });
  std::printf("generator woke late: p99 %.2f  max %.2f ms  (%ld of %zu waits over 5 ms)\n",
              Percentile(oversleep_ms, 99), oversleep_ms.empty() ? 0.0 : oversleep_ms.back(), late5,
              oversleep_ms.size());
  // The summary line bench/server/run.sh parses (same fields as the wrk scripts).
  std::printf(
      "summary: %ld requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors connect 0 "
      "read %ld write 0 status %ld timeout 0\n",
      answered, static_cast<double>(answered) / elapsed, Percentile(all, 50), Percentile(all, 99),
      transport_errors, status_errors);
  return 0;
}
