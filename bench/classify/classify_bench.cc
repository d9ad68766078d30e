// classify_bench [ROUNDS]: how fast `dualuse classify search` is on the whole of
// Annex I. Loads the data, builds the index, then runs each of the 25 test
// descriptions (and the lay-term examples) ROUNDS times (default 40) and prints
// load/build times and per-query latency percentiles. Not a unit test: figures only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "dualuse/classify/search.h"
#include "dualuse/controllist/control_list.h"

namespace {

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  int rounds = argc > 1 ? std::atoi(argv[1]) : 40;
  if (rounds <= 0) rounds = 40;
  const std::string src = DUALUSE_SOURCE_DIR;
  auto t0 = Clock::now();
  auto list = dualuse::controllist::ControlList::Load(src + "/data/law/annex-i");
  auto t1 = Clock::now();
  if (!list.ok()) {
    std::fprintf(stderr, "error: %s\n", list.error().message().c_str());
    return 1;
  }
  auto index =
      dualuse::classify::SearchIndex::Build(list.value(), src + "/data/classify/synonyms.json");
  auto t2 = Clock::now();
  if (!index.ok()) {
    std::fprintf(stderr, "error: %s\n", index.error().message().c_str());
    return 1;
  }
  std::ifstream in(src + "/tests/data/classify-descriptions.json");
  std::stringstream buf;
  buf << in.rdbuf();
  auto doc = nlohmann::json::parse(buf.str(), nullptr, false);
  std::vector<std::string> queries = {"imsi catcher", "spyware", "lawful interception",
                                      "hard selectors", "5A001.j"};
  if (doc.is_object()) {
    for (const auto& c : doc["cases"])
      queries.push_back(c["text"].get<std::string>());
  }
  std::vector<double> lat;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& q : queries) {
      auto s = Clock::now();
      auto hits = index.value()->Search(q, 10);
      lat.push_back(Ms(Clock::now() - s));
      if (!hits.ok()) {
        std::fprintf(stderr, "error: %s\n", hits.error().message().c_str());
        return 1;
      }
    }
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) {
    return lat[std::min(lat.size() - 1, static_cast<size_t>(p * lat.size()))];
  };
  double sum = 0;
  for (double x : lat)
    sum += x;
  std::printf("Annex I entries: %zu (%s)\n", list.value()->entries().size(),
              list.value()->version().c_str());
  std::printf("load Annex I data: %.1f ms\nbuild FTS5 index: %.1f ms\n", Ms(t1 - t0), Ms(t2 - t1));
  std::printf(
      "search (limit 10), %zu queries: mean %.2f ms, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max "
      "%.2f ms\n",
      lat.size(), sum / lat.size(), pct(0.5), pct(0.95), pct(0.99), lat.back());
  return 0;
}
