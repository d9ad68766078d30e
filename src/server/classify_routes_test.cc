// The /classify/... endpoints and /criteria over real HTTP on 127.0.0.1
// (ephemeral port), served by the Server class in-process over a real SQLite
// store file, with the real Annex I data, search index and decision trees.
// Every JSON answer is checked against web/openapi.json.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "dualuse/server/server.h"
#include "json_schema_check.h"
#include "server/server_test_util.h"
#include "store/store_test_util.h"

namespace dualuse::server {
namespace {

using nlohmann::json;

const json& Contract() {
  static const json doc = [] {
    std::ifstream in(DUALUSE_SOURCE_DIR "/web/openapi.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str(), nullptr, false);
  }();
  return doc;
}

struct Answer {
  int status = 0;
  json body;
};

class ClassifyRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::TestDb>("sqlite");
    std::string why;
    ASSERT_TRUE(db_->Create(&why)) << why;
    auto st = store::Store::Open(db_->target());
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    store_ = std::move(st).value();
    for (const char* role : {"officer", "reviewer", "admin", "authority"}) {
      tokens_[role] = AddUser(std::string(role) + "-user", role);
    }
    ServerOptions options;
    options.port = 0;
    options.threads = 4;
    Backends b;
    b.store = store_.get();
    auto srv = Server::Create(options, b);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
  }

  void TearDown() override {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
  }

  std::string AddUser(const std::string& name, const std::string& role) {
    return server::testing::AddUserWithToken(*store_, name, role);
  }

  // `role` "" sends no token. The answer is checked against the contract of
  // (tmpl, method, status).
  Answer Call(const std::string& method, const std::string& path, const std::string& tmpl,
              const std::string& role, const std::string& body = "",
              const std::string& accept_language = "") {
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(60, 0);
    httplib::Headers headers;
    if (!accept_language.empty()) headers.emplace("Accept-Language", accept_language);
    if (!role.empty()) headers.emplace("Authorization", "Bearer " + tokens_[role]);
    httplib::Result r = method == "GET" ? cli.Get(path, headers)
                                        : cli.Post(path, headers, body, "application/json");
    Answer out;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(r.error());
      return out;
    }
    out.status = r->status;
    out.body = json::parse(r->body, nullptr, false);
    std::string m = method == "GET" ? "get" : "post";
    json schema = testing::ResponseSchema(Contract(), tmpl, m, out.status);
    EXPECT_FALSE(schema.is_null()) << "openapi.json has no " << out.status << " for " << method
                                   << " " << tmpl << ": " << r->body;
    if (!schema.is_null()) {
      auto errors = testing::CheckSchema(out.body, schema, Contract());
      EXPECT_TRUE(errors.empty()) << method << " " << path << " " << out.status << ": "
                                  << (errors.empty() ? "" : errors.front()) << "\n"
                                  << out.body.dump(1).substr(0, 2000);
    }
    return out;
  }

  int64_t RecordCount() {
    auto n = store_->RecordCount();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<store::testing::TestDb> db_;
  std::unique_ptr<store::Store> store_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status run_status_;
};

const char kAnswers[] = R"({"schema": "dualuse.classify-answers/1", "tree": "5A001.j",
  "who": "somebody else",
  "item": {"id": "1", "description": "IP network surveillance system"},
  "answers": {"kind": "goods", "carrier": "yes", "selectors": "yes", "purpose": "yes"}})";

TEST_F(ClassifyRoutesTest, EveryRouteNeedsAToken) {
  const int64_t before = RecordCount();  // the users and tokens of the fixture
  const std::pair<const char*, const char*> routes[] = {
      {"/classify/search?q=imsi%20catcher", "/classify/search"},
      {"/classify/entries/5A001.j", "/classify/entries/{code}"},
      {"/classify/trees", "/classify/trees"},
      {"/classify/trees/5A001.j", "/classify/trees/{tree}"},
      {"/classify/records/CR-0123456789abcdef", "/classify/records/{id}"},
      {"/criteria", "/criteria"}};
  for (const auto& [path, tmpl] : routes) {
    Answer a = Call("GET", path, tmpl, "");
    EXPECT_EQ(a.status, 401) << path;
    EXPECT_EQ(a.body["error"]["code"], "unauthenticated") << path;
  }
  Answer a = Call("POST", "/classify/records", "/classify/records", "", kAnswers);
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(RecordCount(), before);
}

TEST_F(ClassifyRoutesTest, SearchRanksTheEntryWithItsPassage) {
  for (const char* role : {"officer", "reviewer", "admin", "authority"}) {
    Answer a = Call("GET", "/classify/search?q=imsi%20catcher&limit=5", "/classify/search", role);
    ASSERT_EQ(a.status, 200) << role << a.body.dump();
    ASSERT_FALSE(a.body["results"].empty());
    EXPECT_LE(a.body["results"].size(), 5u);
    bool found = false;
    for (const auto& r : a.body["results"]) {
      if (r["code"].get<std::string>().rfind("5A001.f", 0) == 0) found = true;
    }
    EXPECT_TRUE(found) << a.body.dump(1);
    EXPECT_EQ(a.body["results"][0]["rank"], 1);
  }
  Answer bad = Call("GET", "/classify/search?q=the", "/classify/search", "officer");
  EXPECT_EQ(bad.status, 400) << bad.body.dump();
  bad = Call("GET", "/classify/search?q=radar&limit=0", "/classify/search", "officer");
  EXPECT_EQ(bad.status, 400) << bad.body.dump();
}

// The same answer as `dualuse classify search --format json`: a query that
// reads like a cyber-surveillance item points to the Article 2(20) test.
TEST_F(ClassifyRoutesTest, SearchPointsCyberSurveillanceItemsToArticle5) {
  Answer a = Call("GET", "/classify/search?q=emotion%20recognition", "/classify/search", "officer");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["cyber_surveillance_candidate"]["tree"], "art-2-20") << a.body.dump(1);
  Answer plain = Call("GET", "/classify/search?q=night%20vision", "/classify/search", "officer");
  ASSERT_EQ(plain.status, 200) << plain.body.dump();
  EXPECT_TRUE(plain.body["cyber_surveillance_candidate"].is_null()) << plain.body.dump(1);
}

TEST_F(ClassifyRoutesTest, EntryIsWhatClassifyShowPrints) {
  Answer a = Call("GET", "/classify/entries/5A001.j", "/classify/entries/{code}", "reviewer");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["code"], "5A001.j");
  EXPECT_FALSE(a.body["heading"].get<std::string>().empty());
  EXPECT_TRUE(a.body.contains("annex_iv"));
  Answer missing = Call("GET", "/classify/entries/9Z999", "/classify/entries/{code}", "officer");
  EXPECT_TRUE(missing.status == 404 || missing.status == 400) << missing.body.dump();
  Answer bad = Call("GET", "/classify/entries/{code}", "/classify/entries/{code}", "officer");
  EXPECT_EQ(bad.status, 400) << bad.body.dump();
}

TEST_F(ClassifyRoutesTest, TreesAndOneTree) {
  Answer list = Call("GET", "/classify/trees", "/classify/trees", "authority");
  ASSERT_EQ(list.status, 200) << list.body.dump();
  bool has = false;
  for (const auto& t : list.body["trees"])
    has = has || t["id"] == "5A001.j";
  EXPECT_TRUE(has);
  Answer t = Call("GET", "/classify/trees/5A001.j", "/classify/trees/{tree}", "officer");
  ASSERT_EQ(t.status, 200) << t.body.dump();
  EXPECT_EQ(t.body["start"], "kind");
  bool start_is_question = false;
  for (const auto& n : t.body["nodes"]) {
    if (n["id"] == "kind") start_is_question = n["kind"] == "question" && n["answers"].size() >= 2;
  }
  EXPECT_TRUE(start_is_question);
  Answer none = Call("GET", "/classify/trees/no-such-tree", "/classify/trees/{tree}", "officer");
  EXPECT_EQ(none.status, 404);
  Answer bad = Call("GET", "/classify/trees/{tree}", "/classify/trees/{tree}", "officer");
  EXPECT_EQ(bad.status, 400);
}

// Accept-Language nl: the Article 2(20) tree with its Dutch questions, the
// same ids, values, outcomes and SHA-256; without it, English and no "lang".
TEST_F(ClassifyRoutesTest, TreeInTheReadersLanguage) {
  Answer en = Call("GET", "/classify/trees/art-2-20", "/classify/trees/{tree}", "officer");
  Answer nl = Call("GET", "/classify/trees/art-2-20", "/classify/trees/{tree}", "officer", "",
                   "nl-NL,nl;q=0.9,en;q=0.5");
  ASSERT_EQ(en.status, 200) << en.body.dump();
  ASSERT_EQ(nl.status, 200) << nl.body.dump();
  EXPECT_FALSE(en.body.contains("lang"));
  EXPECT_EQ(nl.body["lang"], "nl");
  EXPECT_EQ(nl.body["sha256"], en.body["sha256"]);
  EXPECT_NE(nl.body["title"], en.body["title"]);
  ASSERT_EQ(nl.body["nodes"].size(), en.body["nodes"].size());
  for (size_t i = 0; i < en.body["nodes"].size(); ++i) {
    const json& e = en.body["nodes"][i];
    const json& n = nl.body["nodes"][i];
    EXPECT_EQ(n["id"], e["id"]);
    EXPECT_NE(n["text"], e["text"]);
    if (e.contains("outcome")) {
      EXPECT_EQ(n["outcome"], e["outcome"]);
    }
  }
  EXPECT_NE(nl.body["nodes"][0]["text"].get<std::string>().find("informatie- en "
                                                                "telecommunicatiesystemen"),
            std::string::npos);
  // A tree without a Dutch translation stays English.
  Answer j = Call("GET", "/classify/trees/5A001.j", "/classify/trees/{tree}", "officer", "", "nl");
  ASSERT_EQ(j.status, 200);
  EXPECT_FALSE(j.body.contains("lang"));
}

TEST_F(ClassifyRoutesTest, StoreARecordAndReadItBack) {
  Answer a = Call("POST", "/classify/records", "/classify/records", "officer", kAnswers);
  ASSERT_EQ(a.status, 201) << a.body.dump();
  std::string id = a.body["id"];
  EXPECT_EQ(id.rfind("CR-", 0), 0u);
  EXPECT_EQ(a.body["record"]["outcome"], "listed");
  EXPECT_EQ(a.body["record"]["entries"], json::array({"5A001.j"}));
  EXPECT_EQ(a.body["record"]["who"], "officer-user");  // the token's user, not the body's
  int64_t record_id = a.body["record_id"];
  auto stored = store_->GetRecord(record_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->kind, "classification");
  EXPECT_EQ(stored->subject, id);
  EXPECT_EQ(stored->actor, "officer-user");

  for (const char* role : {"officer", "reviewer", "admin", "authority"}) {
    Answer g = Call("GET", "/classify/records/" + id, "/classify/records/{id}", role);
    ASSERT_EQ(g.status, 200) << g.body.dump();
    EXPECT_EQ(g.body["id"], id);
    EXPECT_EQ(g.body["record"], a.body["record"]);
    EXPECT_EQ(g.body["actor"], "officer-user");
  }
  Answer admin = Call("POST", "/classify/records", "/classify/records", "admin", kAnswers);
  EXPECT_EQ(admin.status, 201) << admin.body.dump();

  Answer none =
      Call("GET", "/classify/records/CR-0000000000000000", "/classify/records/{id}", "officer");
  EXPECT_EQ(none.status, 404);
  Answer bad = Call("GET", "/classify/records/1", "/classify/records/{id}", "officer");
  EXPECT_EQ(bad.status, 400);
}

TEST_F(ClassifyRoutesTest, OnlyOfficerAndAdminCreateRecords) {
  int64_t before = RecordCount();
  for (const char* role : {"reviewer", "authority"}) {
    Answer a = Call("POST", "/classify/records", "/classify/records", role, kAnswers);
    EXPECT_EQ(a.status, 403) << role;
    EXPECT_EQ(a.body["error"]["code"], "forbidden");
  }
  EXPECT_EQ(RecordCount(), before);
}

TEST_F(ClassifyRoutesTest, BadAnswersAreRefusedWithoutARecord) {
  int64_t before = RecordCount();
  const char* bodies[] = {
      "not json",
      "[]",
      R"({"answers": {}})",
      R"({"tree": "no-such-tree", "answers": {}})",
      R"({"tree": "5A001.j", "answers": {"kind": "goods"}})",
      R"({"tree": "5A001.j", "answers": {"kind": "spaceship"}})",
  };
  for (const char* body : bodies) {
    Answer a = Call("POST", "/classify/records", "/classify/records", "officer", body);
    EXPECT_EQ(a.status, 400) << body << " " << a.body.dump();
  }
  EXPECT_EQ(RecordCount(), before);
}

TEST_F(ClassifyRoutesTest, CriteriaChecklist) {
  Answer a = Call("GET", "/criteria", "/criteria", "authority");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_GE(a.body["criteria"].size(), 12u);  // Art 15(1)(a)-(d) and the eight CP criteria
}

}  // namespace
}  // namespace dualuse::server
