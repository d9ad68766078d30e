// Times the assessment pipeline on 100,000 JSON-lines requests, no lists
// loaded, one thread: JSON parse, ParseRequest, Engine::Validate,
// Engine::Assess, serialisation. Target: < 5 s. Prints the figures; no
// assertion (benchmarks report, tests assert).
//
// usage: assess_bench [N]   (default 100000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"

namespace {

// A varied, deterministic mix: destinations, dates on both sides of
// 2021-09-09, listed, non-listed, cyber and unclassified items, knowledge.
std::vector<std::string> MakeLines(size_t n) {
  const char* dests[] = {"CN", "JP", "RU", "BR", "MM", "IR", "US", "DE", "IN", "PK", "BY", "VE"};
  const char* dates[] = {"2019-07-18", "2021-09-08", "2021-09-09", "2022-02-26", "2026-11-28"};
  const char* entries[] = {"[\"5A001.j\"]", "[]",  "[\"5A002.a\"]", "[\"4D004\"]", "[\"5A004.a\"]",
                           "[\"5E001.a\"]", "null"};
  const char* knowledge[] = {"{}", "{\"aware\": [\"internal_repression\"]}",
                             "{\"informed\": [\"wmd\"]}", "{\"aware\": [\"military_end_use\"]}"};
  const char* sectors[] = {"private", "telecom_operator", "law_enforcement", "military"};
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string e = entries[i % 7];
    std::string ce = e == "null" ? "" : ", \"control_entries\": " + e;
    out.push_back(
        std::string("{\"schema\": \"dualuse.assessment/1\", \"reference\": \"B-") +
        std::to_string(i) + "\", \"date\": \"" + dates[i % 5] +
        "\", \"activity\": \"export\", \"exporter\": {\"name\": \"Example B.V.\", \"country\": "
        "\"NL\", \"has_icp\": true}, \"destination\": \"" +
        dests[i % 12] +
        "\", \"items\": [{\"id\": \"1\", \"description\": \"item\", \"kind\": \"software\"" + ce +
        ", \"cyber_surveillance\": " + (i % 3 ? "true" : "false") +
        ", \"quantity\": 1, \"value_eur\": 1000}], \"parties\": [{\"role\": \"end_user\", "
        "\"name\": \"Party " +
        std::to_string(i) + "\", \"country\": \"" + dests[i % 12] +
        "\", \"type\": \"organization\", \"sector\": \"" + sectors[i % 4] +
        "\"}], \"end_use\": {\"description\": \"\"}, \"knowledge\": " + knowledge[i % 4] + "}");
  }
  return out;
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  auto engine = dualuse::rules::Engine::CreateDefault();
  if (!engine.ok()) {
    std::fprintf(stderr, "error: %s\n", engine.error().message().c_str());
    return 1;
  }
  auto t1 = Clock::now();
  std::vector<std::string> lines = MakeLines(n);
  std::string all;
  for (const auto& l : lines)
    all += l + "\n";
  auto t2 = Clock::now();
  std::clock_t c2 = std::clock();
  std::vector<dualuse::rules::AssessmentRequest> requests;
  requests.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto j = nlohmann::json::parse(lines[i]);
    auto r = dualuse::rules::ParseRequest(j, "bench");
    if (!r.ok() || !(*engine)->Validate(*r, "bench").ok()) {
      std::fprintf(stderr, "error: request %zu: %s\n", i, r.status().message().c_str());
      return 1;
    }
    requests.push_back(std::move(r).value());
  }
  auto t3 = Clock::now();
  size_t bytes = 0, verdicts[8] = {};
  for (const auto& r : requests) {
    auto d = (*engine)->Assess(r, dualuse::rules::Engine::EffectiveDate(r, std::nullopt));
    if (!d.ok()) return 1;
    ++verdicts[static_cast<int>(d->verdict)];
    bytes += dualuse::rules::ToJsonString(*d).size() + 1;
  }
  auto t4 = Clock::now();
  std::clock_t c4 = std::clock();
  std::printf("engine construction (law data + Annex I): %.3f s\n", Seconds(t1 - t0));
  std::printf("%zu requests (%.1f MB JSON lines)\n", n, all.size() / 1e6);
  std::printf("parse + validate: %.3f s\n", Seconds(t3 - t2));
  std::printf("assess + serialise: %.3f s (%.1f MB out)\n", Seconds(t4 - t3), bytes / 1e6);
  std::printf("total per %zu requests (excluding construction): %.3f s = %.1f us/request\n", n,
              Seconds(t4 - t2), Seconds(t4 - t2) * 1e6 / static_cast<double>(n));
  // CPU time of this process: the figure that matters on a shared machine,
  // where wall time includes waiting for a core.
  std::printf("CPU time for parse + validate + assess + serialise: %.3f s\n",
              static_cast<double>(c4 - c2) / CLOCKS_PER_SEC);
  for (int v = 0; v < 6; ++v) {
    std::printf("  %-22s %zu\n", dualuse::rules::EffectName(static_cast<dualuse::rules::Effect>(v)),
                verdicts[v]);
  }
  return 0;
}
