// Separation of duties in the licensing authority (docs/security.md): the
// exporter side files and books, the authority decides, the filer never
// decides its own filing, four eyes between the criteria assessment and the
// decision when configured, bookings only by the licence's holder and only
// sane amounts. Through the API contract (api.h), as the HTTP server calls it.
#include <gtest/gtest.h>

#include "authority/test_util.h"
#include "dualuse/authority/api.h"
#include "dualuse/authority/authority.h"
#include "dualuse/authority/codec.h"

namespace dualuse::authority {
namespace {

using testing::AssessAll;
using testing::FilingJson;
using testing::FilingSpec;
using Json = nlohmann::json;

class DutiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = CriteriaCatalogue::Load(DUALUSE_SOURCE_DIR "/data/law/authority/criteria.json");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cat_ = *c;
    AuthorityOptions o;
    o.four_eyes = true;
    auth_ = std::make_unique<Authority>(&repo_, cat_, o);
  }

  ApiResponse Call(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& role, const std::string& actor,
                   const std::string& organisation = "") {
    ApiRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.role = role;
    r.actor = actor;
    r.organisation = organisation;
    return HandleAuthorityApi(*auth_, r);
  }

  // Filed by olga of Example B.V., assessed by ann, granted by bob.
  std::string GrantedLicence() {
    ApiResponse f = Call("POST", "/authority/filings", FilingJson({}).dump(), "officer", "olga",
                         "Example B.V.");
    EXPECT_EQ(f.status, 201) << f.body;
    std::string app = Json::parse(f.body)["id"];
    EXPECT_EQ(
        Call("POST", "/authority/assessments", ToJson(AssessAll(*cat_, app)), "authority", "ann")
            .status,
        201);
    Json grant = {{"application_id", app},
                  {"date", "2026-04-10"},
                  {"kind", "grant"},
                  {"licence_type", "individual"},
                  {"validity", {{"from", "2026-04-10"}, {"until", "2027-04-10"}}},
                  {"allowances", {{{"item_id", "1"}, {"quantity", 10}, {"value_eur", 100000}}}}};
    ApiResponse d = Call("POST", "/authority/decisions", grant.dump(), "authority", "bob");
    EXPECT_EQ(d.status, 201) << d.body;
    auto cf = auth_->Case(app, *Date::Parse("2026-04-10"));
    EXPECT_TRUE(cf.ok() && cf->licence);
    return cf.ok() && cf->licence ? cf->licence->id : "";
  }

  InMemoryRepository repo_;
  std::shared_ptr<const CriteriaCatalogue> cat_;
  std::unique_ptr<Authority> auth_;
};

// Finding: the authority role filed an application and granted it itself.
TEST_F(DutiesTest, TheExporterSideFilesAndTheAuthorityDecides) {
  // Only the exporter side files; the authority and an admin may not.
  for (const char* role : {"authority", "admin", "reviewer"}) {
    EXPECT_EQ(Call("POST", "/authority/filings", FilingJson({}).dump(), role, "x").status, 403)
        << role;
  }
  ApiResponse f = Call("POST", "/authority/filings", FilingJson({}).dump(), "officer", "olga");
  ASSERT_EQ(f.status, 201) << f.body;
  std::string app = Json::parse(f.body)["id"];
  // Only the authority assesses and decides; an admin reads.
  EXPECT_EQ(
      Call("POST", "/authority/assessments", ToJson(AssessAll(*cat_, app)), "admin", "adm").status,
      403);
  EXPECT_EQ(Call("GET", "/authority/filings/" + app, "", "admin", "adm").status, 200);
  ASSERT_EQ(
      Call("POST", "/authority/assessments", ToJson(AssessAll(*cat_, app)), "authority", "ann")
          .status,
      201);
  Json grant = {{"application_id", app},
                {"date", "2026-04-10"},
                {"kind", "grant"},
                {"licence_type", "individual"},
                {"validity", {{"from", "2026-04-10"}, {"until", "2027-04-10"}}},
                {"allowances", {{{"item_id", "1"}, {"quantity", 10}, {"value_eur", 100000}}}}};
  EXPECT_EQ(Call("POST", "/authority/decisions", grant.dump(), "officer", "olga").status, 403);
  // Four eyes: not the officer who assessed the criteria.
  ApiResponse same = Call("POST", "/authority/decisions", grant.dump(), "authority", "ann");
  EXPECT_EQ(same.status, 409) << same.body;
  EXPECT_NE(same.body.find("four-eyes"), std::string::npos) << same.body;
  EXPECT_EQ(Call("POST", "/authority/decisions", grant.dump(), "authority", "bob").status, 201);
}

TEST_F(DutiesTest, TheFilerNeverDecidesItsOwnFiling) {
  auto app = ApplicationFromFiling(FilingJson({}).dump(), "f");
  ASSERT_TRUE(app.ok());
  auto filed = auth_->File(*app, "ann");
  ASSERT_TRUE(filed.ok());
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, filed->id), "bob").ok());
  Decision d;
  d.application_id = filed->id;
  d.date = *Date::Parse("2026-04-10");
  d.kind = DecisionKind::kDeny;
  d.reason = "x";
  d.criteria = {"cp-2008-944/criterion-2"};
  auto own = auth_->Decide(d, "ann");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(own.error().message().find("separation of duties"), std::string::npos)
      << own.error().message();
}

// Findings: an officer booked against another exporter's licence; a
// booking of 1e-300 units was accepted.
TEST_F(DutiesTest, OnlyTheHolderBooksAndOnlySaneAmounts) {
  const std::string licence = GrantedLicence();
  ASSERT_FALSE(licence.empty());
  auto booking = [&](double q, double v) {
    return Json{{"licence_id", licence}, {"date", "2026-05-01"}, {"item_id", "1"},
                {"quantity", q},         {"value_eur", v},       {"reference", "MRN 1"}}
        .dump();
  };
  // Another exporter's officer.
  EXPECT_EQ(Call("POST", "/authority/bookings", booking(1, 10), "officer", "mallory", "Other GmbH")
                .status,
            403);
  // Without an organisation, not the filer.
  EXPECT_EQ(Call("POST", "/authority/bookings", booking(1, 10), "officer", "mallory").status, 403);
  // The authority does not book for the exporter.
  EXPECT_EQ(Call("POST", "/authority/bookings", booking(1, 10), "authority", "bob").status, 403);
  for (double q : {1e-300, 0.0, -1.0, 0.0004, 1e15, 1.00001}) {
    ApiResponse r = Call("POST", "/authority/bookings", booking(q, 10), "officer", "olga");
    EXPECT_EQ(r.status, 400) << q << ": " << r.body;
  }
  EXPECT_EQ(Call("POST", "/authority/bookings", booking(1, 0.001), "officer", "olga").status, 400);
  // The filer, and a colleague of the same organisation.
  EXPECT_EQ(Call("POST", "/authority/bookings", booking(2.5, 25.5), "officer", "olga").status, 201);
  EXPECT_EQ(
      Call("POST", "/authority/bookings", booking(1, 10), "officer", "piet", "Example B.V.").status,
      201);
  // Within the balance only.
  EXPECT_EQ(Call("POST", "/authority/bookings", booking(7, 10), "officer", "olga").status, 409);
}

}  // namespace
}  // namespace dualuse::authority
