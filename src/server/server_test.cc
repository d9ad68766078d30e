// The HTTP API over real HTTP on 127.0.0.1 (ephemeral port), served by the
// Server class in-process, backed by a real store (SQLite file, and
// PostgreSQL when DUALUSE_TEST_PG names a server), the real screening engine
// over the bundled UN consolidated list, and the real rules engine.
// Every JSON answer is checked against web/openapi.json.
#include "dualuse/server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "dualuse/screening/engine.h"
#include "dualuse/server/backends.h"
#include "dualuse/service/assess.h"
#include "json_schema_check.h"
#include "server/server_test_util.h"
#include "store/store_test_util.h"

namespace dualuse::server {
namespace {

using nlohmann::json;

json ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str(), nullptr, false);
}

const json& OpenApi() {
  static const json doc = ReadJsonFile(DUALUSE_SOURCE_DIR "/web/openapi.json");
  return doc;
}

struct Reply {
  int status = 0;
  json body;
  std::string record_header;
};

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::TestDb>(GetParam());
    std::string why;
    if (!db_->Create(&why)) {
      FAIL() << why;
    }
    auto st = store::Store::Open(db_->target());
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    store_ = std::move(st).value();
    testing::Engines& e = testing::SharedEngines();
    ASSERT_TRUE(e.error.empty()) << e.error;
    for (const char* role : {"officer", "reviewer", "admin", "authority"}) {
      tokens_[role] = AddUser(std::string(role) + "-user", role);
    }
    ServerOptions options;
    options.port = 0;
    options.threads = 16;
    options.max_body_bytes = 64 * 1024;
    options.max_batch = 100;
    Backends b;
    b.store = store_.get();
    b.screener = e.screener.get();
    b.assessor = e.assessor.get();
    StartServer(options, b);
  }

  void TearDown() override { StopServer(); }

  void StartServer(const ServerOptions& options, const Backends& b) {
    auto srv = Server::Create(options, b);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
    server_.reset();
  }

  std::string AddUser(const std::string& name, const std::string& role) {
    return server::testing::AddUserWithToken(*store_, name, role);
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& role,
             const std::string& body = "", const std::string& accept_language = "") {
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (!accept_language.empty()) headers.emplace("Accept-Language", accept_language);
    if (!role.empty()) {
      std::string token = tokens_.count(role) ? tokens_[role] : role;
      headers.emplace("Authorization", "Bearer " + token);
    }
    httplib::Result r = method == "GET" ? cli.Get(path.c_str(), headers)
                                        : cli.Post(path.c_str(), headers, body, "application/json");
    Reply out;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(r.error());
      return out;
    }
    out.status = r->status;
    out.body = json::parse(r->body, nullptr, false);
    out.record_header = r->get_header_value("X-Dualuse-Record");
    return out;
  }

  // Checks `reply` against the OpenAPI response schema of (template, method, status).
  void ExpectConforms(const Reply& reply, const std::string& tmpl, const std::string& method) {
    json schema = testing::ResponseSchema(OpenApi(), tmpl, method, reply.status);
    ASSERT_FALSE(schema.is_null())
        << "openapi.json has no " << reply.status << " for " << method << " " << tmpl;
    auto errors = testing::CheckSchema(reply.body, schema, OpenApi());
    EXPECT_TRUE(errors.empty()) << method << " " << tmpl << " " << reply.status << ": "
                                << errors.front() << "\n"
                                << reply.body.dump(1);
  }

  void ExpectError(const Reply& reply, int status, const std::string& code, const std::string& tmpl,
                   const std::string& method) {
    EXPECT_EQ(reply.status, status) << reply.body.dump();
    EXPECT_EQ(reply.body["error"]["code"], code) << reply.body.dump();
    ExpectConforms(reply, tmpl, method);
  }

  int64_t Records() {
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

const char kListed[] = "Korea Mining Development Trading Corporation";

TEST_P(ServerTest, HealthNeedsNoToken) {
  Reply r = Call("GET", "/healthz", "");
  EXPECT_EQ(r.status, 200);
  ExpectConforms(r, "/healthz", "get");
  EXPECT_EQ(r.body["screener"], true);
  EXPECT_EQ(r.body["store"], GetParam() == "sqlite" ? "sqlite" : "postgresql");
}

// The acceptance criterion: refused requests get the documented error and
// leave no record.
TEST_P(ServerTest, RefusedRequestsLeaveNoRecord) {
  const std::string body = json{{"name", kListed}}.dump();
  Call("POST", "/screen", "officer", body);  // one accepted request first
  const int64_t before = Records();
  ASSERT_GT(before, 0);
  ExpectError(Call("POST", "/screen", "", body), 401, "unauthenticated", "/screen", "post");
  std::string forged = "du_000000000000_" + std::string(64, 'a');
  ExpectError(Call("POST", "/screen", forged, body), 401, "invalid_token", "/screen", "post");
  ExpectError(Call("POST", "/screen", "not-a-token", body), 401, "invalid_token", "/screen",
              "post");
  ExpectError(
      Call("POST", "/review/1/decision", "officer", R"({"decision": "dismissed", "reason": "x"})"),
      403, "forbidden", "/review/{id}/decision", "post");
  ExpectError(Call("GET", "/users", "authority"), 403, "forbidden", "/users", "get");
  ExpectError(Call("POST", "/screen", "officer", std::string(70 * 1024, ' ')), 413,
              "payload_too_large", "/screen", "post");
  ExpectError(Call("POST", "/screen", "officer", "{\"name\": "), 400, "malformed_json", "/screen",
              "post");
  ExpectError(Call("POST", "/screen", "officer", R"({"name": 42})"), 400, "invalid_request",
              "/screen", "post");
  ExpectError(Call("POST", "/screen", "officer", R"({"name": "x", "schema": "Planet"})"), 400,
              "invalid_request", "/screen", "post");
  ExpectError(Call("POST", "/assess", "officer", R"({"schema": "dualuse.assessment/1"})"), 400,
              "invalid_request", "/assess", "post");
  ExpectError(Call("GET", "/records/999999999", "officer"), 404, "not_found", "/records/{id}",
              "get");
  EXPECT_EQ(Records(), before);
}

TEST_P(ServerTest, ScreenFindsListedPartyAndRecordsIt) {
  const int64_t before = Records();
  Reply r = Call("POST", "/screen", "officer", json{{"name", kListed}}.dump());
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ExpectConforms(r, "/screen", "post");
  EXPECT_EQ(r.body["status"], "hit");
  ASSERT_FALSE(r.body["matches"].empty());
  EXPECT_EQ(r.body["matches"][0]["list"], "un_sc");
  EXPECT_FALSE(r.body["matches"][0]["explanation"].empty());
  EXPECT_EQ(Records(), before + 1);
  int64_t id = r.body["record_id"];
  EXPECT_EQ(r.record_header, std::to_string(id));
  auto rec = store_->GetRecord(id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->actor, "officer-user");
  EXPECT_EQ(rec->kind, "screening");
  EXPECT_NE(rec->list_versions.find("un_sc"), std::string::npos);

  Reply clear = Call("POST", "/screen", "officer", json{{"name", "Zyxwv Qutsrp"}}.dump());
  ASSERT_EQ(clear.status, 200);
  EXPECT_EQ(clear.body["status"], "clear");

  Reply batch = Call(
      "POST", "/screen", "authority",
      json{{"parties", {{{"id", "a"}, {"name", kListed}}, {{"id", "b"}, {"name", "Zyxwv Qutsrp"}}}}}
          .dump());
  ASSERT_EQ(batch.status, 200) << batch.body.dump();
  ExpectConforms(batch, "/screen", "post");
  EXPECT_EQ(batch.body["results"][0]["status"], "hit");
  EXPECT_EQ(batch.body["results"][1]["status"], "clear");
}

TEST_P(ServerTest, MatchSpeaksYente) {
  json q = {{"queries",
             {{"q1", {{"schema", "Company"}, {"properties", {{"name", {kListed}}}}}},
              {"q2", {{"schema", "Person"}, {"properties", {{"name", "Zyxwv Qutsrp"}}}}}}}};
  Reply r = Call("POST", "/match/default?limit=3&threshold=0.7", "officer", q.dump());
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ExpectConforms(r, "/match/{dataset}", "post");
  EXPECT_EQ(r.body["limit"], 3);
  const json& q1 = r.body["responses"]["q1"];
  EXPECT_EQ(q1["status"], 200);
  ASSERT_FALSE(q1["results"].empty());
  EXPECT_EQ(q1["results"][0]["datasets"][0], "un_sc");
  EXPECT_EQ(q1["results"][0]["match"], true);
  EXPECT_EQ(q1["query"]["properties"]["name"][0], kListed);
  EXPECT_EQ(r.body["responses"]["q2"]["query"]["properties"]["name"],
            json::array({"Zyxwv Qutsrp"}));
  EXPECT_LE(r.body["responses"]["q1"]["results"].size(), 3u);

  Reply one_list = Call("POST", "/match/un_sc", "officer", q.dump());
  EXPECT_EQ(one_list.status, 200);
  const int64_t before = Records();
  ExpectError(Call("POST", "/match/no_such_list", "officer", q.dump()), 404, "dataset_not_found",
              "/match/{dataset}", "post");
  json many = {{"queries", json::object()}};
  for (int i = 0; i < 101; ++i) {
    many["queries"]["q" + std::to_string(i)] = {{"schema", "Person"},
                                                {"properties", {{"name", {"A B"}}}}};
  }
  ExpectError(Call("POST", "/match/default", "officer", many.dump()), 400, "too_many_queries",
              "/match/{dataset}", "post");
  EXPECT_EQ(Records(), before);
  // An invalid query gets its own error (src/server/yente_test.cc has more).
  Reply invalid =
      Call("POST", "/match/default", "officer", R"({"queries": {"q": {"schema": "Person"}}})");
  ASSERT_EQ(invalid.status, 200) << invalid.body.dump();
  ExpectConforms(invalid, "/match/{dataset}", "post");
  EXPECT_EQ(invalid.body["responses"]["q"]["status"], 400);
  EXPECT_EQ(invalid.body["responses"]["q"]["error"]["code"], "invalid_request");
}

TEST_P(ServerTest, AssessReturnsDeterminationWithArticles) {
  json c = ReadJsonFile(DUALUSE_SOURCE_DIR "/tests/conformance/un-listed-end-user.json");
  ASSERT_TRUE(c.is_object());
  Reply r = Call("POST", "/assess", "officer", c["request"].dump());
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ExpectConforms(r, "/assess", "post");
  EXPECT_EQ(r.body["verdict"], c["expect"]["verdict"]);
  for (const json& f : r.body["findings"])
    EXPECT_FALSE(f["basis"].get<std::string>().empty());
  auto rec = store_->GetRecord(r.body["record_id"].get<int64_t>());
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->kind, "assessment");
  EXPECT_FALSE(rec->law_version.empty());
}

// The reader's language (docs/spec-extensions.md): Accept-Language nl gives
// the same codes with Dutch texts and "lang": "nl"; none, or a language not
// spoken, gives the English answer without "lang"; a refused request keeps
// its JSON path and is explained in Dutch.
TEST_P(ServerTest, AssessAnswersInTheReadersLanguage) {
  json req = ReadJsonFile(DUALUSE_SOURCE_DIR "/examples/seed-case-3894.json");
  ASSERT_TRUE(req.is_object());
  Reply en = Call("POST", "/assess", "officer", req.dump());
  Reply fr = Call("POST", "/assess", "officer", req.dump(), "fr-FR, de;q=0.5");
  Reply nl = Call("POST", "/assess", "officer", req.dump(), "nl-NL, en;q=0.5");
  ASSERT_EQ(en.status, 200) << en.body.dump();
  ASSERT_EQ(fr.status, 200) << fr.body.dump();
  ASSERT_EQ(nl.status, 200) << nl.body.dump();
  ExpectConforms(nl, "/assess", "post");
  EXPECT_FALSE(en.body.contains("lang"));
  EXPECT_FALSE(fr.body.contains("lang"));
  EXPECT_EQ(nl.body["lang"], "nl");
  EXPECT_EQ(nl.body["verdict"], en.body["verdict"]);
  EXPECT_EQ(fr.body["findings"], en.body["findings"]);
  ASSERT_EQ(nl.body["findings"].size(), en.body["findings"].size());
  for (size_t i = 0; i < en.body["findings"].size(); ++i) {
    const json& e = en.body["findings"][i];
    const json& n = nl.body["findings"][i];
    EXPECT_EQ(n["rule"], e["rule"]);
    EXPECT_EQ(n["effect"], e["effect"]);
    EXPECT_NE(n["summary"], e["summary"]) << e["summary"];
  }
  ASSERT_FALSE(nl.body["obligations"].empty());
  EXPECT_NE(nl.body["obligations"][0].get<std::string>().find("Stel "), std::string::npos)
      << nl.body["obligations"][0];
  req["destination"] = "XX";
  Reply bad = Call("POST", "/assess", "officer", req.dump(), "nl");
  ASSERT_EQ(bad.status, 400) << bad.body.dump();
  ExpectConforms(bad, "/assess", "post");
  EXPECT_EQ(bad.body["error"]["code"], "invalid_request");
  EXPECT_EQ(bad.body["error"]["message"].get<std::string>().rfind(
                "Het verzoek is niet aanvaard: $.destination: \"XX\" is geen landcode", 0),
            0u)
      << bad.body.dump();
}

// The optional end_use.country (docs/spec-extensions.md): the request conforms to
// the published AssessmentRequest schema and the country of end use reaches the
// rules (833/2014 Article 2(1), "for use in Russia", although the destination is
// Kazakhstan); a malformed or unknown code is refused, by the schema where it
// can tell and by the server in every case.
TEST_P(ServerTest, AssessTakesTheCountryOfEndUse) {
  json c =
      ReadJsonFile(DUALUSE_SOURCE_DIR "/tests/conformance/law-ru-declared-end-use-country.json");
  ASSERT_TRUE(c.is_object());
  const json request_schema =
      OpenApi()["paths"]["/assess"]["post"]["requestBody"]["content"]["application/json"]["schema"];
  ASSERT_FALSE(request_schema.is_null());
  json req = c["request"];
  auto errors = testing::CheckSchema(req, request_schema, OpenApi());
  EXPECT_TRUE(errors.empty()) << errors.front();
  Reply r = Call("POST", "/assess", "officer", req.dump());
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ExpectConforms(r, "/assess", "post");
  EXPECT_EQ(r.body["verdict"], "prohibited");
  bool names_ru = false;
  for (const json& f : r.body["findings"]) {
    names_ru = names_ru || f.dump().find("833/2014") != std::string::npos;
  }
  EXPECT_TRUE(names_ru) << r.body.dump(1);

  struct Bad {
    const char* country;
    bool schema_rejects;
  } bad[] = {{"RUS", true}, {"ru", true}, {"XX", false}};
  for (const Bad& b : bad) {
    json q = c["request"];
    q["end_use"]["country"] = b.country;
    EXPECT_EQ(testing::CheckSchema(q, request_schema, OpenApi()).empty(), !b.schema_rejects)
        << b.country;
    int64_t before = Records();
    ExpectError(Call("POST", "/assess", "officer", q.dump()), 400, "invalid_request", "/assess",
                "post");
    EXPECT_EQ(Records(), before) << b.country;
  }
}

TEST_P(ServerTest, ReviewQueueConfirmAndDismiss) {
  Reply s = Call("POST", "/screen", "officer", json{{"name", kListed}}.dump());
  ASSERT_EQ(s.status, 200);
  Reply q = Call("GET", "/review", "officer");
  ASSERT_EQ(q.status, 200);
  ExpectConforms(q, "/review", "get");
  ASSERT_FALSE(q.body["items"].empty());
  int64_t alert = q.body["items"][0]["id"];
  EXPECT_EQ(q.body["items"][0]["record_id"], s.body["record_id"]);

  const int64_t before = Records();
  const std::string path = "/review/" + std::to_string(alert) + "/decision";
  ExpectError(Call("POST", path, "reviewer", R"({"decision": "dismissed", "reason": "  "})"), 400,
              "invalid_request", "/review/{id}/decision", "post");
  ExpectError(Call("POST", path, "reviewer", R"({"decision": "maybe", "reason": "x"})"), 400,
              "invalid_request", "/review/{id}/decision", "post");
  EXPECT_EQ(Records(), before);
  Reply d = Call("POST", path, "reviewer",
                 R"({"decision": "confirmed", "reason": "same entity: UN 1718 listing"})");
  ASSERT_EQ(d.status, 200) << d.body.dump();
  ExpectConforms(d, "/review/{id}/decision", "post");
  EXPECT_EQ(d.body["state"], "confirmed");
  EXPECT_EQ(d.body["decided_by"], "reviewer-user");
  EXPECT_EQ(Records(), before + 1);
  ExpectError(Call("POST", path, "admin", R"({"decision": "dismissed", "reason": "x"})"), 409,
              "conflict", "/review/{id}/decision", "post");
  ExpectError(Call("POST", "/review/99999999/decision", "admin",
                   R"({"decision": "dismissed", "reason": "x"})"),
              404, "not_found", "/review/{id}/decision", "post");
  EXPECT_EQ(Records(), before + 1);
}

// Known false positives over HTTP: reviewers and admins manage them, each
// change a good_guy record; a screening shows the match with the reason and
// raises no review item for it.
TEST_P(ServerTest, GoodGuyListOverHttp) {
  Reply first = Call("POST", "/screen", "officer", json{{"name", kListed}}.dump());
  ASSERT_EQ(first.status, 200) << first.body.dump();
  ASSERT_FALSE(first.body["matches"].empty());
  const json top = first.body["matches"][0];
  EXPECT_FALSE(top.contains("review"));
  EXPECT_EQ(top["listed_on"], "2009-04-24");
  const std::string other = "Korea Mining Development Trading Corp.";
  const json entry = {{"counterparty", other},
                      {"list", top["list"]},
                      {"entity_id", top["entity_id"]},
                      {"reason", "a mining company in Peru"}};
  const int64_t before = Records();
  ExpectError(Call("POST", "/review/good-guys", "officer", entry.dump()), 403, "forbidden",
              "/review/good-guys", "post");
  ExpectError(Call("POST", "/review/good-guys", "reviewer",
                   json{{"counterparty", other}, {"entity_id", "1"}}.dump()),
              400, "invalid_request", "/review/good-guys", "post");
  EXPECT_EQ(Records(), before);
  Reply added = Call("POST", "/review/good-guys", "reviewer", entry.dump());
  ASSERT_EQ(added.status, 201) << added.body.dump();
  ExpectConforms(added, "/review/good-guys", "post");
  EXPECT_EQ(added.body["reviewer"], "reviewer-user");
  EXPECT_EQ(Records(), before + 1);
  auto rec = store_->GetRecord(added.body["record_id"].get<int64_t>());
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->kind, "good_guy");

  Reply s = Call("POST", "/screen", "officer", json{{"name", other}}.dump());
  ASSERT_EQ(s.status, 200) << s.body.dump();
  ExpectConforms(s, "/screen", "post");
  bool shown = false;
  for (const json& m : s.body["matches"]) {
    if (m["entity_id"] != top["entity_id"] || m["list"] != top["list"]) continue;
    EXPECT_EQ(m["review"]["state"], "known_false_positive");
    EXPECT_EQ(m["review"]["reason"], "a mining company in Peru");
    shown = true;
  }
  EXPECT_TRUE(shown) << s.body.dump();
  auto open = store_->Alerts("open");
  ASSERT_TRUE(open.ok());
  const std::vector<store::Alert> items = *open;
  for (const auto& a : items) {
    EXPECT_FALSE(a.entity_id == top["entity_id"].get<std::string>() &&
                 a.subject.find(other) != std::string::npos)
        << "a review item was raised for a known false positive: " << a.subject;
  }

  Reply listed = Call("GET", "/review/good-guys", "admin");
  ASSERT_EQ(listed.status, 200);
  ExpectConforms(listed, "/review/good-guys", "get");
  ASSERT_EQ(listed.body["good_guys"].size(), 1u);
  const std::string remove =
      "/review/good-guys/" + std::to_string(added.body["id"].get<int64_t>()) + "/remove";
  ExpectError(Call("POST", remove, "officer", R"({"reason": "x"})"), 403, "forbidden",
              "/review/good-guys/{id}/remove", "post");
  Reply removed = Call("POST", remove, "admin", R"({"reason": "entry was wrong"})");
  ASSERT_EQ(removed.status, 200) << removed.body.dump();
  ExpectConforms(removed, "/review/good-guys/{id}/remove", "post");
  EXPECT_EQ(removed.body["removed_by"], "admin-user");
  ExpectError(Call("POST", remove, "admin", R"({"reason": "again"})"), 409, "conflict",
              "/review/good-guys/{id}/remove", "post");
  ExpectError(Call("POST", "/review/good-guys/99999/remove", "admin", R"({"reason": "x"})"), 404,
              "not_found", "/review/good-guys/{id}/remove", "post");
  EXPECT_TRUE(Call("GET", "/review/good-guys", "reviewer").body["good_guys"].empty());
  EXPECT_EQ(Call("GET", "/review/good-guys?all=true", "reviewer").body["good_guys"].size(), 1u);
  EXPECT_TRUE(store_->Verify()->ok());
}

TEST_P(ServerTest, RecordsSearchAndReplay) {
  Reply s = Call("POST", "/screen", "officer", json{{"name", kListed}}.dump());
  ASSERT_EQ(s.status, 200);
  int64_t id = s.body["record_id"];
  Reply list = Call("GET", "/records?kind=screening&actor=officer-user&q=Korea", "officer");
  ASSERT_EQ(list.status, 200);
  ExpectConforms(list, "/records", "get");
  ASSERT_FALSE(list.body["records"].empty());
  EXPECT_EQ(list.body["records"][0]["id"], id);
  // Another role that may read the exporter's records (docs/security.md).
  Reply one = Call("GET", "/records/" + std::to_string(id), "reviewer");
  ASSERT_EQ(one.status, 200);
  ExpectConforms(one, "/records/{id}", "get");
  EXPECT_EQ(one.body["inputs"]["body"]["name"], kListed);
  Reply replay = Call("POST", "/records/" + std::to_string(id) + "/replay", "officer");
  ASSERT_EQ(replay.status, 200) << replay.body.dump();
  ExpectConforms(replay, "/records/{id}/replay", "post");
  EXPECT_EQ(replay.body["same"], true) << replay.body.dump(1);
  // Reads are attributed too.
  Reply reads = Call("GET", "/records?kind=access&actor=reviewer-user", "admin");
  ASSERT_EQ(reads.status, 200);
  EXPECT_FALSE(reads.body["records"].empty());
}

// With no caching, every request re-confirms its token in the store (no
// Argon2id after the first check): a revoked token and a disabled user's
// token are refused at once. (With the default cache, within 60 s.)
TEST_P(ServerTest, RevokedTokenAndDisabledUserAreRefused) {
  StopServer();
  ServerOptions options;
  options.port = 0;
  options.token_cache_seconds = 0;
  Backends b;
  b.store = store_.get();
  StartServer(options, b);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Call("GET", "/me", "officer").status, 200);
    EXPECT_EQ(Call("GET", "/me", "reviewer").status, 200);
  }
  std::optional<std::string> officer_token = TokenId(tokens_["officer"]);
  ASSERT_TRUE(officer_token);
  ASSERT_TRUE(store_->RevokeToken(*officer_token).ok());
  ExpectError(Call("GET", "/me", "officer"), 401, "invalid_token", "/me", "get");
  auto reviewer = store_->GetUserByName("reviewer-user");
  ASSERT_TRUE(reviewer.ok());
  ASSERT_TRUE(store_->SetUserDisabled(reviewer->id, true).ok());
  ExpectError(Call("GET", "/me", "reviewer"), 401, "invalid_token", "/me", "get");
  EXPECT_EQ(Call("GET", "/me", "admin").status, 200);
}

TEST_P(ServerTest, ListsMeAndUsers) {
  Reply l = Call("GET", "/lists", "officer");
  ASSERT_EQ(l.status, 200) << l.body.dump();
  ExpectConforms(l, "/lists", "get");
  ASSERT_EQ(l.body["lists"].size(), 1u);
  EXPECT_EQ(l.body["lists"][0]["id"], "un_sc");
  EXPECT_EQ(l.body["lists"][0]["version"], "2026-02-27");
  EXPECT_EQ(l.body["lists"][0]["stale"], true);  // months old against a 7-day limit
  Reply me = Call("GET", "/me", "reviewer");
  ASSERT_EQ(me.status, 200);
  ExpectConforms(me, "/me", "get");
  EXPECT_EQ(me.body["role"], "reviewer");
  Reply users = Call("GET", "/users", "admin");
  ASSERT_EQ(users.status, 200);
  ExpectConforms(users, "/users", "get");
  EXPECT_EQ(users.body["users"].size(), 4u);
}

TEST_P(ServerTest, BackendsNotWiredAnswer503) {
  StopServer();
  ServerOptions options;
  options.port = 0;
  Backends bare;
  bare.store = store_.get();
  StartServer(options, bare);
  const int64_t before = Records();
  ExpectError(Call("POST", "/screen", "officer", R"({"name": "x"})"), 503, "not_ready", "/screen",
              "post");
  ExpectError(Call("POST", "/assess", "officer", R"({"schema": "x"})"), 503, "not_ready", "/assess",
              "post");
  ExpectError(Call("GET", "/lists", "officer"), 503, "not_ready", "/lists", "get");
  ExpectError(Call("GET", "/authority/licences", "authority"), 503, "not_ready",
              "/authority/licences", "get");
  ExpectError(Call("GET", "/authority/licences", ""), 401, "unauthenticated", "/authority/licences",
              "get");
  EXPECT_EQ(Records(), before);
}

// SIGTERM's path (cmd_serve.cc calls Stop()): requests in flight finish and
// every answered request has its record.
TEST_P(ServerTest, StopFinishesInFlightRequestsAndLosesNoRecord) {
  const int64_t before = Records();
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  std::atomic<bool> go{true};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", server_->port());
      httplib::Headers h{{"Authorization", "Bearer " + tokens_["officer"]}};
      for (int i = 0; i < 200 && go; ++i) {
        auto r = cli.Post("/screen", h, json{{"name", c % 2 ? kListed : "Ivan Petrov"}}.dump(),
                          "application/json");
        if (!r) break;  // the server has stopped accepting
        if (r->status == 200) ++ok;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  StopServer();
  go = false;
  for (auto& t : clients)
    t.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(Records(), before + ok.load());
  auto verify = store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
}

TEST_P(ServerTest, EveryDocumentedPathIsServed) {
  // Each path template of openapi.json answers something other than a bare 404.
  for (const auto& [tmpl, ops] : OpenApi()["paths"].items()) {
    // This fixture wires no authority backend: /authority/ paths answer 503 not_ready
    // (BackendsNotWiredAnswer503); src/authority/server_e2e_test.cc serves them.
    std::string path = tmpl;
    // Token ids are 12 hex digits (the route's pattern).
    if (path == "/tokens/{id}/revoke") path = "/tokens/0123456789ab/revoke";
    const std::pair<std::string, std::string> values[] = {{"{id}", "1"},
                                                          {"{dataset}", "default"},
                                                          {"{name}", "nobody"},
                                                          {"{token_id}", "0123456789ab"}};
    for (const auto& [param, value] : values) {
      if (auto at = path.find(param); at != std::string::npos)
        path.replace(at, param.size(), value);
    }
    for (const auto& [method, _] : ops.items()) {
      Reply r = Call(method == "get" ? "GET" : "POST", path, "admin", "{}");
      EXPECT_TRUE(r.body.is_object()) << method << " " << path;
      // A route that is not served answers "no such resource: <path>"; a
      // served one may answer 404 for a user, token or record that does not exist.
      if (r.status == 404) {
        EXPECT_NE(r.body["error"]["message"].get<std::string>().rfind("no such resource", 0), 0u)
            << method << " " << path << r.body.dump();
      }
    }
  }
}

// The other way round: every route in the server's table (route_table.h) is
// a path of openapi.json with its method. A pattern reads as a template with
// each group a parameter, a group of alternatives ("(disable|enable)") as
// one path per alternative; a pattern ending in ".*" (the authority module's
// routes, dispatched by src/authority/api.cc) needs a documented path under
// its prefix. The UI's files are not API.
TEST_P(ServerTest, EveryRouteIsDocumented) {
  const std::set<std::string> ui_files = {"/", "/openapi.json", R"(/assets/(.+))"};
  // "/records/{id}/replay" -> "/records/{}/replay", for comparing templates.
  auto normalize = [](const std::string& tmpl) {
    return std::regex_replace(tmpl, std::regex(R"(\{[^}]*\})"), "{}");
  };
  std::set<std::string> documented;  // "POST /records/{}/replay"
  for (const auto& [tmpl, ops] : OpenApi()["paths"].items()) {
    for (const auto& [method, _] : ops.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      documented.insert(m + " " + normalize(tmpl));
    }
  }
  const std::vector<ServerRoute>& routes = server_->Routes();
  ASSERT_GE(routes.size(), 20u);
  for (const ServerRoute& route : routes) {
    if (ui_files.count(route.pattern)) continue;
    EXPECT_FALSE(route.role.empty()) << route.method << " " << route.pattern;
    if (route.pattern.size() > 2 && route.pattern.substr(route.pattern.size() - 2) == ".*") {
      const std::string prefix = route.pattern.substr(0, route.pattern.size() - 2);
      bool any = false;
      for (const auto& [tmpl, _] : OpenApi()["paths"].items())
        any |= tmpl.rfind(prefix, 0) == 0;
      EXPECT_TRUE(any) << route.method << " " << route.pattern;
      continue;
    }
    // Expand the pattern: each group is a parameter or a list of literal alternatives.
    std::vector<std::string> paths = {""};
    for (size_t i = 0; i < route.pattern.size();) {
      if (route.pattern[i] != '(') {
        for (auto& p : paths)
          p += route.pattern[i];
        ++i;
        continue;
      }
      size_t close = route.pattern.find(')', i);
      ASSERT_NE(close, std::string::npos) << route.pattern;
      std::string group = route.pattern.substr(i + 1, close - i - 1);
      std::vector<std::string> alternatives;
      if (std::regex_match(group, std::regex(R"([a-z_]+(\|[a-z_]+)+)"))) {
        std::istringstream in(group);
        for (std::string a; std::getline(in, a, '|');)
          alternatives.push_back(a);
      } else {
        alternatives = {"{}"};
      }
      std::vector<std::string> next;
      for (const auto& p : paths) {
        for (const auto& a : alternatives)
          next.push_back(p + a);
      }
      paths = std::move(next);
      i = close + 1;
    }
    for (const auto& p : paths) {
      EXPECT_TRUE(documented.count(route.method + " " + p))
          << route.method << " " << p << " (route " << route.pattern << ", " << route.role
          << ") is not in web/openapi.json";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dualuse::server
