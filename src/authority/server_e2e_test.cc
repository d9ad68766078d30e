// The acceptance walk over the real HTTP server (`dualuse serve`'s Server,
// with its Argon2 API tokens and roles) on both store backends: an exporter
// files from its assessment and determination, the authority assesses
// against the criteria, denies one application, consults on an essentially
// identical one and grants it, the exporter books exports until the licence
// is used up, and the year's report counts it all from the store records.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "authority/test_util.h"
#include "dualuse/authority/authority.h"
#include "dualuse/authority/codec.h"
#include "dualuse/authority/store_repository.h"
#include "dualuse/server/auth.h"
#include "dualuse/server/server.h"
#include "server/json_schema_check.h"
#include "server/server_test_util.h"
#include "store/store_test_util.h"

namespace dualuse::authority {
namespace {

using Json = nlohmann::json;
using testing::AssessAll;
using testing::FilingJson;
using testing::FilingSpec;

class ServerE2eTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::TestDb>(GetParam());
    std::string why;
    if (!db_->Create(&why)) {
      FAIL() << why;
    }
    auto s = store::Store::Open(db_->target());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto c = CriteriaCatalogue::Load(DUALUSE_SOURCE_DIR "/data/law/authority/criteria.json");
    ASSERT_TRUE(c.ok());
    cat_ = *c;
    repo_ = std::make_unique<StoreRepository>(store_.get());
    authority_ = std::make_unique<Authority>(repo_.get(), cat_);
    server::ServerOptions options;
    options.port = 0;
    options.threads = 4;
    server::Backends b;
    b.store = store_.get();
    b.authority = authority_.get();
    auto srv = server::Server::Create(options, b);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    authority_token_ = AddUser("ministry", "authority");
    exporter_token_ = AddUser("exporter", "officer");
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
      EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
    }
  }

  std::string AddUser(const std::string& name, const std::string& role) {
    return server::testing::AddUserWithToken(*store_, name, role);
  }

  struct Reply {
    int status = 0;
    std::string body;
    Json json() const { return Json::parse(body, nullptr, false); }
  };

  Reply Call(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "") {
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(30, 0);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result r =
        method == "GET" ? cli.Get(path, h) : cli.Post(path, h, body, "application/json");
    if (!r) return {};
    return {r->status, r->body};
  }

  std::unique_ptr<store::testing::TestDb> db_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const CriteriaCatalogue> cat_;
  std::unique_ptr<StoreRepository> repo_;
  std::unique_ptr<Authority> authority_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  Status run_status_;
  std::string authority_token_, exporter_token_;
};

TEST_P(ServerE2eTest, FromAssessmentThroughDecisionAndBookingsToReport) {
  const std::string& A = authority_token_;
  const std::string& E = exporter_token_;
  // No token, or the exporter reading the authority's case file: refused.
  EXPECT_EQ(Call("POST", "/authority/filings", "", FilingJson({}).dump()).status, 401);

  // 1. First application: clear risk under criterion 2 -> denied.
  Reply r = Call("POST", "/authority/filings", E, FilingJson({}).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string first = r.json()["id"];
  EXPECT_EQ(Call("GET", "/authority/filings/" + first, E).status, 403);
  auto risky = AssessAll(*cat_, first, CriterionFinding::kNoConcern,
                         {{"cp-2008-944/criterion-2", CriterionFinding::kClearRisk}});
  ASSERT_EQ(Call("POST", "/authority/assessments", A, ToJson(risky)).status, 201);
  Json grant = {
      {"application_id", first},
      {"date", "2026-03-10"},
      {"kind", "grant"},
      {"validity", {{"from", "2026-03-10"}, {"until", "2026-09-10"}}},
      {"allowances", Json::array({{{"item_id", "1"}, {"quantity", 10}, {"value_eur", 100000}}})}};
  r = Call("POST", "/authority/decisions", A, grant.dump());
  EXPECT_EQ(r.status, 409) << r.body;  // criterion 2 requires a denial
  Json deny = {{"application_id", first},
               {"date", "2026-03-10"},
               {"kind", "deny"},
               {"reason", "Clear risk of use for internal repression."},
               {"criteria", Json::array({"cp-2008-944/criterion-2"})}};
  r = Call("POST", "/authority/decisions", A, deny.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string deny_id = r.json()["id"];
  r = Call("GET", "/authority/decisions/" + deny_id + "/letter", A);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(cat_->FindCitation("deny")->text), std::string::npos);

  // 2. Essentially identical application: flagged; consult; grant.
  FilingSpec same;
  same.reference = "PO-2";
  same.entries = {"5A001.j.1"};
  same.end_user = "EXAMPLE TELECOM CO. LTD";
  same.filed_on = "2026-04-01";
  r = Call("POST", "/authority/filings", E, FilingJson(same).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string second = r.json()["id"];
  r = Call("GET", "/authority/filings/" + second + "?as_of=2026-04-02", A);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json()["prior_denials"].size(), 1u);
  std::string denial = r.json()["prior_denials"][0]["denial_id"];
  ASSERT_EQ(Call("POST", "/authority/assessments", A, ToJson(AssessAll(*cat_, second))).status,
            201);
  grant["application_id"] = second;
  grant["date"] = "2026-04-10";
  grant["validity"] = {{"from", "2026-04-10"}, {"until", "2026-10-10"}};
  r = Call("POST", "/authority/decisions", A, grant.dump());
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("Art 16(2)"), std::string::npos);
  Json consult = {{"application_id", second},
                  {"denial_id", denial},
                  {"consulted_authority", "NL"},
                  {"date", "2026-04-09"},
                  {"outcome", "Different end use established; no objection."}};
  ASSERT_EQ(Call("POST", "/authority/consultations", A, consult.dump()).status, 201);
  r = Call("POST", "/authority/decisions", A, grant.dump());
  ASSERT_EQ(r.status, 201) << r.body;

  // 3. The exporter books exports until the licence is used up.
  r = Call("GET", "/authority/filings/" + second, A);
  std::string licence = r.json()["licence"]["id"];
  auto book = [&](const char* date, int q, int v) {
    Json b = {{"licence_id", licence}, {"date", date},   {"item_id", "1"},
              {"quantity", q},         {"value_eur", v}, {"reference", "MRN"}};
    return Call("POST", "/authority/bookings", E, b.dump());
  };
  EXPECT_EQ(book("2026-05-01", 6, 60000).status, 201);
  r = book("2026-05-02", 5, 50000);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("exceeds what is left"),
            std::string::npos);
  EXPECT_EQ(book("2026-10-10", 4, 40000).status, 409);  // expired
  EXPECT_EQ(book("2026-10-09", 4, 40000).status, 201);

  // 4. The report for 2026 equals a direct count of the records.
  r = Call("GET", "/authority/report?year=2026", A);
  ASSERT_EQ(r.status, 200) << r.body;
  Json rep = r.json();
  EXPECT_EQ(rep["total"]["applications"], 2);
  EXPECT_EQ(rep["total"]["grants"], 1);
  EXPECT_EQ(rep["total"]["denials"], 1);
  EXPECT_EQ(rep["by_destination"]["CN"]["denials"], 1);
  EXPECT_EQ(rep["cyber_surveillance"]["total"]["grants"], 1);
  EXPECT_EQ(rep["total"]["granted_value_eur"], 100000.0);
  auto records = repo_->Records();
  ASSERT_TRUE(records.ok());
  long filings = 0, grants = 0, denials = 0, bookings = 0;
  for (const auto& rec : *records) {
    if (rec.kind == kFilingRecord) ++filings;
    if (rec.kind == kBookingRecord) ++bookings;
    if (rec.kind == kDecisionRecord) {
      std::string kind = Json::parse(rec.payload)["kind"];
      grants += kind == "grant";
      denials += kind == "deny";
    }
  }
  EXPECT_EQ(rep["total"]["applications"], filings);
  EXPECT_EQ(rep["total"]["grants"], grants);
  EXPECT_EQ(rep["total"]["denials"], denials);
  EXPECT_EQ(bookings, 2);
  r = Call("GET", "/authority/report?year=2026&format=html", A);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<svg"), std::string::npos);

  // 5. The chain over the whole store is intact.
  auto verify = store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
}

// GET /authority/licences over the real server: 401 without a token, 403 for
// the exporter, the register for the authority, every answer as documented
// in web/openapi.json; and a notification's case file shows what the exporter
// notified.
TEST_P(ServerE2eTest, LicenceRegisterAndNotificationOverHttp) {
  const std::string& A = authority_token_;
  const std::string& E = exporter_token_;
  static const Json openapi = [] {
    std::ifstream in(DUALUSE_SOURCE_DIR "/web/openapi.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return Json::parse(ss.str(), nullptr, false);
  }();
  ASSERT_TRUE(openapi.is_object());
  auto conforms = [&](const Reply& r) {
    Json schema = server::testing::ResponseSchema(openapi, "/authority/licences", "get", r.status);
    ASSERT_FALSE(schema.is_null())
        << "openapi.json has no " << r.status << " for GET /authority/licences";
    auto errors = server::testing::CheckSchema(r.json(), schema, openapi);
    EXPECT_TRUE(errors.empty()) << r.status << ": " << errors.front() << "\n" << r.body;
  };

  // Every /authority/ path of the document is served here (the server tests'
  // EveryDocumentedPathIsServed runs without an authority backend).
  int documented = 0;
  for (const auto& [tmpl, ops] : openapi["paths"].items()) {
    if (tmpl.rfind("/authority/", 0) != 0) continue;
    for (const auto& [method, _] : ops.items()) {
      ++documented;
      Reply any = Call(method == "get" ? "GET" : "POST", tmpl, A, "{}");
      EXPECT_TRUE(any.json().is_object()) << method << " " << tmpl;
      // 404 for a resource that does not exist ("no filing {id}") is fine;
      // a path the API does not serve answers "no such endpoint".
      EXPECT_FALSE(any.status == 404 && any.json()["error"]["message"].get<std::string>().rfind(
                                            "no such endpoint", 0) == 0)
          << method << " " << tmpl << " " << any.body;
    }
  }
  EXPECT_GE(documented, 1);

  Reply r = Call("GET", "/authority/licences", "");
  EXPECT_EQ(r.status, 401);
  conforms(r);
  r = Call("GET", "/authority/licences", E);
  EXPECT_EQ(r.status, 403);
  conforms(r);
  r = Call("GET", "/authority/licences?status=revoked", A);
  EXPECT_EQ(r.status, 400);
  conforms(r);
  r = Call("GET", "/authority/licences", A);
  ASSERT_EQ(r.status, 200) << r.body;
  conforms(r);
  EXPECT_TRUE(r.json()["licences"].empty());

  r = Call("POST", "/authority/filings", E, FilingJson({}).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string app = r.json()["id"];
  ASSERT_EQ(Call("POST", "/authority/assessments", A, ToJson(AssessAll(*cat_, app))).status, 201);
  Json grant = {
      {"application_id", app},
      {"date", "2026-03-10"},
      {"kind", "grant"},
      {"validity", {{"from", "2026-03-10"}, {"until", "2026-09-10"}}},
      {"allowances", Json::array({{{"item_id", "1"}, {"quantity", 5}, {"value_eur", 50000}}})}};
  ASSERT_EQ(Call("POST", "/authority/decisions", A, grant.dump()).status, 201);
  Json booking = {{"licence_id", "LIC-1"}, {"date", "2026-04-01"}, {"item_id", "1"},
                  {"quantity", 2},         {"value_eur", 20000},   {"reference", "MRN"}};
  ASSERT_EQ(Call("POST", "/authority/bookings", E, booking.dump()).status, 201);

  r = Call("GET", "/authority/licences?as_of=2026-04-02&status=active&holder=example", A);
  ASSERT_EQ(r.status, 200) << r.body;
  conforms(r);
  ASSERT_EQ(r.json()["licences"].size(), 1u);
  Json l = r.json()["licences"][0];
  EXPECT_EQ(l["licence_number"], "LIC-1");
  EXPECT_EQ(l["case_id"], app);
  EXPECT_EQ(l["holder"], "Example B.V.");
  EXPECT_EQ(l["status"], "active");
  EXPECT_EQ(l["items"][0]["granted"]["quantity"], 5.0);
  EXPECT_EQ(l["items"][0]["used"]["quantity"], 2.0);
  EXPECT_EQ(l["items"][0]["remaining"]["quantity"], 3.0);
  EXPECT_EQ(l["items"][0]["remaining"]["value_eur"], 30000.0);
  r = Call("GET", "/authority/licences?as_of=2026-09-10&status=expired", A);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["licences"].size(), 1u);
  r = Call("GET", "/authority/licences?as_of=2026-04-02&destination=IN", A);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["licences"].empty());

  // The exporter notifies (Art 5(2)); the authority's case file shows it.
  r = Call("POST", "/authority/filings", E, testing::NotificationFilingJson().dump());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string note = r.json()["id"];
  r = Call("GET", "/authority/filings/" + note, A);
  ASSERT_EQ(r.status, 200) << r.body;
  Json n = r.json()["application"]["notification"];
  EXPECT_EQ(r.json()["application"]["kind"], "notification");
  EXPECT_EQ(n["basis"], "Regulation (EU) 2021/821, Article 5(2)");
  EXPECT_EQ(n["record_id"], "PO-2026-0077");
  EXPECT_EQ(n["record_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(n["from"], "Example B.V.");
  EXPECT_FALSE(n["statement"].get<std::string>().empty());
  // The register lists licences only.
  r = Call("GET", "/authority/licences", A);
  EXPECT_EQ(r.json()["licences"].size(), 1u);
}

// GET /authority/status: the exporter sees where its own filings stand
// (filed -> assessed -> decided, with the decision and the licence), not
// another exporter's; the authority sees all; other roles are refused.
TEST_P(ServerE2eTest, ExporterSeesTheStatusOfItsOwnFilings) {
  const std::string& A = authority_token_;
  const std::string& E = exporter_token_;
  const std::string other = AddUser("other-exporter", "officer");
  const std::string reviewer = AddUser("rik", "reviewer");
  Reply r = Call("POST", "/authority/filings", E, FilingJson({}).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string mine = r.json()["id"];
  r = Call("POST", "/authority/filings", other, FilingJson({}).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string theirs = r.json()["id"];

  auto status_of = [&](const std::string& token) {
    Reply s = Call("GET", "/authority/status", token);
    EXPECT_EQ(s.status, 200) << s.body;
    std::map<std::string, Json> by_id;
    const Json body = s.json();
    for (const Json& f : body["filings"])
      by_id[f["id"].get<std::string>()] = f;
    return by_id;
  };
  auto seen = status_of(E);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[mine]["state"], "filed");
  EXPECT_EQ(seen[mine]["kind"], "application");
  EXPECT_TRUE(seen[mine]["decision"].is_null());
  EXPECT_EQ(status_of(other).count(mine), 0u);
  EXPECT_EQ(status_of(A).size(), 2u);
  EXPECT_EQ(Call("GET", "/authority/status", reviewer).status, 403);
  EXPECT_EQ(Call("GET", "/authority/status", "").status, 401);

  ASSERT_EQ(Call("POST", "/authority/assessments", A, ToJson(AssessAll(*cat_, mine))).status, 201);
  EXPECT_EQ(status_of(E)[mine]["state"], "assessed");
  Json grant = {
      {"application_id", mine},
      {"date", "2026-03-10"},
      {"kind", "grant"},
      {"validity", {{"from", "2026-03-10"}, {"until", "2026-09-10"}}},
      {"allowances", Json::array({{{"item_id", "1"}, {"quantity", 10}, {"value_eur", 100000}}})}};
  r = Call("POST", "/authority/decisions", A, grant.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  seen = status_of(E);
  EXPECT_EQ(seen[mine]["state"], "decided");
  EXPECT_EQ(seen[mine]["decision"]["kind"], "grant");
  EXPECT_EQ(seen[mine]["licence"]["validity"]["until"], "2026-09-10");
  EXPECT_EQ(status_of(other)[theirs]["state"], "filed");
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerE2eTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dualuse::authority
