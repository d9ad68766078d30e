// Every door gives the same answer: each conformance case of ../shared/cases
// and a confirmed counterparty are assessed through the library
// (service::AssessService), the built `dualuse assess` and POST /assess over
// loopback HTTP, on one store (SQLite and PostgreSQL), and must agree on the
// verdict, review_required and the findings (rule ids and bases).
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dualuse/rules/codec.h"
#include "dualuse/screening/engine.h"
#include "dualuse/server/server.h"
#include "dualuse/service/assess.h"
#include "dualuse/service/replay.h"
#include "server/server_test_util.h"
#include "store/store_test_util.h"

namespace dualuse::server {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// The conformance cases carried in the repository; the list files they name
// ("data/lists/...") are the bundled copies the build decompresses.
const std::string kCases = DUALUSE_SOURCE_DIR "/tests/conformance";
const std::string kListsDir = DUALUSE_LISTS_DIR;
std::string CaseList(const std::string& named) {
  const std::string prefix = "data/lists/";
  return kListsDir + "/" + (named.rfind(prefix, 0) == 0 ? named.substr(prefix.size()) : named);
}

Json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str(), nullptr, false);
}

// What must not depend on the door.
Json Essence(const Json& det) {
  Json findings = Json::array();
  if (det.contains("findings")) {
    for (const Json& f : det["findings"])
      findings.push_back({f.value("rule", ""), f.value("basis", ""), f.value("effect", "")});
  }
  Json screening = Json::array();
  if (det.contains("screening")) {
    for (const Json& s : det["screening"])
      screening.push_back(s.value("status", ""));
  }
  return {{"verdict", det.value("verdict", "")},
          {"review_required", det.value("review_required", false)},
          {"findings", findings},
          {"screening", screening}};
}

struct Scenario {
  std::string name;
  Json request;
  std::vector<std::string> lists;  // list files, as the CLI's --list
};

std::vector<Scenario> ConformanceCases() {
  std::vector<Scenario> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kCases)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    Json c = ReadJson(p.string());
    if (!c.is_object() || !c.contains("request")) continue;
    Scenario s;
    s.name = c.value("name", p.stem().string());
    s.request = c["request"];
    if (c["expect"].contains("lists")) {
      for (const Json& l : c["expect"]["lists"])
        s.lists.push_back(CaseList(l.get<std::string>()));
    }
    out.push_back(std::move(s));
  }
  return out;
}

class ParityTest : public store::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    dir_ = fs::temp_directory_path() /
           ("du_parity_" + std::to_string(getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    token_ = testing::AddUserWithToken(*store_, "officer-user", "officer");
  }
  void TearDown() override {
    StopServer();
    fs::remove_all(dir_);
    BackendTest::TearDown();
  }

  // The screener for these list files (null: none), shared by the library
  // and the server, as `--list` gives the CLI.
  const screening::PartyScreener* ScreenerFor(const std::vector<std::string>& lists) {
    if (lists.empty()) return nullptr;
    auto& s = screeners_[lists];
    if (!s) {
      auto loaded =
          screening::LoadScreener(lists, (dir_ / "data").string(), *Date::Parse("2026-11-28"));
      EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
      if (loaded.ok()) s = std::move(loaded).value();
    }
    return s.get();
  }

  void UseLists(const std::vector<std::string>& lists) {
    if (server_ && lists == lists_) return;
    StopServer();
    lists_ = lists;
    const screening::PartyScreener* screener = ScreenerFor(lists);
    service::AssessOptions options;
    options.records_dir = (dir_ / "data" / "classification-records").string();
    options.allow_paths = false;
    auto svc = service::AssessService::Create(screener, options);
    ASSERT_TRUE(svc.ok()) << svc.error().ToString();
    service_ = std::move(svc).value();
    ServerOptions so;
    so.port = 0;
    so.threads = 2;
    Backends b;
    b.store = store_.get();
    b.screener = screener;
    b.assessor = service_.get();
    b.data_dir = (dir_ / "data").string();
    auto srv = Server::Create(so, b);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { run_ = server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_.ok()) << run_.ToString();
    server_.reset();
  }

  Json Library(const Json& request) {
    auto d = service_->Assess(request, "request", store_.get());
    EXPECT_TRUE(d.ok()) << d.error().ToString();
    return d.ok() ? Json::parse(rules::ToJsonString(*d)) : Json();
  }

  Json Cli(const Json& request) {
    const fs::path in = dir_ / "request.json";
    std::ofstream(in) << request.dump();
    std::string cmd = std::string(DUALUSE_BINARY) + " assess --format json --data-dir '" +
                      (dir_ / "data").string() + "' --db '" + db_->target() + "'";
    for (const std::string& l : lists_)
      cmd += " --list '" + l + "'";
    cmd += " '" + in.string() + "' 2>&1";
    return RunJson(cmd);
  }

  // `dualuse replay ID` on the test's store and data directory.
  Json CliReplay(int64_t id) {
    return RunJson(std::string(DUALUSE_BINARY) + " replay " + std::to_string(id) +
                   " --format json --data-dir '" + (dir_ / "data").string() + "' --db '" +
                   db_->target() + "' 2>&1");
  }

  // As a reviewer: an officer may replay only its own records, and the CLI's
  // record is not the officer's.
  Json HttpReplay(int64_t id) {
    if (reviewer_token_.empty()) {
      reviewer_token_ = testing::AddUserWithToken(*store_, "reviewer-user", "reviewer");
    }
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(60, 0);
    httplib::Headers h = {{"Authorization", "Bearer " + reviewer_token_}};
    auto r = cli.Post("/records/" + std::to_string(id) + "/replay", h, "", "application/json");
    if (!r) {
      ADD_FAILURE() << "POST /records/" << id << "/replay: " << httplib::to_string(r.error());
      return Json();
    }
    EXPECT_EQ(r->status, 200) << r->body;
    return Json::parse(r->body, nullptr, false);
  }

  Json RunJson(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return Json();
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    int rc = pclose(p);
    EXPECT_EQ(WEXITSTATUS(rc), 0) << out;
    return Json::parse(out, nullptr, false);
  }

  Json Http(const Json& request) {
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(60, 0);
    httplib::Headers h = {{"Authorization", "Bearer " + token_}};
    auto r = cli.Post("/assess", h, request.dump(), "application/json");
    if (!r) {
      ADD_FAILURE() << "POST /assess: " << httplib::to_string(r.error());
      return Json();
    }
    EXPECT_EQ(r->status, 200) << r->body;
    return Json::parse(r->body, nullptr, false);
  }

  // The three doors, in turn, on the same store; returns the library's answer.
  Json ExpectParity(const std::string& name, const Json& request) {
    SCOPED_TRACE(name);
    Json lib = Library(request);
    Json cli = Cli(request);
    Json http = Http(request);
    EXPECT_EQ(Essence(cli), Essence(lib)) << "CLI differs from the library";
    EXPECT_EQ(Essence(http), Essence(lib)) << "HTTP differs from the library";
    return lib;
  }

  static inline int counter_ = 0;
  fs::path dir_;
  std::string token_;
  std::string reviewer_token_;
  std::map<std::vector<std::string>, std::unique_ptr<screening::ListScreener>> screeners_;
  std::vector<std::string> lists_;
  std::unique_ptr<service::AssessService> service_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status run_;
};

TEST_P(ParityTest, ConformanceCasesGetTheSameAnswerThroughEveryDoor) {
  std::vector<Scenario> cases = ConformanceCases();
  ASSERT_GE(cases.size(), 10u) << "the conformance cases are missing from " << kCases;
  for (const Scenario& c : cases) {
    UseLists(c.lists);
    ASSERT_FALSE(HasFatalFailure());
    Json lib = ExpectParity(c.name, c.request);
    EXPECT_FALSE(lib.value("verdict", "").empty()) << c.name;
  }
}

bool CitesConfirmedListing(const Json& det, int64_t alert) {
  for (const Json& f : det["findings"]) {
    if (f.value("rule", "") == "review/confirmed-match" &&
        f.value("basis", "").find("un_sc") != std::string::npos &&
        f.value("basis", "").find("review item " + std::to_string(alert)) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A reviewer confirms that a misspelt consignee is the UN-listed KOREA MINING
// DEVELOPMENT TRADING CORPORATION; every door then cites the confirmed listing.
TEST_P(ParityTest, ConfirmedCounterpartyIsCitedThroughEveryDoor) {
  UseLists({kListsDir + "/un_sc/un_consolidated_2026-02-27.xml"});
  ASSERT_FALSE(HasFatalFailure());
  Json req = ReadJson(kCases + "/listed-to-china.json")["request"];
  ASSERT_TRUE(req.is_object());
  req["reference"] = "PO-PARITY-KOMID";
  req["parties"] = Json::array({{{"role", "consignee"},
                                 {"name", "Korea Mining Developement Trading Corp"},
                                 {"country", "KP"},
                                 {"type", "organization"}}});
  Json before = ExpectParity("before the review", req);
  ASSERT_FALSE(CitesConfirmedListing(before, 0));
  int64_t alert = 0;
  auto open = store_->Alerts("open");
  ASSERT_TRUE(open.ok());
  for (const auto& a : *open) {
    if (a.list == "un_sc" && a.entity_name == "KOREA MINING DEVELOPMENT TRADING CORPORATION") {
      alert = a.id;
    }
  }
  ASSERT_NE(alert, 0) << "no door raised a review item for the KOMID listing";
  ASSERT_TRUE(store_->DecideAlert(alert, true, "same entity, same address", "reviewer").ok());
  Json after = ExpectParity("after the review", req);
  EXPECT_EQ(after["verdict"], "prohibited");
  EXPECT_TRUE(after["review_required"].get<bool>());
  EXPECT_TRUE(CitesConfirmedListing(after, alert)) << after["findings"].dump(1);
  // Each door registered the counterparty once under one key.
  auto cp = store_->FindCounterparty(
      store::CounterpartyKey("Korea Mining Developement Trading Corp", "KP"));
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE(cp->has_value());
}

// The newest assessment record with this reference.
int64_t NewestAssessment(store::Store& store, const std::string& reference) {
  store::RecordQuery q;
  q.kind = store::kKindAssessment;
  q.subject = reference;
  q.newest_first = true;
  q.limit = 1;
  auto found = store.Records(q);
  return found.ok() && !found->empty() ? found->front().id : 0;
}

// An assessment recorded by `dualuse assess` and one recorded by POST /assess
// replay to the same outcome through the library, `dualuse replay` and
// POST /records/{id}/replay.
TEST_P(ParityTest, CliAndHttpRecordsReplayAlikeThroughEveryDoor) {
  UseLists({});
  ASSERT_FALSE(HasFatalFailure());
  Json req = ReadJson(kCases + "/listed-to-china.json")["request"];
  ASSERT_TRUE(req.is_object());
  req["reference"] = "PO-PARITY-REPLAY-CLI";
  Json cli_answer = Cli(req);
  const int64_t cli_record = NewestAssessment(*store_, "PO-PARITY-REPLAY-CLI");
  req["reference"] = "PO-PARITY-REPLAY-HTTP";
  Json http_answer = Http(req);
  const int64_t http_record = NewestAssessment(*store_, "PO-PARITY-REPLAY-HTTP");
  ASSERT_NE(cli_record, 0) << "dualuse assess wrote no record";
  ASSERT_NE(http_record, 0) << "POST /assess wrote no record";
  ASSERT_EQ(Essence(cli_answer), Essence(http_answer));

  service::ReplayOptions options;
  options.data_dir = (dir_ / "data").string();
  for (int64_t id : {cli_record, http_record}) {
    SCOPED_TRACE("record " + std::to_string(id));
    auto lib = service::Replay(*store_, id, options);
    ASSERT_TRUE(lib.ok()) << lib.error().ToString();
    EXPECT_TRUE(lib->reproduced) << ::testing::PrintToString(lib->differences_from_record);
    Json lib_then = Json::parse(lib->then_json);
    Json cli = CliReplay(id);
    Json http = HttpReplay(id);
    ASSERT_TRUE(cli.is_object() && cli.contains("then")) << cli.dump();
    ASSERT_TRUE(http.is_object() && http.contains("then")) << http.dump();
    EXPECT_EQ(Essence(cli["then"]), Essence(lib_then)) << "CLI replay differs from the library";
    EXPECT_EQ(Essence(http["then"]), Essence(lib_then)) << "HTTP replay differs from the library";
    EXPECT_EQ(cli["reproduced"], true);
    EXPECT_EQ(http["reproduced"], true);
    EXPECT_EQ(http["same"], true);
    EXPECT_EQ(http["record_id"], id);
    EXPECT_EQ(Essence(lib_then), Essence(cli_answer)) << "the replay differs from the answer";
  }
}

DUALUSE_INSTANTIATE_BACKENDS(ParityTest);

}  // namespace
}  // namespace dualuse::server
