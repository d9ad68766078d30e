// End to end at the library level, on the real Store (SQLite file or
// PostgreSQL database): an application from the assessment through the
// criteria, a denial, an essentially identical application with a
// consultation, a grant, booked exports and refused ones, a notification,
// and the transparency report, all from append-only store records.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <thread>

#include "authority/test_util.h"
#include "dualuse/authority/api.h"
#include "dualuse/authority/authority.h"
#include "dualuse/authority/codec.h"
#include "dualuse/authority/store_repository.h"
#include "dualuse/base/sha256.h"
#include "dualuse/classify/due_diligence.h"
#include "server/authority_routes.h"
#include "store/store_test_util.h"

namespace dualuse::authority {
namespace {

using testing::AssessAll;
using testing::FilingJson;
using testing::FilingSpec;

Date D(const char* s) { return *Date::Parse(s); }

// Parameter: the backend, "sqlite" or "postgresql" (DUALUSE_TEST_PG).
class StoreFlowTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    if (!db_.Create(&why)) {
      FAIL() << why;
    }
    auto s = store::Store::Open(db_.target());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto c = CriteriaCatalogue::Load(DUALUSE_SOURCE_DIR "/data/law/authority/criteria.json");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cat_ = *c;
    repo_ = std::make_unique<StoreRepository>(store_.get());
    auth_ = std::make_unique<Authority>(repo_.get(), cat_);
  }

  Application File(const FilingSpec& s) {
    auto app = ApplicationFromFiling(FilingJson(s).dump(), "filing.json");
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    auto filed = auth_->File(*app, "exporter");
    EXPECT_TRUE(filed.ok()) << filed.status().ToString();
    return filed.ok() ? *filed : Application{};
  }

  // One request through the API contract (api.h), as the HTTP server forwards it.
  ApiResponse call(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& role = "authority",
                   std::multimap<std::string, std::string> query = {}) {
    ApiRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.role = role;
    r.actor = role == "officer" ? "exporter1" : "officer1";
    r.query = std::move(query);
    return HandleAuthorityApi(*auth_, r);
  }

  store::testing::TestDb db_{GetParam()};
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const CriteriaCatalogue> cat_;
  std::unique_ptr<StoreRepository> repo_;
  std::unique_ptr<Authority> auth_;
};

TEST_P(StoreFlowTest, ApplicationToReport) {
  // 1. A first application; clear risk under criterion 2; denied.
  Application first = File({});
  ASSERT_TRUE(auth_
                  ->Assess(AssessAll(*cat_, first.id, CriterionFinding::kNoConcern,
                                     {{"cp-2008-944/criterion-2", CriterionFinding::kClearRisk}}),
                           "officer")
                  .ok());
  Decision deny;
  deny.application_id = first.id;
  deny.date = D("2026-03-10");
  deny.kind = DecisionKind::kDeny;
  deny.reason = "Clear risk of use for internal repression.";
  deny.criteria = {"cp-2008-944/criterion-2"};
  ASSERT_TRUE(auth_->Decide(deny, "officer").ok());

  // 2. An essentially identical one: flagged; no grant before consultation.
  FilingSpec s;
  s.reference = "PO-2";
  s.entries = {"5A001.f"};
  s.filed_on = "2026-04-01";
  Application second = File(s);
  auto cf = auth_->Case(second.id, D("2026-04-02"));
  ASSERT_TRUE(cf.ok()) << cf.status().ToString();
  ASSERT_EQ(cf->prior_denials.size(), 1u);
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, second.id), "officer").ok());
  Decision grant;
  grant.application_id = second.id;
  grant.date = D("2026-04-10");
  grant.kind = DecisionKind::kGrant;
  grant.validity = {D("2026-04-10"), D("2026-10-10")};
  grant.allowances = {{"1", 10.0, 100000.0}};
  auto refused = auth_->Decide(grant, "officer");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), StatusCode::kFailedPrecondition);
  Consultation c;
  c.application_id = second.id;
  c.denial_id = cf->prior_denials[0].denial_id;
  c.date = D("2026-04-09");
  c.outcome = "Different end use confirmed; no objection.";
  ASSERT_TRUE(auth_->Consult(c, "officer").ok());
  auto granted = auth_->Decide(grant, "officer");
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();

  // 3. Exports booked against the licence; beyond it and after it, refused.
  cf = auth_->Case(second.id, D("2026-04-10"));
  ASSERT_TRUE(cf->licence.has_value());
  Booking b;
  b.licence_id = cf->licence->id;
  b.item_id = "1";
  b.date = D("2026-05-01");
  b.quantity = 7;
  b.value_eur = 70000;
  ASSERT_TRUE(auth_->Book(b, "exporter").ok());
  b.quantity = 4;
  b.value_eur = 10000;
  auto over = auth_->Book(b, "exporter");
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message().find("exceeds what is left (3 of 10"), std::string::npos);
  b.quantity = 3;
  b.value_eur = 30000;
  b.date = D("2026-10-10");
  auto late = auth_->Book(b, "exporter");
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().message().find("expired"), std::string::npos);
  b.date = D("2026-10-09");
  ASSERT_TRUE(auth_->Book(b, "exporter").ok());

  // 4. A notification (Art 5(2)); the authority imposes a requirement.
  FilingSpec n;
  n.reference = "PO-3";
  n.verdict = "notify_authority";
  n.entries = {};
  n.destination = "IN";
  n.end_user_country = "IN";
  n.filed_on = "2026-05-01";
  Application note = File(n);
  Decision impose;
  impose.application_id = note.id;
  impose.date = D("2026-05-20");
  impose.kind = DecisionKind::kImposeRequirement;
  impose.reason = "End-user is an intelligence service.";
  ASSERT_TRUE(auth_->Decide(impose, "officer").ok());

  // 5. The report, from the store's records.
  auto report = auth_->Report(2026);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->total.applications, 2);
  EXPECT_EQ(report->total.notifications, 1);
  EXPECT_EQ(report->total.grants, 1);
  EXPECT_EQ(report->total.denials, 1);
  EXPECT_EQ(report->total.requirements_imposed, 1);
  EXPECT_EQ(report->by_destination["CN"].denials, 1);
  EXPECT_EQ(report->cyber_total.grants, 1);
  EXPECT_DOUBLE_EQ(report->total.granted_value_eur, 100000);

  // 6. Everything is in the hash-chained store and survives a reopen.
  auto verify = store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
  auto count = store_->RecordCount();
  // filings 3, assessments 2, decisions 3, denial 1, consultation 1,
  // licence 1, bookings 2
  EXPECT_EQ(*count, 13);
  std::string before = CaseFileToJson(*auth_->Case(second.id, D("2026-10-09")));
  auth_.reset();
  repo_.reset();
  store_.reset();
  auto reopened = store::Store::Open(db_.target());
  ASSERT_TRUE(reopened.ok());
  StoreRepository repo(reopened->get());
  Authority again(&repo, cat_);
  EXPECT_EQ(CaseFileToJson(*again.Case(second.id, D("2026-10-09"))), before);
}

TEST_P(StoreFlowTest, RejectedOperationsRecordNothing) {
  Application app = File({});
  auto n0 = *store_->RecordCount();
  Decision grant;
  grant.application_id = app.id;
  grant.date = D("2026-04-10");
  grant.kind = DecisionKind::kGrant;
  grant.validity = {D("2026-04-10"), D("2026-10-10")};
  EXPECT_FALSE(auth_->Decide(grant, "officer").ok());  // no assessment
  auto bad = AssessAll(*cat_, app.id);
  bad.answers.pop_back();
  EXPECT_FALSE(auth_->Assess(bad, "officer").ok());
  Booking b;
  b.licence_id = "LIC-404";
  EXPECT_FALSE(auth_->Book(b, "officer").ok());
  EXPECT_FALSE(auth_->ImportDenials("{\"schema\":1}", "x.json", "officer").ok());
  EXPECT_EQ(*store_->RecordCount(), n0);
}

// The same walk through the API contract (api.h) that the HTTP server
// forwards /authority/ requests to: role checks, status codes, bodies.
TEST_P(StoreFlowTest, ApiFlow) {
  using Json = nlohmann::json;
  // The exporter files; may not read case files.
  auto filed = call("POST", "/authority/filings", FilingJson({}).dump(), "officer");
  ASSERT_EQ(filed.status, 201) << filed.body;
  std::string app = Json::parse(filed.body)["id"];
  EXPECT_EQ(call("GET", "/authority/filings/" + app, "", "officer").status, 403);
  EXPECT_EQ(call("GET", "/authority/nothing", "").status, 404);
  EXPECT_EQ(call("DELETE", "/authority/filings", "").status, 405);
  auto bad = call("POST", "/authority/filings", "{", "officer");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json::parse(bad.body)["error"]["code"], "invalid_request");

  auto cf = call("GET", "/authority/filings/" + app, "", "authority", {{"as_of", "2026-03-02"}});
  ASSERT_EQ(cf.status, 200) << cf.body;
  EXPECT_EQ(Json::parse(cf.body)["application"]["items"][0]["classification_record"], "CLS-7");

  Json assessment = Json::parse(ToJson(AssessAll(*cat_, app)));
  ASSERT_EQ(call("POST", "/authority/assessments", assessment.dump()).status, 201);
  Json decision = {
      {"application_id", app},
      {"date", "2026-03-10"},
      {"kind", "grant"},
      {"licence_type", "individual"},
      {"validity", {{"from", "2026-03-10"}, {"until", "2026-09-10"}}},
      {"allowances", Json::array({{{"item_id", "1"}, {"quantity", 2}, {"value_eur", 20000}}})}};
  auto dec = call("POST", "/authority/decisions", decision.dump());
  ASSERT_EQ(dec.status, 201) << dec.body;
  std::string dec_id = Json::parse(dec.body)["id"];
  auto letter = call("GET", "/authority/decisions/" + dec_id + "/letter", "");
  EXPECT_EQ(letter.status, 200);
  EXPECT_EQ(letter.content_type, "text/html; charset=utf-8");
  EXPECT_NE(letter.body.find(cat_->FindCitation("grant_individual")->text), std::string::npos);

  std::string lic = Json::parse(call("GET", "/authority/filings/" + app, "").body)["licence"]["id"];
  Json booking = {{"licence_id", lic}, {"date", "2026-04-01"}, {"item_id", "1"},
                  {"quantity", 2},     {"value_eur", 20000},   {"reference", "MRN-1"}};
  EXPECT_EQ(call("POST", "/authority/bookings", booking.dump(), "officer").status, 201);
  auto refused = call("POST", "/authority/bookings", booking.dump(), "officer");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(Json::parse(refused.body)["error"]["message"].get<std::string>().find("exceeds"),
            std::string::npos);

  auto report = call("GET", "/authority/report", "", "authority", {{"year", "2026"}});
  ASSERT_EQ(report.status, 200) << report.body;
  Json rep = Json::parse(report.body);
  EXPECT_EQ(rep["total"]["applications"], 1);
  EXPECT_EQ(rep["total"]["grants"], 1);
  EXPECT_EQ(rep["cyber_surveillance"]["total"]["grants"], 1);
  auto csv =
      call("GET", "/authority/report", "", "authority", {{"year", "2026"}, {"format", "csv"}});
  EXPECT_NE(csv.body.find("total,2026,1,0,1,0,0,0,20000"), std::string::npos) << csv.body;
  EXPECT_EQ(call("GET", "/authority/report", "", "authority", {{"year", "26"}}).status, 400);

  auto denials = call("GET", "/authority/denials", "");
  EXPECT_EQ(denials.status, 200);
  auto imported = call("POST", "/authority/denials", denials.body);
  EXPECT_EQ(imported.status, 200);
  EXPECT_EQ(Json::parse(imported.body)["imported"], 0);
}

// GET /authority/licences and a notification's case file through the API
// contract, on the store: who may read the register, its filters, and that
// the notification the exporter filed survives a reopen of the store.
TEST_P(StoreFlowTest, LicenceRegisterAndNotificationCaseFile) {
  using Json = nlohmann::json;
  auto licences = [&](std::multimap<std::string, std::string> query) {
    auto r = call("GET", "/authority/licences", "", "authority", std::move(query));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    Json register_json = Json::parse(r.body);
    for (const auto& l : register_json["licences"])
      ids.push_back(l["licence_number"]);
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(licences({}), V{});
  Application app = File({});
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, app.id), "officer").ok());
  Decision grant;
  grant.application_id = app.id;
  grant.date = D("2026-03-10");
  grant.kind = DecisionKind::kGrant;
  grant.validity = {D("2026-03-10"), D("2026-09-10")};
  grant.allowances = {{"1", 4.0, 40000.0}};
  ASSERT_TRUE(auth_->Decide(grant, "officer").ok());
  Booking b;
  b.licence_id = "LIC-1";
  b.item_id = "1";
  b.date = D("2026-04-01");
  b.quantity = 1;
  b.value_eur = 10000;
  ASSERT_TRUE(auth_->Book(b, "exporter").ok());

  EXPECT_EQ(licences({{"as_of", "2026-04-01"}}), V{"LIC-1"});
  EXPECT_EQ(licences({{"as_of", "2026-04-01"}, {"status", "active"}}), V{"LIC-1"});
  EXPECT_EQ(licences({{"as_of", "2026-09-10"}, {"status", "active"}}), V{});
  EXPECT_EQ(licences({{"as_of", "2026-09-10"}, {"status", "active,expired"}}), V{"LIC-1"});
  EXPECT_EQ(licences({{"holder", "EXAMPLE b.v."},
                      {"destination", "CN"},
                      {"entry", "5A001"},
                      {"type", "individual"},
                      {"case_id", app.id}}),
            V{"LIC-1"});
  EXPECT_EQ(licences({{"destination", "IN"}}), V{});
  auto one = Json::parse(
      call("GET", "/authority/licences", "", "admin", {{"as_of", "2026-04-01"}}).body)["licences"];
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["case_id"], app.id);
  EXPECT_EQ(one[0]["status"], "active");
  EXPECT_EQ(one[0]["items"][0]["used"]["value_eur"], 10000.0);
  EXPECT_EQ(one[0]["items"][0]["remaining"]["quantity"], 3.0);
  // Only the authority reads the register; bad filters are refused.
  EXPECT_EQ(call("GET", "/authority/licences", "", "officer").status, 403);
  EXPECT_EQ(call("GET", "/authority/licences", "", "reviewer").status, 403);
  EXPECT_EQ(call("POST", "/authority/licences", "{}").status, 405);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"status", "revoked"},
                                                        {"status", "active,"},
                                                        {"destination", "cn"},
                                                        {"type", "open"},
                                                        {"as_of", "2026-13-01"},
                                                        {"entry", ""},
                                                        {"holders", "x"}}) {
    auto r = call("GET", "/authority/licences", "", "authority", {{key, value}});
    EXPECT_EQ(r.status, 400) << key << "=" << value;
    EXPECT_EQ(Json::parse(r.body)["error"]["code"], "invalid_request");
    EXPECT_NE(Json::parse(r.body)["error"]["message"].get<std::string>().find("query " + key),
              std::string::npos)
        << r.body;
  }

  // A notification with the determination's dualuse.notification/1.
  auto filed =
      call("POST", "/authority/filings", testing::NotificationFilingJson().dump(), "officer");
  ASSERT_EQ(filed.status, 201) << filed.body;
  std::string note = Json::parse(filed.body)["id"];
  auto cf = call("GET", "/authority/filings/" + note, "");
  ASSERT_EQ(cf.status, 200) << cf.body;
  Json n = Json::parse(cf.body)["application"]["notification"];
  EXPECT_EQ(n["basis"], "Regulation (EU) 2021/821, Article 5(2)");
  EXPECT_EQ(n["record_id"], "PO-2026-0077");
  EXPECT_EQ(n["record_sha256"], Sha256Hex(classify::DueDiligenceToJson(testing::AwareRecord())));
  EXPECT_EQ(n["conclusion"], "aware");
  EXPECT_NE(n["statement"].get<std::string>().find("internal repression"), std::string::npos);
  // A tampered record is refused and nothing is recorded.
  auto n0 = *store_->RecordCount();
  Json tampered = testing::NotificationFilingJson();
  tampered["determination"]["notification"]["record"]["conclusion"]["reasoning"] = "changed";
  auto refused = call("POST", "/authority/filings", tampered.dump(), "officer");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(*store_->RecordCount(), n0);
  // The case file is the same after reopening the store.
  std::string before = cf.body;
  auth_.reset();
  repo_.reset();
  store_.reset();
  auto reopened = store::Store::Open(db_.target());
  ASSERT_TRUE(reopened.ok());
  StoreRepository repo(reopened->get());
  Authority again(&repo, cat_);
  ApiRequest r;
  r.method = "GET";
  r.path = "/authority/filings/" + note;
  r.role = "authority";
  EXPECT_EQ(HandleAuthorityApi(again, r).body, before);
}

// Over real HTTP on loopback: the server's /authority/ adapter
// (src/server/authority_routes.cc) on the server's HttpServer, with a bearer-token
// check standing in for the server's Argon2 token store.
TEST_P(StoreFlowTest, HttpFlow) {
  using Json = nlohmann::json;
  server::HttpServer http({});
  server::RouteTable routes(&http);
  server::RegisterAuthorityRoutes(
      &routes, auth_.get(),
      [](const httplib::Request& req,
         httplib::Response& res) -> std::optional<server::AuthorityCaller> {
        std::string h = req.get_header_value("Authorization");
        if (h == "Bearer authority-token") return server::AuthorityCaller{"officer1", "authority"};
        if (h == "Bearer exporter-token") return server::AuthorityCaller{"exporter1", "officer"};
        res.status = 401;
        res.set_content(R"({"error":{"code":"unauthenticated","message":"token"}})",
                        "application/json");
        return std::nullopt;
      });
  ASSERT_TRUE(http.Bind("127.0.0.1", 0).ok());
  int port = http.port();
  ASSERT_GT(port, 0);
  std::thread t([&] { ASSERT_TRUE(http.Run().ok()); });
  while (!http.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  httplib::Client cli("127.0.0.1", port);
  httplib::Headers authority = {{"Authorization", "Bearer authority-token"}};
  httplib::Headers exporter = {{"Authorization", "Bearer exporter-token"}};

  auto r = cli.Post("/authority/filings", FilingJson({}).dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  r = cli.Post("/authority/filings", exporter, FilingJson({}).dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  std::string app = Json::parse(r->body)["id"];
  r = cli.Get("/authority/filings/" + app, exporter);
  EXPECT_EQ(r->status, 403);
  Json assessment = Json::parse(ToJson(AssessAll(*cat_, app)));
  r = cli.Post("/authority/assessments", authority, assessment.dump(), "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  Json decision = {
      {"application_id", app},
      {"date", "2026-03-10"},
      {"kind", "grant"},
      {"validity", {{"from", "2026-03-10"}, {"until", "2026-09-10"}}},
      {"allowances", Json::array({{{"item_id", "1"}, {"quantity", 3}, {"value_eur", 30000}}})}};
  r = cli.Post("/authority/decisions", authority, decision.dump(), "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  std::string dec = Json::parse(r->body)["id"];
  r = cli.Get("/authority/decisions/" + dec + "/letter", authority);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  r = cli.Get("/authority/filings/" + app + "?as_of=2026-03-10", authority);
  std::string lic = Json::parse(r->body)["licence"]["id"];
  Json booking = {{"licence_id", lic},
                  {"date", "2026-04-01"},
                  {"item_id", "1"},
                  {"quantity", 3},
                  {"value_eur", 30000}};
  r = cli.Post("/authority/bookings", exporter, booking.dump(), "application/json");
  EXPECT_EQ(r->status, 201) << r->body;
  r = cli.Post("/authority/bookings", exporter, booking.dump(), "application/json");
  EXPECT_EQ(r->status, 409);
  r = cli.Get("/authority/report?year=2026&format=csv", authority);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("total,2026,1,0,1,0,0,0,30000\n"), std::string::npos) << r->body;
  http.Stop();
  t.join();
  // Everything the HTTP calls did is in the store's chain.
  auto verify = store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
  EXPECT_EQ(*store_->RecordCount(), 5);  // filing, assessment, decision, licence, booking
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreFlowTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace dualuse::authority
