// `dualuse lists ...` end to end: the built binary, a temporary data
// directory, the real list files, and `update` against a loopback HTTP server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
const std::string kLists = std::string(DUALUSE_LISTS_DIR) + "/";
// bis_mieu.csv is OpenSanctions' transcription (CC BY-NC 4.0, not carried in
// the repository): read from ../shared; the test fails when it is absent.
const std::string kSharedLists = std::string(DUALUSE_SHARED_DIR) + "/data/lists/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "dualuse-cli-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct CliRun {
  int code = -1;
  std::string out, err;
};

// Runs the dualuse binary with `args` (already shell-quoted where needed).
CliRun Dualuse(const TempDir& dir, const std::string& args) {
  const std::string out = dir.path() + "/stdout", err = dir.path() + "/stderr";
  std::string cmd =
      std::string(DUALUSE_BINARY) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  int status = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// The list_import audit records of a data directory's store.
std::vector<nlohmann::json> ImportRecords(const TempDir& dir, const std::string& data) {
  CliRun r = Dualuse(dir, "audit export --kind list_import" + data);
  std::vector<nlohmann::json> out;
  if (r.code != 0) return out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

// The imported versions as `lists status` sees them (after its recovery).
std::map<std::string, long> InForce(const TempDir& dir, const std::string& data) {
  CliRun r = Dualuse(dir, "lists status --format json" + data);
  std::map<std::string, long> out;
  EXPECT_EQ(r.code, 0) << r.err;
  if (r.code != 0) return out;
  const nlohmann::json status = nlohmann::json::parse(r.out);
  for (const auto& l : status["lists"]) {
    if (l.value("in_force", false)) out[l["list_id"]] = l["entity_count"].get<long>();
  }
  return out;
}

// The real UN file of 2026-02-27 without its first `drop` INDIVIDUAL records,
// dated `date`.
std::string ShrunkUn(size_t drop, const std::string& date) {
  std::string un = ReadAll(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  size_t gen = un.find("dateGenerated=\"");
  un.replace(gen + 15, 10, date);
  for (size_t i = 0; i < drop; ++i) {
    size_t a = un.find("<INDIVIDUAL>"), b = un.find("</INDIVIDUAL>", a);
    un.erase(a, b + 13 - a);
  }
  return un;
}

TEST(ListsCli, MalformedListImportsNothing) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  // A truncated copy of the UN list next to a good one.
  const std::string un = ReadAll(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  std::ofstream(dir.path() + "/broken.xml") << un.substr(0, un.size() / 3);
  CliRun r = Dualuse(dir, "lists import" + data + kLists + "un_sc/un_consolidated_2025-11-20.xml " +
                              dir.path() + "/broken.xml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_EQ(r.err.rfind("error: " + dir.path() + "/broken.xml: line ", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() + "/var/lists/manifest.json"));
  CliRun status = Dualuse(dir, "lists status --format json" + data);
  EXPECT_EQ(status.code, 0);
  EXPECT_TRUE(nlohmann::json::parse(status.out)["lists"].empty());
}

TEST(ListsCli, NotAListIsRefused) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  // A list-like CSV in no list format: exit 2 as for a malformed list.
  CliRun r = Dualuse(dir, "lists import" + data + kSharedLists + "us_csl/bis_mieu.csv");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not a list format"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() + "/var/lists/manifest.json"));
}

TEST(ListsCli, ImportStatusDiff) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  CliRun r = Dualuse(dir, "lists import --format json" + data + kLists +
                              "un_sc/un_consolidated_2025-11-20.xml " + kLists +
                              "ofac_sdn/legacy_csv_2022-01-31");
  ASSERT_EQ(r.code, 0) << r.err;
  auto imported = nlohmann::json::parse(r.out);
  ASSERT_EQ(imported.size(), 2u);
  EXPECT_EQ(imported[0]["list_id"], "un_sc");
  EXPECT_EQ(imported[0]["entity_count"], 1000);
  EXPECT_EQ(imported[1]["list_id"], "ofac_sdn");
  EXPECT_EQ(imported[1]["date_source"], "filename");
  EXPECT_EQ(imported[1]["warnings"].size(), 2u);  // OFAC's own inconsistencies, reported
  r = Dualuse(dir, "lists import" + data + kLists + "un_sc/un_consolidated_2026-02-27.xml");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("imported un_sc 2026-02-27", 0), 0u) << r.out;
  r = Dualuse(dir, "lists import" + data + kLists + "un_sc/un_consolidated_2026-02-27.xml");
  EXPECT_EQ(r.out.rfind("unchanged un_sc 2026-02-27", 0), 0u) << r.out;

  r = Dualuse(dir, "lists status --format json --as-of 2026-03-01" + data);
  ASSERT_EQ(r.code, 0) << r.err;
  auto status = nlohmann::json::parse(r.out);
  ASSERT_EQ(status["lists"].size(), 2u);
  EXPECT_EQ(status["lists"][1]["list_id"], "un_sc");
  EXPECT_EQ(status["lists"][1]["date"], "2026-02-27");
  EXPECT_EQ(status["lists"][1]["age_days"], 2);
  EXPECT_EQ(status["lists"][1]["stale"], false);
  EXPECT_EQ(status["lists"][1]["versions"], 2);
  EXPECT_EQ(status["lists"][0]["stale"], true);  // the 2022 SDN copy
  EXPECT_NE(r.err.find("warning: ofac_sdn"), std::string::npos);
  EXPECT_EQ(status["data_dir"], dir.path() + "/var");
  r = Dualuse(dir, "lists status --as-of 2026-01-01" + data);
  EXPECT_NE(r.out.find("un_sc              2025-11-20"), std::string::npos) << r.out;
  // Where the data directory is, first.
  EXPECT_EQ(r.out.rfind("data directory: " + dir.path() + "/var\n", 0), 0u) << r.out;

  // Imported versions and files can be mixed.
  r = Dualuse(dir, "lists diff --format json" + data + "un_sc@2025-11-20 " + kLists +
                       "un_sc/un_consolidated_2026-02-27.xml");
  ASSERT_EQ(r.code, 0) << r.err;
  auto diff = nlohmann::json::parse(r.out);
  EXPECT_EQ(diff["summary"]["added"], 4);
  EXPECT_EQ(diff["summary"]["removed"], 1);
  EXPECT_EQ(diff["removed"][0]["id"], "6908121");
  r = Dualuse(dir, "lists diff" + data + "un_sc@2025-11-20 un_sc@2026-02-27");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("4 added, 1 removed, 0 changed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- 6908121 MUNIR AL QUBAYSI"), std::string::npos) << r.out;
  r = Dualuse(dir, "lists diff" + data + "un_sc@2025-11-20 ofac_sdn");
  EXPECT_EQ(r.code, 2);
  r = Dualuse(dir, "lists diff" + data + "un_sc@1999-01-01 un_sc");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(Lines(r.err), 1);
}

TEST(ListsCli, UpdateKeepsCurrentVersionOnBadDownload) {
  httplib::Server server;
  std::mutex mu;
  std::map<std::string, std::string> files;
  server.Get(R"(/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = files.find(req.matches[1]);
    if (it == files.end()) {
      res.status = 404;
      return;
    }
    res.set_content(it->second, "application/xml");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  TempDir dir;
  const std::string args = "lists update --only un_sc --data-dir " + dir.path() +
                           "/var --source-base http://127.0.0.1:" + std::to_string(port);
  const std::string feb = ReadAll(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  {
    std::lock_guard<std::mutex> lock(mu);
    files["consolidated.xml"] = ReadAll(kLists + "un_sc/un_consolidated_2025-11-20.xml");
  }
  CliRun r = Dualuse(dir, args);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("updated un_sc 2025-11-20 1000 entities", 0), 0u) << r.out;
  EXPECT_EQ(r.err, "");  // no progress bar: stderr is not a terminal
  {
    std::lock_guard<std::mutex> lock(mu);
    files["consolidated.xml"] = feb.substr(0, feb.size() - 100);  // truncated download
  }
  r = Dualuse(dir, args);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("expected well-formed XML"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("failed un_sc (current version kept)"), std::string::npos) << r.out;
  CliRun status = Dualuse(dir, "lists status --format json --data-dir " + dir.path() + "/var");
  auto s = nlohmann::json::parse(status.out);
  ASSERT_EQ(s["lists"].size(), 1u);
  EXPECT_EQ(s["lists"][0]["date"], "2025-11-20");
  EXPECT_EQ(s["lists"][0]["versions"], 1);
  {
    std::lock_guard<std::mutex> lock(mu);
    files.clear();  // publisher down: 404
  }
  r = Dualuse(dir, args);
  EXPECT_EQ(r.code, 1);  // environmental failure, not bad input
  {
    std::lock_guard<std::mutex> lock(mu);
    files["consolidated.xml"] = feb;
  }
  r = Dualuse(dir, args);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("updated un_sc 2026-02-27 1003 entities", 0), 0u) << r.out;
  server.stop();
  t.join();
}

// No silent shrink: an import that empties a list or removes more than 10 %
// of it is refused unless --allow-shrink, which is recorded. A CSL file with
// only its header and a UN file without entries are refused.
TEST(ListsCli, ShrinkGuard) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  CliRun r = Dualuse(dir, "lists import" + data + kLists + "un_sc/un_consolidated_2026-02-27.xml");
  ASSERT_EQ(r.code, 0) << r.err;
  std::ofstream(dir.path() + "/empty_un.xml")
      << "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-03-01T00:00:00Z\">"
         "<INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>\n";
  std::ofstream(dir.path() + "/shrunk_un.xml") << ShrunkUn(150, "2026-03-02");  // 15 %
  // 2 % fewer than 2026-02-27, 130 more than the 15 % shrunk version before it.
  std::ofstream(dir.path() + "/trimmed_un.xml") << ShrunkUn(20, "2026-03-03");
  const std::string csl_header = ReadAll(kLists + "us_csl/csl_sample_13rows_2025-06.csv");
  std::ofstream(dir.path() + "/csl_2026-08-01.csv")
      << csl_header.substr(0, csl_header.find('\n') + 1);
  struct Case {
    const char* file;
    const char* flags;
    int code;
    const char* message;
    long entities_after;  // un_sc in force afterwards
  } cases[] = {
      {"empty_un.xml", "", 2, "list un_sc would go from 1003 entities (version 2026-02-27) to none",
       1003},
      {"shrunk_un.xml", "", 2,
       "list un_sc would lose 150 of the 1003 entities of version 2026-02-27 (15.0 %, more than "
       "10.0 %); nothing imported (pass --allow-shrink",
       1003},
      {"shrunk_un.xml", " --max-shrink 0.2", 0, "", 853},
      {"trimmed_un.xml", "", 0, "", 983},
      {"csl_2026-08-01.csv", "", 2, "list us_csl has no entities", 983},
      {"empty_un.xml", " --allow-shrink", 0, "imported although it removes 1003 of the 1003", 983},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.file) + c.flags);
    r = Dualuse(dir, "lists import" + data + c.flags + " " + dir.path() + "/" + c.file);
    EXPECT_EQ(r.code, c.code) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    if (c.code != 0) {
      EXPECT_EQ(r.out, "");
      // One error line (warnings about the file's date may come before it).
      ASSERT_NE(r.err.find("error: "), std::string::npos) << r.err;
      EXPECT_EQ(r.err.find("error: ", r.err.find("error: ") + 1), std::string::npos) << r.err;
    }
    // The empty UN version (dated 2026-03-01) is in force only between its
    // date and the next one; status asks for the newest.
    CliRun st = Dualuse(dir, "lists status --format json --as-of 2026-03-05" + data);
    ASSERT_EQ(st.code, 0);
    const nlohmann::json status = nlohmann::json::parse(st.out);
    bool un_seen = false;
    for (const auto& l : status["lists"]) {
      un_seen |= l["list_id"] == "un_sc";
      if (l["list_id"] == "un_sc") {
        EXPECT_EQ(l["entity_count"], c.entities_after);
      }
      EXPECT_NE(l["list_id"], "us_csl");
    }
    EXPECT_TRUE(un_seen);
  }
  // The decision is recorded: the forced import's record says so, with its figures.
  auto recs = ImportRecords(dir, data);
  ASSERT_EQ(recs.size(), 4u);
  auto forced = recs.back()["inputs"];
  EXPECT_EQ(forced["entity_count"], 0);
  EXPECT_EQ(forced["shrink_allowed"], true);
  auto shrunk = recs[1]["inputs"];
  EXPECT_EQ(shrunk["previous_entities"], 1003);
  EXPECT_EQ(shrunk["removed_entities"], 150);
  EXPECT_EQ(shrunk["shrink_allowed"], false);
}

// Several files are imported all or nothing, with their audit records: one
// refused file (a CSL with only its header) leaves neither lists nor records.
TEST(ListsCli, MultiFileImportIsAllOrNothing) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  const std::string csl = ReadAll(kLists + "us_csl/csl_sample_13rows_2025-06.csv");
  std::ofstream(dir.path() + "/csl.csv") << csl.substr(0, csl.find('\n') + 1);
  CliRun r = Dualuse(dir, "lists import" + data + kLists + "un_sc/un_consolidated_2026-02-27.xml " +
                              kSharedLists + "eu_oj/32017R1509.csv " + dir.path() + "/csl.csv");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(InForce(dir, data).empty());
  EXPECT_TRUE(ImportRecords(dir, data).empty());
  r = Dualuse(dir, "lists import" + data + kLists + "un_sc/un_consolidated_2026-02-27.xml " +
                       kSharedLists + "eu_oj/32017R1509.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(InForce(dir, data),
            (std::map<std::string, long>{{"eu_oj_32017R1509", 326}, {"un_sc", 1003}}));
  auto recs = ImportRecords(dir, data);
  ASSERT_EQ(recs.size(), 2u);
  // One import: the records share its id.
  EXPECT_EQ(recs[0]["inputs"]["import_id"], recs[1]["inputs"]["import_id"]);
  EXPECT_EQ(recs[1]["subject"].get<std::string>().rfind("eu_oj_32017R1509@undated:", 0), 0u);
}

// Two importers at once (separate processes) lose nothing: both imports
// land, each with its record.
TEST(ListsCli, ConcurrentImportsLoseNothing) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  ASSERT_EQ(Dualuse(dir, "lists status" + data).code, 0);
  auto run = [&](const std::string& files, const std::string& tag, int* code) {
    std::string cmd = std::string(DUALUSE_BINARY) + " lists import" + data + files + " >" +
                      dir.path() + "/" + tag + ".out 2>&1 </dev/null";
    int status = std::system(cmd.c_str());
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  int a = -1, b = -1, c = -1;
  std::thread ta(run, kLists + "us_csl/consolidated_2026-07-31.csv", "a", &a);
  std::thread tb(run, kLists + "un_sc/un_consolidated_2026-02-27.xml", "b", &b);
  std::thread tc(run,
                 kLists + "ofac_sdn/legacy_csv_2022-01-31 " + kSharedLists + "eu_oj/32014R0833.csv",
                 "c", &c);
  ta.join();
  tb.join();
  tc.join();
  EXPECT_EQ(a, 0) << ReadAll(dir.path() + "/a.out");
  EXPECT_EQ(b, 0) << ReadAll(dir.path() + "/b.out");
  EXPECT_EQ(c, 0) << ReadAll(dir.path() + "/c.out");
  EXPECT_EQ(
      InForce(dir, data),
      (std::map<std::string, long>{
          {"eu_oj_32014R0833", 1746}, {"ofac_sdn", 9044}, {"un_sc", 1003}, {"us_csl", 25800}}));
  EXPECT_EQ(ImportRecords(dir, data).size(), 4u);
}

// kill -9 during a multi-file import, at moments spread over its run: the
// registry and the store then show the whole import or none of it.
TEST(ListsCli, KilledImportLeavesAllOrNothing) {
  const std::string files = kLists + "un_sc/un_consolidated_2026-02-27.xml " + kLists +
                            "ofac_sdn/legacy_csv_2022-01-31 " + kLists +
                            "us_csl/consolidated_2026-07-31.csv";
  const std::map<std::string, long> all = {{"ofac_sdn", 9044}, {"un_sc", 1003}, {"us_csl", 25800}};
  // How long a whole import takes here, to spread the kills over it.
  TempDir probe;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Dualuse(probe, "lists import --data-dir " + probe.path() + "/var " + files).code, 0);
  const long total_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  int whole = 0, none = 0, at_commit = 0;
  // Steps 1-8: killed at moments spread over the run. Steps 9-12: killed as
  // soon as the pending manifest appears (between the files and the commit,
  // around the audit records), which exercises the recovery.
  for (int step = 1; step <= 12; ++step) {
    TempDir dir;
    const std::string data = " --data-dir " + dir.path() + "/var ";
    const bool at_pending = step > 8;
    const long delay_ms = total_ms * step / 8 + step % 3;
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      std::string d = dir.path() + "/var";
      execl(DUALUSE_BINARY, DUALUSE_BINARY, "lists", "import", "--data-dir", d.c_str(),
            (kLists + "un_sc/un_consolidated_2026-02-27.xml").c_str(),
            (kLists + "ofac_sdn/legacy_csv_2022-01-31").c_str(),
            (kLists + "us_csl/consolidated_2026-07-31.csv").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    if (at_pending) {
      const std::string pending = dir.path() + "/var/lists/manifest.pending.json";
      std::error_code ec;
      while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (fs::exists(pending, ec)) {
          ::kill(pid, SIGKILL);
          ++at_commit;
          break;
        }
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      ::kill(pid, SIGKILL);
    }
    ::waitpid(pid, &status, 0);
    SCOPED_TRACE(at_pending ? "killed at the pending manifest"
                            : "killed after " + std::to_string(delay_ms) + " ms");
    auto in_force = InForce(dir, data);
    auto recs = ImportRecords(dir, data);
    if (in_force.empty()) {
      EXPECT_TRUE(recs.empty()) << recs.size() << " records of an import that did not happen";
      ++none;
    } else {
      EXPECT_EQ(in_force, all);
      EXPECT_EQ(recs.size(), 3u);
      ++whole;
    }
    EXPECT_FALSE(fs::exists(dir.path() + "/var/lists/manifest.pending.json"));
    // The registry takes the next import normally.
    CliRun again = Dualuse(dir, "lists import" + data + files);
    // The error is the last line; the warnings before it are long.
    EXPECT_EQ(again.code, 0) << again.err.substr(again.err.size() > 600 ? again.err.size() - 600
                                                                        : 0);
    EXPECT_EQ(InForce(dir, data), all);
    EXPECT_EQ(ImportRecords(dir, data).size(), 3u);
  }
  EXPECT_EQ(whole + none, 12);
  std::printf(
      "killed imports: %d showed the whole import, %d none of it; %d killed at the "
      "pending manifest\n",
      whole, none, at_commit);
}

// `--list` takes one path per occurrence: the NAME after it is screened.
TEST(ListsCli, ListOptionTakesOnePathEach) {
  TempDir dir;
  CliRun r = Dualuse(dir, "screen --format json --list " + kLists +
                              "un_sc/un_consolidated_2026-02-27.xml --list " + kSharedLists +
                              "eu_oj/32017R1509.csv \"Korea Mining Development Trading "
                              "Corporation\"");
  EXPECT_EQ(r.err.find("give one or more NAMEs"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("un_sc"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("eu_oj_32017R1509"), std::string::npos) << r.out << r.err;
}

// The customer master into the counterparty register: unreadable rows are
// skipped and reported, the rest loads; a second import changes only what
// changed.
TEST(ListsCli, CounterpartiesImportAndList) {
  TempDir dir;
  const std::string data = " --data-dir " + dir.path() + "/var ";
  std::ofstream(dir.path() + "/customers.csv")
      << "external_id,name,country,aliases,birth_date,identifiers,type\n"
         "C-1,Acme Photonics GmbH,DE,Acme Photonics,,registration:HRB 123:DE,Company\n"
         "C-2,Ivan Petrov,RU,Ivan Petrov; Iwan Petrow,1970-05-01,passport:123456:RU,Person\n"
         "C-3,,NL,,,,\n"
         "C-4,Bad Date Ltd,GB,,1970-13-01,,\n"
         "C-5,Harbour Shipping,Netherlands,,,,\n";
  CliRun r =
      Dualuse(dir, "counterparties import --format json" + data + dir.path() + "/customers.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["rows"], 5);
  EXPECT_EQ(out["created"], 2);
  ASSERT_EQ(out["skipped"].size(), 3u);
  EXPECT_EQ(out["skipped"][0], dir.path() + "/customers.csv: row 4: field name: expected a name");
  EXPECT_NE(r.err.find("row 5: field birth_date"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("row 6: field country"), std::string::npos) << r.err;
  r = Dualuse(dir, "counterparties list --format json" + data);
  ASSERT_EQ(r.code, 0) << r.err;
  auto all = nlohmann::json::parse(r.out);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1]["name"], "Ivan Petrov");
  EXPECT_EQ(all[1]["schema"], "Person");
  EXPECT_EQ(all[1]["birth_date"], "1970-05-01");
  EXPECT_EQ(all[1]["identifiers"].size(), 2u);  // the passport and the external id
  r = Dualuse(dir, "counterparties import" + data + dir.path() + "/customers.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("0 created, 0 changed, 2 unchanged, 3 skipped"), std::string::npos) << r.out;
}

// Listing dates in an assessment: CHANG AN SHIPPING & TECHNOLOGY was listed
// by the UN on 2018-03-30 (LISTED_ON of the real list). An export before that
// day is no hit; after it, the party is an asset-freeze hit and the finding
// says when it was listed. The list version is the publisher's date.
TEST(ListsCli, AssessmentBeforeTheListingIsNoHit) {
  TempDir dir;
  struct Case {
    const char* date;
    const char* verdict;
    const char* status;
  } cases[] = {{"2017-06-01", "no_licence_required", "clear"},
               {"2018-03-29", "no_licence_required", "clear"},
               {"2018-04-01", "prohibited", "hit"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.date);
    nlohmann::json req = {
        {"schema", "dualuse.assessment/1"},
        {"reference", "LD-1"},
        {"date", c.date},
        {"activity", "export"},
        {"exporter", {{"name", "Example B.V."}, {"country", "NL"}, {"has_icp", true}}},
        {"destination", "CN"},
        {"items",
         {{{"id", "1"},
           {"description", "office laser printer"},
           {"kind", "goods"},
           {"control_entries", nlohmann::json::array()},
           {"cyber_surveillance", false},
           {"quantity", 5},
           {"value_eur", 2000}}}},
        {"parties",
         {{{"role", "end_user"},
           {"name", "Chang An Shipping & Technology"},
           {"country", "CN"},
           {"type", "organization"},
           {"sector", "private"}}}},
        {"end_use", {{"description", ""}}},
        {"knowledge",
         {{"informed", nlohmann::json::array()},
          {"aware", nlohmann::json::array()},
          {"suspects", nlohmann::json::array()}}}};
    std::ofstream(dir.path() + "/req.json") << req.dump();
    CliRun r = Dualuse(dir, "assess --format json --no-record --list " + kLists +
                                "un_sc/un_consolidated_2026-02-27.xml " + dir.path() + "/req.json");
    ASSERT_FALSE(r.out.empty()) << r.err;
    auto out = nlohmann::json::parse(r.out);
    EXPECT_EQ(out["verdict"], c.verdict);
    ASSERT_EQ(out["screening"].size(), 1u);
    EXPECT_EQ(out["screening"][0]["status"], c.status);
    if (std::string(c.status) == "hit") {
      EXPECT_EQ(out["screening"][0]["matches"][0]["listed_on"], "2018-03-30");
      EXPECT_EQ(out["screening"][0]["matches"][0]["list_version"], "2026-02-27");
      EXPECT_NE(r.out.find("listed on 2018-03-30"), std::string::npos);
    }
  }
}

}  // namespace
