// `dualuse lists ...` end to end: the built binary, a temporary data
// directory, the real list files, and `update` against a loopback HTTP server.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
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
  r = Dualuse(dir, "lists status --as-of 2026-01-01" + data);
  EXPECT_NE(r.out.find("un_sc              2025-11-20"), std::string::npos) << r.out;

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

}  // namespace
