// `lists update` against a real HTTP server on 127.0.0.1 (cpp-httplib)
// serving the real list files, a malformed one and a missing one.
#include "dualuse/lists/update.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace dualuse::lists {
namespace {

namespace fs = std::filesystem;
const std::string kLists = std::string(DUALUSE_LISTS_DIR) + "/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Serves /<name> from a map that the test changes between updates.
class FixtureServer {
 public:
  FixtureServer() {
    server_.Get(R"(/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = files_.find(req.matches[1]);
      if (it == files_.end()) {
        res.status = 404;
        return;
      }
      res.set_content(it->second, "application/octet-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FixtureServer() {
    server_.stop();
    thread_.join();
  }
  void Set(const std::string& name, std::string content) {
    std::lock_guard<std::mutex> lock(mu_);
    files_[name] = std::move(content);
  }
  void Remove(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(name);
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  int port_ = 0;
};

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "dualuse-update-XXXXXX").string();
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

const UpdateOutcome* Outcome(const std::vector<UpdateOutcome>& v, const std::string& id) {
  for (const UpdateOutcome& o : v) {
    if (o.list_id == id) return &o;
  }
  return nullptr;
}

TEST(UpdateLists, DownloadsChecksAndSwapsAtomically) {
  FixtureServer server;
  TempDir dir;
  ListRegistry reg(dir.path());
  const std::string un_nov = ReadAll(kLists + "un_sc/un_consolidated_2025-11-20.xml");
  const std::string un_feb = ReadAll(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  server.Set("consolidated.xml", un_nov);
  server.Set("CONSOLIDATED.XML", ReadAll(kLists + "ofac_consolidated/cons_non-sdn_2025-03-28.xml"));
  server.Set("consolidated.csv", ReadAll(kLists + "us_csl/consolidated_2026-07-31.csv"));
  UpdateOptions opt;
  opt.only = {"un_sc", "ofac_cons", "us_csl"};
  opt.source_base = server.base();
  long long progress_calls = 0;
  opt.progress = [&](const std::string&, long long, long long) { ++progress_calls; };

  // 1. Everything downloads, parses and is imported.
  auto out = UpdateLists(reg, opt);
  ASSERT_EQ(out.size(), 3u);
  for (const UpdateOutcome& o : out) {
    EXPECT_TRUE(o.status.ok()) << o.list_id << ": " << o.status.ToString();
    EXPECT_TRUE(o.imported) << o.list_id;
    EXPECT_EQ(o.url.rfind(server.base(), 0), 0u);
  }
  EXPECT_GT(progress_calls, 0);
  EXPECT_EQ(Outcome(out, "ofac_cons")->record.entity_count, 443);
  // The CSL carries no date and a download has no dated name: undated, never the file time.
  EXPECT_EQ(Outcome(out, "us_csl")->record.date_source, "none");
  EXPECT_EQ(Outcome(out, "us_csl")->record.date, "");
  EXPECT_EQ(Outcome(out, "us_csl")->record.version.rfind("undated:", 0), 0u);
  ASSERT_EQ(reg.Versions()->size(), 3u);

  // 2. Unchanged content: nothing new.
  out = UpdateLists(reg, opt);
  for (const UpdateOutcome& o : out) {
    EXPECT_TRUE(o.status.ok()) << o.status.ToString();
    EXPECT_FALSE(o.imported) << o.list_id;
  }
  EXPECT_EQ(reg.Versions()->size(), 3u);

  // 3. A malformed UN download (truncated), a missing CSL, a wrong list under
  //    the OFAC name: each leaves its current version in place.
  server.Set("consolidated.xml", un_feb.substr(0, un_feb.size() / 2));
  server.Remove("consolidated.csv");
  server.Set("CONSOLIDATED.XML", un_feb);
  out = UpdateLists(reg, opt);
  EXPECT_EQ(Outcome(out, "un_sc")->status.code(), StatusCode::kDataLoss);
  EXPECT_NE(Outcome(out, "un_sc")->status.message().find("expected well-formed XML"),
            std::string::npos);
  EXPECT_EQ(Outcome(out, "us_csl")->status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(Outcome(out, "ofac_cons")->status.code(), StatusCode::kDataLoss);
  EXPECT_EQ(reg.Versions()->size(), 3u);
  EXPECT_EQ(reg.Current("un_sc", Date::Today())->date, "2025-11-20");
  auto loaded = reg.LoadAllCurrent(Date::Today());
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(loaded->size(), 3u);

  // 4. The new UN version arrives intact: swapped in.
  server.Set("consolidated.xml", un_feb);
  out = UpdateLists(reg, {{"un_sc"}, server.base(), 60, nullptr});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].status.ok()) << out[0].status.ToString();
  EXPECT_TRUE(out[0].imported);
  EXPECT_EQ(reg.Current("un_sc", Date::Today())->date, "2026-02-27");
  // No downloads left behind.
  EXPECT_TRUE(fs::is_empty(reg.lists_dir() + "/.download"));
}

TEST(UpdateLists, UnreachableServerIsUnavailable) {
  TempDir dir;
  ListRegistry reg(dir.path());
  // Port 9 (discard) on loopback: nothing listens there in the test environment.
  auto out = UpdateLists(reg, {{"un_sc"}, "http://127.0.0.1:9", 10, nullptr});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(reg.Versions()->empty());
}

}  // namespace
}  // namespace dualuse::lists
