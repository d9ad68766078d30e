// The authority service over its records: the whole flow, the no-undercut
// rule with consultations, the report against a direct count, repositories.
#include "dualuse/authority/authority.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "authority/test_util.h"
#include "dualuse/authority/codec.h"

namespace dualuse::authority {
namespace {

using testing::AssessAll;
using testing::FilingJson;
using testing::FilingSpec;
using Json = nlohmann::json;

Date D(const char* s) { return *Date::Parse(s); }

class AuthorityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = CriteriaCatalogue::Load(DUALUSE_SOURCE_DIR "/data/law/authority/criteria.json");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cat_ = *c;
    AuthorityOptions o;
    o.authority_code = "NL";
    o.authority_name = "Minister for Foreign Trade <test>";
    auth_ = std::make_unique<Authority>(&repo_, cat_, o);
  }

  Application File(const FilingSpec& s) {
    auto app = ApplicationFromFiling(FilingJson(s).dump(), "f");
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    auto filed = auth_->File(*app, "exporter1");
    EXPECT_TRUE(filed.ok()) << filed.status().ToString();
    return *filed;
  }

  Decision Grant(const std::string& app_id, double q = 10, double v = 100000) {
    Decision d;
    d.application_id = app_id;
    d.date = D("2026-03-10");
    d.kind = DecisionKind::kGrant;
    d.validity = {D("2026-04-01"), D("2027-04-01")};
    d.allowances = {{"1", q, v}};
    return d;
  }

  Decision Deny(const std::string& app_id) {
    Decision d;
    d.application_id = app_id;
    d.date = D("2026-03-10");
    d.kind = DecisionKind::kDeny;
    d.reason = "Clear risk of use for internal repression by the end-user.";
    d.criteria = {"cp-2008-944/criterion-2"};
    return d;
  }

  size_t RecordCount() { return repo_.Records()->size(); }

  // An assessment a denial on criterion 2 can rest on.
  CriteriaAssessment ConcernOnTwo(const std::string& app_id) {
    return AssessAll(*cat_, app_id, CriterionFinding::kNoConcern,
                     {{"cp-2008-944/criterion-2", CriterionFinding::kConcern}});
  }

  InMemoryRepository repo_;
  std::shared_ptr<const CriteriaCatalogue> cat_;
  std::unique_ptr<Authority> auth_;
};

TEST_F(AuthorityTest, GrantBookAndRefuseBeyondLicence) {
  Application app = File({});
  EXPECT_EQ(app.id, "APP-1");
  // No decision without the criteria assessment.
  auto early = auth_->Decide(Grant(app.id), "officer1");
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().message().find("no criteria assessment"), std::string::npos);
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, app.id), "officer1").ok());
  // More than applied for is refused.
  auto too_much = auth_->Decide(Grant(app.id, 11), "officer1");
  ASSERT_FALSE(too_much.ok());
  EXPECT_NE(too_much.error().message().find("at most the 10 applied for"), std::string::npos);
  size_t before = RecordCount();
  auto dec = auth_->Decide(Grant(app.id, 10, 90000), "officer1");
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_EQ(RecordCount(), before + 2);  // decision + licence
  auto cf = auth_->Case(app.id, D("2026-03-10"));
  ASSERT_TRUE(cf.ok());
  ASSERT_TRUE(cf->licence.has_value());
  std::string lic = cf->licence->id;

  Booking b;
  b.licence_id = lic;
  b.item_id = "1";
  b.date = D("2026-05-01");
  b.quantity = 6;
  b.value_eur = 54000;
  ASSERT_TRUE(auth_->Book(b, "exporter1").ok());
  b.quantity = 5;
  auto over = auth_->Book(b, "exporter1");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(over.error().message().find("exceeds what is left (4 of 10"), std::string::npos)
      << over.error().message();
  b.quantity = 4;
  b.value_eur = 36000;
  b.date = D("2027-04-02");
  auto late = auth_->Book(b, "exporter1");
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().message().find("expired"), std::string::npos);
  b.date = D("2027-03-31");
  ASSERT_TRUE(auth_->Book(b, "exporter1").ok());
  cf = auth_->Case(app.id, D("2027-03-31"));
  ASSERT_EQ(cf->remaining.size(), 1u);
  EXPECT_DOUBLE_EQ(*cf->remaining[0].quantity, 0);
  EXPECT_DOUBLE_EQ(*cf->remaining[0].value_eur, 0);
  // Decided once only; the assessment is frozen.
  EXPECT_FALSE(auth_->Decide(Deny(app.id), "officer1").ok());
  EXPECT_FALSE(auth_->Assess(AssessAll(*cat_, app.id), "officer1").ok());
}

// The licence register (GET /authority/licences): status on a date and the
// filters a licensing officer uses.
TEST_F(AuthorityTest, LicenceRegisterStatusesAndFilters) {
  Application a = File({});  // Example B.V., CN, 5A001.j, 10 / EUR 100,000
  FilingSpec sb;
  sb.reference = "PO-B";
  sb.destination = "IN";
  sb.end_user_country = "IN";
  sb.entries = {"4A005"};
  Json jb = FilingJson(sb);
  jb["request"]["exporter"]["name"] = "Überwachung GmbH";
  auto parsed = ApplicationFromFiling(jb.dump(), "b.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto b = auth_->File(*parsed, "exporter2");
  ASSERT_TRUE(b.ok());
  File({.reference = "PO-C"});  // never decided: no licence

  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, a.id), "officer1").ok());
  ASSERT_TRUE(auth_->Decide(Grant(a.id, 10, 100000), "officer1").ok());  // [2026-04-01, 2027-04-01)
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, b->id), "officer1").ok());
  Decision global;
  global.application_id = b->id;
  global.date = D("2026-03-10");
  global.kind = DecisionKind::kGrant;
  global.licence_type = LicenceType::kGlobal;
  global.validity = {D("2026-03-10"), D("2026-06-01")};
  ASSERT_TRUE(auth_->Decide(global, "officer1").ok());
  Booking bk;
  bk.licence_id = "LIC-1";
  bk.item_id = "1";
  bk.date = D("2026-05-01");
  bk.quantity = 4;
  bk.value_eur = 30000;
  ASSERT_TRUE(auth_->Book(bk, "exporter1").ok());
  bk.date = D("2026-05-03");
  bk.quantity = 6;
  bk.value_eur = 20000;
  ASSERT_TRUE(auth_->Book(bk, "exporter1").ok());  // quantity used up

  auto statuses = [&](const char* as_of) {
    std::vector<std::string> out;
    auto list = auth_->Licences(D(as_of));
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    for (const auto& e : *list)
      out.push_back(e.licence.id + ":" + LicenceStatusName(e.status));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(statuses("2026-03-20"), (V{"LIC-1:not_yet_valid", "LIC-2:active"}));
  EXPECT_EQ(statuses("2026-04-30"), (V{"LIC-1:active", "LIC-2:active"}));
  EXPECT_EQ(statuses("2026-05-03"), (V{"LIC-1:exhausted", "LIC-2:active"}));
  EXPECT_EQ(statuses("2026-06-01"), (V{"LIC-1:exhausted", "LIC-2:expired"}));
  EXPECT_EQ(statuses("2027-04-01"), (V{"LIC-1:expired", "LIC-2:expired"}));

  struct Case {
    LicenceFilter filter;
    V want;
  } cases[] = {
      {{}, {"LIC-1", "LIC-2"}},
      {{.statuses = {LicenceStatus::kActive}}, {"LIC-2"}},
      {{.statuses = {LicenceStatus::kExhausted, LicenceStatus::kExpired}}, {"LIC-1"}},
      {{.statuses = {LicenceStatus::kExpired}}, {}},
      {{.holder = "example"}, {"LIC-1"}},
      {{.holder = "ÜBERWACHUNG"}, {"LIC-2"}},  // Unicode case folding (NormaliseName)
      {{.holder = "b.v"}, {"LIC-1"}},
      {{.holder = "Acme"}, {}},
      {{.destination = "IN"}, {"LIC-2"}},
      {{.type = LicenceType::kIndividual}, {"LIC-1"}},
      {{.case_id = b->id}, {"LIC-2"}},
      {{.entry = "5A001"}, {"LIC-1"}},
      {{.entry = "5A001.j"}, {"LIC-1"}},
      {{.entry = "5A001.j.2"}, {}},  // narrower than what was granted
      {{.entry = "5A00"}, {}},       // not an entry boundary
      {{.entry = "5"}, {"LIC-1"}},   // category
      {{.entry = "4A"}, {"LIC-2"}},  // product group
      {{.statuses = {LicenceStatus::kActive}, .destination = "CN"}, {}},
  };
  for (const auto& c : cases) {
    auto list = auth_->Licences(D("2026-05-10"), c.filter);
    ASSERT_TRUE(list.ok());
    V got;
    for (const auto& e : *list)
      got.push_back(e.licence.id);
    EXPECT_EQ(got, c.want) << c.filter.holder << c.filter.destination << c.filter.entry;
  }

  // The register's JSON: granted, used and remaining per item, the item line.
  auto list = auth_->Licences(D("2026-05-10"));
  ASSERT_TRUE(list.ok());
  Json j = Json::parse(LicencesToJson(*list, D("2026-05-10")));
  EXPECT_EQ(j["schema"], "dualuse.authority-licences/1");
  EXPECT_EQ(j["as_of"], "2026-05-10");
  ASSERT_EQ(j["licences"].size(), 2u);
  const Json& l1 = j["licences"][0];
  EXPECT_EQ(l1["licence_number"], "LIC-1");
  EXPECT_EQ(l1["case_id"], a.id);
  EXPECT_EQ(l1["holder"], "Example B.V.");
  EXPECT_EQ(l1["status"], "exhausted");
  EXPECT_EQ(l1["validity"]["until"], "2027-04-01");
  EXPECT_EQ(l1["bookings"], 2);
  EXPECT_EQ(l1["last_booked_on"], "2026-05-03");
  ASSERT_EQ(l1["items"].size(), 1u);
  EXPECT_EQ(l1["items"][0]["description"], "IP network surveillance system");
  EXPECT_EQ(l1["items"][0]["control_entries"], Json::array({"5A001.j"}));
  EXPECT_EQ(l1["items"][0]["granted"], (Json{{"quantity", 10.0}, {"value_eur", 100000.0}}));
  EXPECT_EQ(l1["items"][0]["used"], (Json{{"quantity", 10.0}, {"value_eur", 50000.0}}));
  EXPECT_EQ(l1["items"][0]["remaining"], (Json{{"quantity", 0.0}, {"value_eur", 50000.0}}));
  const Json& l2 = j["licences"][1];
  EXPECT_EQ(l2["holder"], "Überwachung GmbH");
  EXPECT_EQ(l2["type"], "global");
  EXPECT_TRUE(l2["last_booked_on"].is_null());
  EXPECT_TRUE(l2["items"][0]["granted"]["quantity"].is_null());  // no limit
  EXPECT_TRUE(l2["items"][0]["remaining"]["value_eur"].is_null());
}

TEST_F(AuthorityTest, ClearRiskUnderCriterionTwoBlocksGrant) {
  Application app = File({});
  ASSERT_TRUE(auth_
                  ->Assess(AssessAll(*cat_, app.id, CriterionFinding::kNoConcern,
                                     {{"cp-2008-944/criterion-2", CriterionFinding::kClearRisk}}),
                           "officer1")
                  .ok());
  size_t before = RecordCount();
  auto g = auth_->Decide(Grant(app.id), "officer1");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message().find("cp-2008-944/criterion-2"), std::string::npos);
  EXPECT_EQ(RecordCount(), before);  // rejected: nothing appended
  auto d = auth_->Decide(Deny(app.id), "officer1");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto denials = auth_->Denials();
  ASSERT_EQ(denials->size(), 1u);
  EXPECT_EQ((*denials)[0].id, "NL-DEN-1");
  EXPECT_EQ((*denials)[0].entries, std::vector<std::string>{"5A001.j"});
  EXPECT_EQ((*denials)[0].end_user_name, "Example Telecom Co., Ltd");
}

// Art 16(2): an essentially identical application cannot be granted until the
// issuing authority has been consulted; a non-identical one can.
TEST_F(AuthorityTest, NoUndercutWithoutConsultation) {
  Application first = File({});
  ASSERT_TRUE(auth_->Assess(ConcernOnTwo(first.id), "officer1").ok());
  ASSERT_TRUE(auth_->Decide(Deny(first.id), "officer1").ok());

  FilingSpec same;
  same.reference = "PO-2";
  same.entries = {"5A001.f.1"};  // same 5A001 family
  same.end_user = "EXAMPLE TELECOM CO. LTD";
  Application identical = File(same);
  auto cf = auth_->Case(identical.id, D("2026-03-10"));
  ASSERT_TRUE(cf.ok());
  ASSERT_EQ(cf->prior_denials.size(), 1u);
  EXPECT_EQ(cf->unconsulted_denials, std::vector<std::string>{"NL-DEN-1"});
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, identical.id), "officer1").ok());
  auto refused = auth_->Decide(Grant(identical.id), "officer1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("essentially identical to denial NL-DEN-1"),
            std::string::npos);
  Consultation c;
  c.application_id = identical.id;
  c.denial_id = "NL-DEN-1";
  c.date = D("2026-03-09");
  c.outcome = "The end-user has changed ownership; no objection.";
  auto con = auth_->Consult(c, "officer1");
  ASSERT_TRUE(con.ok()) << con.status().ToString();
  EXPECT_EQ(con->consulted_authority, "NL");
  auto granted = auth_->Decide(Grant(identical.id), "officer1");
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  auto letter = auth_->DecisionLetter(granted->id);
  ASSERT_TRUE(letter.ok());
  EXPECT_NE(letter->find(cat_->FindCitation("denials_examined")->text), std::string::npos);

  FilingSpec other;
  other.reference = "PO-3";
  other.entries = {"5A002.a"};  // other family: not identical
  Application different = File(other);
  ASSERT_TRUE(auth_->Case(different.id, D("2026-03-10"))->prior_denials.empty());
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, different.id), "officer1").ok());
  EXPECT_TRUE(auth_->Decide(Grant(different.id), "officer1").ok());
}

TEST_F(AuthorityTest, NotificationDecisions) {
  FilingSpec s;
  s.verdict = "notify_authority";
  s.entries = {};
  Application n = File(s);
  EXPECT_EQ(n.kind, FilingKind::kNotification);
  auto wrong = auth_->Decide(Grant(n.id), "officer1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("impose_requirement"), std::string::npos);
  Decision d;
  d.application_id = n.id;
  d.date = D("2026-03-10");
  d.kind = DecisionKind::kImposeRequirement;
  EXPECT_FALSE(auth_->Decide(d, "officer1").ok());  // needs a reason
  d.reason = "The end-user is a security service with a record of repression.";
  auto ok = auth_->Decide(d, "officer1");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto letter = auth_->DecisionLetter(ok->id);
  ASSERT_TRUE(letter.ok());
  // Cyber-surveillance item: the Art 5(2) citation, from the data.
  EXPECT_NE(letter->find(cat_->FindCitation("notification_art5")->text), std::string::npos);
  // The authority name is escaped.
  EXPECT_NE(letter->find("Minister for Foreign Trade &lt;test&gt;"), std::string::npos);
  EXPECT_EQ(letter->find("<test>"), std::string::npos);
}

TEST_F(AuthorityTest, DenialLetterCitesDataAndCriteria) {
  Application app = File({});
  ASSERT_TRUE(auth_->Assess(AssessAll(*cat_, app.id), "officer1").ok());
  // A denial must rest on criteria the assessment found a concern.
  auto unfounded = auth_->Decide(Deny(app.id), "officer1");
  ASSERT_FALSE(unfounded.ok());
  EXPECT_NE(unfounded.error().message().find("was assessed no_concern"), std::string::npos);
  ASSERT_TRUE(auth_->Assess(ConcernOnTwo(app.id), "officer1").ok());
  auto d = auth_->Decide(Deny(app.id), "officer1");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto letter = auth_->DecisionLetter(d->id);
  ASSERT_TRUE(letter.ok());
  for (const char* key : {"deny", "considerations", "common_position", "records"}) {
    EXPECT_NE(letter->find(cat_->FindCitation(key)->text), std::string::npos) << key;
  }
  EXPECT_NE(letter->find("Criterion Two"), std::string::npos);
  EXPECT_NE(letter->find("Sources of the citations"), std::string::npos);
}

// The letter in Dutch (data/messages "letter.*"): the same decision with
// Dutch texts and the Dutch citations of the law data, no English sentence of
// the letter left; both languages state the objection (bezwaar) of the
// Algemene wet bestuursrecht for an NL authority, citing the data.
TEST_F(AuthorityTest, DecisionLetterInDutchWithObjectionClause) {
  Application app = File({});
  ASSERT_TRUE(auth_->Assess(ConcernOnTwo(app.id), "officer1").ok());
  auto d = auth_->Decide(Deny(app.id), "officer1");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto en = auth_->DecisionLetter(d->id);
  auto nl = auth_->DecisionLetter(d->id, "nl");
  ASSERT_TRUE(en.ok());
  ASSERT_TRUE(nl.ok());
  const Citation* objection = cat_->FindCitation("objection_NL");
  ASSERT_NE(objection, nullptr);
  EXPECT_NE(en->find(objection->text), std::string::npos);
  EXPECT_NE(en->find("within six weeks"), std::string::npos);
  EXPECT_NE(nl->find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(nl->find("Tegen dit besluit kan binnen zes weken na de dag waarop het is bekendgemaakt "
                     "bezwaar worden gemaakt"),
            std::string::npos);
  EXPECT_NE(nl->find(objection->TextIn("nl")), std::string::npos);
  for (const char* key : {"deny", "considerations", "common_position", "records"}) {
    const Citation* c = cat_->FindCitation(key);
    ASSERT_NE(c->TextIn("nl"), c->text) << key << " has no Dutch text";
    EXPECT_NE(nl->find(c->TextIn("nl")), std::string::npos) << key;
  }
  for (const char* english : {"Sources of the citations", "Keep the records", "is <strong>refused",
                              "Decided by", "The refusal rests on", "Our reference"}) {
    EXPECT_NE(en->find(english), std::string::npos) << english;
    EXPECT_EQ(nl->find(english), std::string::npos) << english;
  }
  // Another Member State's authority: no objection clause the data does not give.
  InMemoryRepository other_repo;
  AuthorityOptions o;
  o.authority_code = "DE";
  Authority other(&other_repo, cat_, o);
  EXPECT_EQ(cat_->FindCitation("objection_DE"), nullptr);
}

TEST_F(AuthorityTest, DenialsImportExport) {
  Application app = File({});
  ASSERT_TRUE(auth_->Assess(ConcernOnTwo(app.id), "officer1").ok());
  ASSERT_TRUE(auth_->Decide(Deny(app.id), "officer1").ok());
  auto exported = auth_->ExportDenials(D("2026-04-01"));
  ASSERT_TRUE(exported.ok());

  // Another authority imports them; re-import is idempotent.
  InMemoryRepository other_repo;
  AuthorityOptions o;
  o.authority_code = "DE";
  Authority other(&other_repo, cat_, o);
  EXPECT_EQ(*other.ImportDenials(*exported, "nl.json", "officer2"), 1);
  EXPECT_EQ(*other.ImportDenials(*exported, "nl.json", "officer2"), 0);
  // Same id, other content: refused, nothing recorded.
  Json j = Json::parse(*exported);
  j["denials"][0]["reason"] = "changed";
  auto conflict = other.ImportDenials(j.dump(), "nl.json", "officer2");
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(other_repo.Records()->size(), 1u);
  // The imported denial flags an identical application there too.
  auto filing = ApplicationFromFiling(FilingJson({}).dump(), "f");
  auto filed = other.File(*filing, "exporter");
  ASSERT_TRUE(filed.ok());
  auto cf = other.Case(filed->id, D("2026-04-02"));
  ASSERT_EQ(cf->prior_denials.size(), 1u);
  EXPECT_EQ(cf->prior_denials[0].issuing_authority, "NL");
}

// ------------------------------------------------------------------ report

struct Scenario {
  const char* destination;
  std::vector<std::string> entries;
  bool cyber;
  const char* verdict;
  const char* filed_on;
  const char* decision;  // grant, deny, impose_requirement, no_requirement, "" = undecided
  const char* decided_on;
};

// A direct count over the records' JSON, written independently of report.cc:
// the reference the report must equal.
std::map<std::string, long> DirectCount(const std::vector<Record>& records, int year) {
  std::map<std::string, Json> filings;
  for (const auto& r : records) {
    if (r.kind == kFilingRecord) filings[r.id] = Json::parse(r.payload);
  }
  std::map<std::string, long> n;
  auto categories = [](const Json& f) {
    std::set<std::string> cats;
    for (const auto& it : f["items"]) {
      if (it["control_entries"].empty()) cats.insert("not listed");
      for (const auto& e : it["control_entries"])
        cats.insert(e.get<std::string>().substr(0, 1));
    }
    return cats;
  };
  auto cyber = [](const Json& f) {
    for (const auto& it : f["items"]) {
      if (it["cyber_surveillance"].get<bool>()) return true;
    }
    return false;
  };
  auto count = [&](const Json& f, const std::string& what) {
    ++n["total/" + what];
    ++n["destination/" + f["destination"].get<std::string>() + "/" + what];
    for (const auto& c : categories(f))
      ++n["category/" + c + "/" + what];
    if (cyber(f)) {
      ++n["cyber/" + what];
      ++n["cyber_destination/" + f["destination"].get<std::string>() + "/" + what];
    }
  };
  for (const auto& [id, f] : filings) {
    if (std::stoi(f["filed_on"].get<std::string>().substr(0, 4)) == year) {
      count(f, f["kind"].get<std::string>());
    }
  }
  for (const auto& r : records) {
    if (r.kind != kDecisionRecord) continue;
    Json d = Json::parse(r.payload);
    if (std::stoi(d["date"].get<std::string>().substr(0, 4)) != year) continue;
    count(filings.at(d["application_id"].get<std::string>()), d["kind"].get<std::string>());
  }
  return n;
}

std::map<std::string, long> Flatten(const TransparencyReport& r) {
  std::map<std::string, long> n;
  auto put = [&](const std::string& prefix, const ReportRow& row) {
    const std::pair<const char*, long> cols[] = {{"application", row.applications},
                                                 {"notification", row.notifications},
                                                 {"grant", row.grants},
                                                 {"deny", row.denials},
                                                 {"impose_requirement", row.requirements_imposed},
                                                 {"no_requirement", row.no_requirement}};
    for (const auto& [k, v] : cols) {
      if (v) n[prefix + k] = v;
    }
  };
  put("total/", r.total);
  for (const auto& [k, row] : r.by_destination)
    put("destination/" + k + "/", row);
  for (const auto& [k, row] : r.by_category)
    put("category/" + k + "/", row);
  put("cyber/", r.cyber_total);
  for (const auto& [k, row] : r.cyber_by_destination)
    put("cyber_destination/" + k + "/", row);
  return n;
}

TEST_F(AuthorityTest, ReportEqualsDirectCountOverRecords) {
  const Scenario scenarios[] = {
      {"CN", {"5A001.j"}, true, "licence_required", "2026-01-10", "deny", "2026-02-01"},
      {"CN", {"5A001.j"}, true, "licence_required", "2026-01-11", "grant", "2026-02-02"},
      {"AE", {"4A005", "5A001.j"}, true, "licence_required", "2026-02-01", "grant", "2026-03-01"},
      {"AE", {"3A001.a"}, false, "licence_required", "2026-02-03", "grant", "2026-03-01"},
      {"RU", {"1C001"}, false, "licence_required", "2026-02-04", "deny", "2026-03-02"},
      {"IN", {}, true, "notify_authority", "2026-03-01", "impose_requirement", "2026-03-20"},
      {"IN", {}, false, "notify_authority", "2026-03-02", "no_requirement", "2026-03-21"},
      {"BR", {"5D002"}, false, "licence_required", "2026-04-01", "", ""},
      {"CN", {"5E001.c"}, true, "licence_required", "2025-12-20", "grant", "2026-01-15"},
      {"CN", {"5A002.a"}, false, "licence_required", "2026-12-20", "deny", "2027-01-15"},
      {"TR", {"6A003"}, false, "licence_required", "2025-06-01", "deny", "2025-07-01"},
  };
  int i = 0;
  for (const auto& sc : scenarios) {
    FilingSpec s;
    s.reference = "PO-" + std::to_string(++i);
    s.destination = sc.destination;
    s.end_user = "End User " + std::to_string(i);
    s.end_user_country = sc.destination;
    s.entries = sc.entries;
    s.cyber = sc.cyber;
    s.verdict = sc.verdict;
    s.filed_on = sc.filed_on;
    Application app = File(s);
    std::string kind = sc.decision;
    if (kind.empty()) continue;
    CriteriaAssessment a = ConcernOnTwo(app.id);
    a.date = D(sc.filed_on);
    if (app.kind == FilingKind::kApplication) {
      ASSERT_TRUE(auth_->Assess(a, "officer1").ok());
    }
    Decision d;
    d.application_id = app.id;
    d.date = D(sc.decided_on);
    ASSERT_TRUE(ParseDecisionKind(kind, &d.kind));
    d.reason = "reason";
    d.criteria = {"cp-2008-944/criterion-2"};
    d.validity = {d.date, D("2028-01-01")};
    d.allowances = {{"1", 5.0, 50000.0}};
    auto r = auth_->Decide(d, "officer1");
    ASSERT_TRUE(r.ok()) << sc.destination << " " << r.status().ToString();
  }
  auto records = repo_.Records();
  for (int year : {2025, 2026, 2027}) {
    auto report = auth_->Report(year);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    std::map<std::string, long> expected = DirectCount(*records, year);
    EXPECT_EQ(Flatten(*report), expected) << year;
  }
  // Spot checks a person can verify by reading the table above.
  auto r2026 = *auth_->Report(2026);
  EXPECT_EQ(r2026.total.applications, 7);  // incl. the undecided BR and the December CN filing
  EXPECT_EQ(r2026.total.notifications, 2);
  EXPECT_EQ(r2026.total.grants, 4);
  EXPECT_EQ(r2026.total.denials, 2);
  EXPECT_EQ(r2026.cyber_total.grants, 3);
  EXPECT_EQ(r2026.by_category["5"].grants, 3);
  EXPECT_EQ(r2026.cyber_by_entry_family["5A001"].grants, 2);
  EXPECT_DOUBLE_EQ(r2026.total.granted_value_eur, 200000);
  EXPECT_EQ(r2026.denials_by_criterion["cp-2008-944/criterion-2"], 2);
  // CSV and HTML print the same numbers.
  std::string csv = ReportToCsv(r2026);
  EXPECT_NE(csv.find("total,2026,7,2,4,2,1,1,200000\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("cyber_destination,CN,"), std::string::npos);
  std::string html = ReportToHtml(r2026, "NL <authority>");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("NL &lt;authority&gt;"), std::string::npos);
  EXPECT_NE(html.find("Article 2(20)"), std::string::npos);
}

// ------------------------------------------------------------- repository

std::string TempPath(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string(name) + "-" + std::to_string(getpid()) + ".jsonl"))
      .string();
}

TEST(FileRepositoryTest, ChainDetectsEditsInsertionsAndDeletions) {
  std::string path = TempPath("authority-chain");
  std::filesystem::remove(path);
  {
    FileRepository repo(path);
    EXPECT_TRUE(repo.Records()->empty());
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(repo.Append({kFilingRecord, "APP-" + std::to_string(i), "{}", "a", ""}).ok());
    }
    auto recs = repo.Records();
    ASSERT_TRUE(recs.ok());
    ASSERT_EQ(recs->size(), 3u);
    EXPECT_EQ((*recs)[2].id, "APP-3");
    EXPECT_FALSE((*recs)[0].recorded_at.empty());
  }
  std::vector<std::string> lines;
  {
    std::ifstream in(path);
    for (std::string l; std::getline(in, l);)
      lines.push_back(l);
  }
  ASSERT_EQ(lines.size(), 3u);
  struct Case {
    const char* name;
    std::function<std::vector<std::string>(std::vector<std::string>)> tamper;
    const char* error;
  } cases[] = {
      {"modified",
       [](std::vector<std::string> l) {
         auto p = l[1].find("APP-2");
         l[1].replace(p, 5, "APP-9");
         return l;
       },
       "line 2: hash mismatch"},
      {"deleted",
       [](std::vector<std::string> l) {
         l.erase(l.begin() + 1);
         return l;
       },
       "line 2: chain broken"},
      {"inserted",
       [](std::vector<std::string> l) {
         l.insert(l.begin() + 1, l[0]);
         return l;
       },
       "line 2: chain broken"},
      {"garbage",
       [](std::vector<std::string> l) {
         l[2] = "not json";
         return l;
       },
       "line 3: not a record line"},
  };
  for (const auto& c : cases) {
    std::string tampered = TempPath("authority-tampered");
    {
      std::ofstream out(tampered, std::ios::trunc);
      for (const auto& l : c.tamper(lines))
        out << l << "\n";
    }
    FileRepository repo(tampered);
    auto recs = repo.Records();
    ASSERT_FALSE(recs.ok()) << c.name;
    EXPECT_EQ(recs.error().code(), StatusCode::kDataLoss);
    EXPECT_NE(recs.error().message().find(c.error), std::string::npos) << recs.error().message();
    // Appending to a broken chain is refused too.
    EXPECT_FALSE(repo.Append({kFilingRecord, "X", "{}", "a", ""}).ok());
    std::filesystem::remove(tampered);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace dualuse::authority
