// Screening benchmark: quality on the labelled sets of ../shared/data/eval and
// speed (names/s, list load time, peak memory). Figures go to
// docs/screening-results.md; scripts/bench-screening.sh runs every mode.
//
//   bench_screening pairs CASES.csv [FROZEN.csv] [--threshold T] [--by COLUMN] [--verbose]
//                   (--by: figures per value of COLUMN too, e.g. script)
//   bench_screening ofac FIXTURES.csv
//   bench_screening screen --list PATH... --queries FILE --expect hit|clear
//                   (or --data-dir DIR: the lists imported there, through their
//                   compiled snapshot, as `dualuse screen` loads them)
//                   [--countries ISO3166.csv] [--limit N] [--threads N] [--verbose]
//   bench_screening names --list PATH... --out FILE   (list names, one a line, for pg_trgm)
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/screening/csv.h"
#include "dualuse/screening/engine.h"

using namespace dualuse;
using namespace dualuse::screening;

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Process CPU time, every thread (user + system).
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long PeakRssMiB() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;  // KiB on Linux
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: %s: cannot read\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  auto rows = ParseCsv(ss.str());
  if (!rows) {
    std::fprintf(stderr, "error: %s: %s\n", path.c_str(), rows.error().message().c_str());
    std::exit(2);
  }
  return std::move(rows).value();
}

int Col(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

struct Counts {
  int tp = 0, fp = 0, tn = 0, fn = 0;
  double P() const { return tp + fp ? double(tp) / (tp + fp) : 0; }
  double R() const { return tp + fn ? double(tp) / (tp + fn) : 0; }
  double F1() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0; }
};

Counts At(const std::vector<std::pair<double, bool>>& v, double t) {
  Counts c;
  for (auto& [s, y] : v) {
    bool p = s >= t;
    if (p && y) ++c.tp;
    if (p && !y) ++c.fp;
    if (!p && y) ++c.fn;
    if (!p && !y) ++c.tn;
  }
  return c;
}

void Report(const char* who, const std::vector<std::pair<double, bool>>& v, double t) {
  Counts c = At(v, t);
  double best_t = 0, best_f = -1;
  for (int k = 30; k <= 95; ++k) {
    double f = At(v, k / 100.0).F1();
    if (f > best_f) {
      best_f = f;
      best_t = k / 100.0;
    }
  }
  std::printf(
      "%-10s n=%zu  at %.2f: P %.3f R %.3f F1 %.3f (TP %d FP %d TN %d FN %d)  best F1 %.3f at "
      "%.2f\n",
      who, v.size(), t, c.P(), c.R(), c.F1(), c.tp, c.fp, c.tn, c.fn, best_f, best_t);
}

lists::Schema SchemaOf(const std::string& s) {
  lists::Schema out = lists::Schema::kLegalEntity;
  if (!lists::ParseSchema(s, &out)) out = lists::Schema::kLegalEntity;
  return out;
}

int Pairs(int argc, char** argv) {
  std::string cases, frozen, by;
  double t = kDefaultMatchThreshold;
  bool verbose = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threshold" && i + 1 < argc)
      t = std::atof(argv[++i]);
    else if (a == "--by" && i + 1 < argc)
      by = argv[++i];
    else if (a == "--verbose")
      verbose = true;
    else if (cases.empty())
      cases = a;
    else
      frozen = a;
  }
  auto rows = ReadCsv(cases);
  const auto& h = rows[0];
  int cs = Col(h, "schema"), c1 = Col(h, "name1"), c2 = Col(h, "name2"), cm = Col(h, "is_match");
  const int cby = by.empty() ? -1 : Col(h, by);
  if (!by.empty() && cby < 0) {
    std::fprintf(stderr, "error: %s: no column '%s'\n", cases.c_str(), by.c_str());
    return 2;
  }
  std::map<std::string, std::vector<std::pair<double, bool>>> groups;
  std::vector<std::pair<double, bool>> ours;
  std::map<std::string, std::pair<double, bool>> by_key;
  const auto t0 = Clock::now();
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    std::vector<std::string> expl;
    double s = CompareNames(SchemaOf(row[cs]), row[c1], row[c2], verbose ? &expl : nullptr);
    bool y = row[cm] == "true";
    ours.push_back({s, y});
    if (cby >= 0) groups[row[static_cast<size_t>(cby)]].push_back({s, y});
    by_key[row[cs] + "|" + row[c1] + "|" + row[c2]] = {s, y};
    if (verbose && ((s >= t) != y)) {
      std::printf("%s %.3f %s | %s | %s\n", y ? "FN" : "FP", s, row[cs].c_str(), row[c1].c_str(),
                  row[c2].c_str());
      for (auto& e : expl)
        std::printf("      %s\n", e.c_str());
    }
  }
  const double secs = Seconds(t0, Clock::now());
  Report("dualuse", ours, t);
  std::printf("           %zu pairs in %.3f s (%.0f pairs/s, includes normalisation)\n",
              ours.size(), secs, ours.size() / secs);
  for (const auto& [g, v] : groups)
    Report(g.c_str(), v, t);
  if (!frozen.empty()) {
    auto fr = ReadCsv(frozen);
    const auto& fh = fr[0];
    int fs = Col(fh, "schema"), f1 = Col(fh, "name1"), f2 = Col(fh, "name2"),
        fm = Col(fh, "is_match"), fsc = Col(fh, "score");
    std::vector<std::pair<double, bool>> theirs, ours_same;
    for (size_t r = 1; r < fr.size(); ++r) {
      const auto& row = fr[r];
      theirs.push_back({std::atof(row[fsc].c_str()), row[fm] == "true"});
      auto it = by_key.find(row[fs] + "|" + row[f1] + "|" + row[f2]);
      if (it != by_key.end()) ours_same.push_back(it->second);
    }
    Report("logic-v2", theirs, 0.70);
    Report("dualuse*", ours_same, t);
    std::printf("           (* the %zu pairs logic-v2 was frozen on)\n", ours_same.size());
  }
  return 0;
}

int Ofac(int argc, char** argv) {
  if (argc < 1) return 2;
  auto rows = ReadCsv(argv[0]);
  const auto& h = rows[0];
  int cq = Col(h, "query_name"), cr = Col(h, "result_name"), cs = Col(h, "ofac_score");
  double sum = 0;
  int within5 = 0, n = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    double ours = OfacNameScore(rows[r][cq], rows[r][cr]);
    double theirs = std::atof(rows[r][cs].c_str()) / 100.0;
    double d = std::fabs(ours - theirs);
    sum += d;
    within5 += d <= 0.05 + 1e-9;
    ++n;
    if (argc > 1 && std::strcmp(argv[1], "--verbose") == 0 && d > 0.05)
      std::printf("  %.2f vs %.2f  %s | %s\n", ours, theirs, rows[r][cq].c_str(),
                  rows[r][cr].c_str());
  }
  std::printf(
      "ofac parity: %d rows, mean |delta| %.4f (%.2f points), within 5 points %d (%.1f%%)\n", n,
      sum / n, 100 * sum / n, within5, 100.0 * within5 / n);
  return 0;
}

// Country names (CLDR display name, official English name) -> ISO alpha-2.
std::unordered_map<std::string, std::string> Countries(const std::string& path) {
  std::unordered_map<std::string, std::string> m;
  if (path.empty()) return m;
  auto rows = ReadCsv(path);
  const auto& h = rows[0];
  int a2 = Col(h, "ISO3166-1-Alpha-2");
  for (const char* col : {"official_name_en", "UNTERM English Short", "CLDR display name"}) {
    int c = Col(h, col);
    if (c < 0 || a2 < 0) continue;
    for (size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() <= static_cast<size_t>(std::max(c, a2))) continue;
      std::string k = rows[r][c];
      for (char& ch : k)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!k.empty() && !rows[r][a2].empty()) m[k] = rows[r][a2];
    }
  }
  return m;
}

struct Loaded {
  std::vector<lists::ListVersion> lists;
  double seconds = 0, cpu = 0;
};

// The lists, parsed concurrently (lists::LoadLists, all cores).
Loaded LoadLists(const std::vector<std::string>& paths) {
  Loaded out;
  const auto t0 = Clock::now();
  const double c0 = CpuSeconds();
  // As LoadScreener does: the transliterators are built beside the parsers.
  std::thread prepare(PrepareScreening);
  auto v = lists::LoadLists(paths);
  prepare.join();
  if (!v) {
    std::fprintf(stderr, "error: %s\n", v.error().message().c_str());
    std::exit(2);
  }
  out.lists = std::move(v).value();
  out.seconds = Seconds(t0, Clock::now());
  out.cpu = CpuSeconds() - c0;
  return out;
}

int Screen(int argc, char** argv) {
  std::vector<std::string> list_paths;
  std::string data_dir;
  std::string queries, expect = "hit", countries;
  size_t limit = 0;
  unsigned threads = 0;
  bool verbose = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--list" && i + 1 < argc)
      list_paths.push_back(argv[++i]);
    else if (a == "--data-dir" && i + 1 < argc)
      data_dir = argv[++i];
    else if (a == "--queries" && i + 1 < argc)
      queries = argv[++i];
    else if (a == "--expect" && i + 1 < argc)
      expect = argv[++i];
    else if (a == "--countries" && i + 1 < argc)
      countries = argv[++i];
    else if (a == "--limit" && i + 1 < argc)
      limit = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--threads" && i + 1 < argc)
      threads = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--verbose")
      verbose = true;
  }
  // Everything from here to the end of screening counts: reading and parsing
  // the lists, normalising and indexing their names, reading the queries,
  // screening them.
  const auto t_start = Clock::now();
  const double cpu0 = CpuSeconds();
  Loaded loaded;
  size_t entities = 0;
  Result<std::unique_ptr<ListScreener>> screener = Status::Internal("not loaded");
  if (data_dir.empty()) {
    loaded = LoadLists(list_paths);
    for (auto& l : loaded.lists)
      entities += l.entities.size();
    screener = ListScreener::Build(std::move(loaded.lists));
  } else {
    // The snapshot when it is valid (else the lists, and a fresh snapshot).
    screener = LoadScreener({}, data_dir, Date::Today());
    if (screener) entities = (*screener)->entity_count();
  }
  if (!screener) {
    std::fprintf(stderr, "error: %s\n", screener.error().message().c_str());
    return 2;
  }
  const BuildStats& bs = (*screener)->build_stats();
  const double load_total = Seconds(t_start, Clock::now());
  const double load_cpu = CpuSeconds() - cpu0;

  auto rows = ReadCsv(queries);
  auto cmap = Countries(countries);
  const auto& h = rows[0];
  int cn = Col(h, "full_name"), cd = Col(h, "date_of_birth"), cc = Col(h, "nationality");
  std::vector<PartyQuery> qs;
  for (size_t r = 1; r < rows.size() && (limit == 0 || qs.size() < limit); ++r) {
    PartyQuery q;
    q.name = rows[r][cn];
    q.schema = lists::Schema::kPerson;
    if (cd >= 0) q.birth_date = rows[r][cd];
    if (cc >= 0) {
      std::string c = rows[r][cc];
      if (c.size() == 2) {
        q.country = c;
      } else {
        for (char& ch : c)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto it = cmap.find(c);
        if (it != cmap.end()) q.country = it->second;
      }
    }
    qs.push_back(std::move(q));
  }
  const auto t2 = Clock::now();
  const double cpu2 = CpuSeconds();
  const unsigned threads_used =
      std::min<unsigned>(threads ? threads : std::max(1u, std::thread::hardware_concurrency()),
                         static_cast<unsigned>(std::max<size_t>(qs.size(), 1)));
  auto results = (*screener)->ScreenBatch(qs, threads);
  const double screen_secs = Seconds(t2, Clock::now());
  const double screen_cpu = CpuSeconds() - cpu2;
  size_t hit = 0, potential = 0, top_dob = 0, with_dob = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.status == ScreeningStatus::kHit) ++hit;
    if (r.status == ScreeningStatus::kPotentialMatch) ++potential;
    // The best match is the same person: its birth date agrees with the query's.
    if (!qs[i].birth_date.empty() && r.status == ScreeningStatus::kHit) {
      ++with_dob;
      for (const auto& e : r.matches.front().explanation)
        if (e.rfind("birth date agrees", 0) == 0) ++top_dob;
    }
    const bool bad =
        expect == "hit" ? r.status != ScreeningStatus::kHit : r.status == ScreeningStatus::kHit;
    if (verbose && bad) {
      std::printf("%s: %s (dob %s, %s)\n", ScreeningStatusName(r.status), qs[i].name.c_str(),
                  qs[i].birth_date.c_str(), qs[i].country.c_str());
      for (const auto& m : r.matches) {
        std::printf("    %.3f %s %s '%s' via '%s'\n", m.score, m.list.c_str(), m.entity_id.c_str(),
                    m.name.c_str(), m.matched_name.c_str());
        for (const auto& e : m.explanation)
          std::printf("        %s\n", e.c_str());
      }
    }
  }
  const double total_wall = Seconds(t_start, Clock::now());
  const double total_cpu = CpuSeconds() - cpu0;
  std::printf("lists: %zu lists, %zu entities, %zu indexed names%s\n",
              (*screener)->ListVersions().size(), entities, (*screener)->name_count(),
              data_dir.empty() ? "" : " (imported; compiled snapshot)");
  std::printf("  parse (lists::LoadLists)     %7.3f s wall %7.3f s CPU\n", loaded.seconds,
              loaded.cpu);
  std::printf("  normalise + analyse names    %7.3f s wall %7.3f s CPU (%u threads)\n",
              bs.analyse_wall, bs.analyse_cpu, bs.threads);
  std::printf("  index build                  %7.3f s wall %7.3f s CPU\n", bs.index_wall,
              bs.index_cpu);
  std::printf("  lists loaded                 %7.3f s wall %7.3f s CPU\n", load_total, load_cpu);
  std::printf("queries: %zu; hit %zu (%.3f%%), potential %zu (%.3f%%), expected %s\n", qs.size(),
              hit, 100.0 * hit / qs.size(), potential, 100.0 * potential / qs.size(),
              expect.c_str());
  if (expect == "hit")
    std::printf("hits whose best match has the query's birth date: %zu of %zu hits with a date\n",
                top_dob, with_dob);
  std::printf(
      "  query (%zu names, %u threads) %7.3f s wall %7.3f s CPU; %.0f names/s wall, %.0f names "
      "per CPU-second\n",
      qs.size(), threads_used, screen_secs, screen_cpu, qs.size() / screen_secs,
      qs.size() / screen_cpu);
  std::printf("peak memory: %ld MiB (max RSS)\n", PeakRssMiB());
  // One line for scripts (bench-pg-trgm.sh reads it).
  std::printf(
      "total: %zu names screened, lists loading included: %.3f s wall, %.3f s CPU (lists loaded "
      "in %.3f s wall, %.3f s CPU; %.0f names/s overall; peak RSS %ld MiB)\n",
      qs.size(), total_wall, total_cpu, load_total, load_cpu, qs.size() / total_wall, PeakRssMiB());
  return 0;
}

int Names(int argc, char** argv) {
  std::vector<std::string> list_paths;
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--list" && i + 1 < argc)
      list_paths.push_back(argv[++i]);
    else if (a == "--out" && i + 1 < argc)
      out = argv[++i];
  }
  Loaded loaded = LoadLists(list_paths);
  std::ofstream o(out);
  size_t n = 0;
  for (auto& l : loaded.lists) {
    for (auto& e : l.entities) {
      for (auto& nm : e.names) {
        std::string s = nm.full;
        for (char& c : s)
          if (c == '\t' || c == '\n' || c == '\r' || c == '\\') c = ' ';
        o << l.list_id << '\t' << e.id << '\t' << s << '\n';
        ++n;
      }
    }
  }
  std::printf("%zu names written to %s\n", n, out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_screening pairs|ofac|screen|names ...\n");
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "pairs") return Pairs(argc - 2, argv + 2);
  if (mode == "ofac") return Ofac(argc - 2, argv + 2);
  if (mode == "screen") return Screen(argc - 2, argv + 2);
  if (mode == "names") return Names(argc - 2, argv + 2);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
