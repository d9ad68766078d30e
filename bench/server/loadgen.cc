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
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
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
const char* const kPhases[] = {"compute", "commit"};
constexpr size_t kPhaseCount = 2;

struct TraceLine {
  double scheduled_ms;  // since t0
  double latency_ms;
  std::string server_timing;
};

struct ConnectionResult {
  std::vector<TraceLine> trace;                // only with --trace
  std::vector<double> latencies_ms;            // of the answered requests, from the scheduled time
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
  // Connections open before t0, so that the handshakes are not measured.
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < o.connections; ++i) {
    auto c = std::make_unique<httplib::Client>(o.host, o.port);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_read_timeout(30, 0);
    c->Get("/healthz");
    clients.push_back(std::move(c));
  }
  httplib::Headers headers = {{"Authorization", "Bearer " + o.token}};
  const Clock::time_point t0 = Clock::now() + std::chrono::milliseconds(50);
  std::vector<ConnectionResult> results(static_cast<size_t>(o.connections));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.connections; ++i) {
    threads.emplace_back([&, i] {
      ConnectionResult& r = results[static_cast<size_t>(i)];
      httplib::Client& client = *clients[static_cast<size_t>(i)];
      for (long n = i; n < total; n += o.connections) {
        auto scheduled =
            t0 + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(n));
        std::this_thread::sleep_until(scheduled);
        double lag = std::chrono::duration<double, std::milli>(Clock::now() - scheduled).count();
        r.max_lag_ms = std::max(r.max_lag_ms, lag);
        auto res = client.Post(o.path, headers, bodies[static_cast<size_t>(n) % bodies.size()],
                               "application/json");
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - scheduled).count();
        if (!res) {
          ++r.transport_errors;
          continue;
        }
        if (res->status < 200 || res->status > 299) ++r.status_errors;
        r.latencies_ms.push_back(ms);
        if (!o.trace_file.empty()) {
          r.trace.push_back({std::chrono::duration<double, std::milli>(scheduled - t0).count(), ms,
                             res->get_header_value("Server-Timing")});
        }
        if (res->has_header("Server-Timing"))
          ParseServerTiming(res->get_header_value("Server-Timing"), &r);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();

  std::vector<double> all, phases[kPhaseCount];
  long status_errors = 0, transport_errors = 0;
  double max_lag = 0;
  for (const auto& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    for (size_t k = 0; k < kPhaseCount; ++k)
      phases[k].insert(phases[k].end(), r.phases_ms[k].begin(), r.phases_ms[k].end());
    status_errors += r.status_errors;
    transport_errors += r.transport_errors;
    max_lag = std::max(max_lag, r.max_lag_ms);
  }
  std::sort(all.begin(), all.end());
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
  std::printf("latest send behind schedule: %.2f ms\n", max_lag);
  // The summary line bench/server/run.sh parses (same fields as the wrk scripts).
  std::printf(
      "summary: %ld requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors connect 0 "
      "read %ld write 0 status %ld timeout 0\n",
      answered, static_cast<double>(answered) / elapsed, Percentile(all, 50), Percentile(all, 99),
      transport_errors, status_errors);
  return 0;
}
