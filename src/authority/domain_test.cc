// Pure domain logic: filing from a determination, criteria checklist,
// licence depletion, denial matching and exchange.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "authority/test_util.h"
#include "dualuse/authority/codec.h"
#include "dualuse/authority/criteria.h"
#include "dualuse/authority/denials.h"
#include "dualuse/authority/licence.h"
#include "dualuse/base/sha256.h"
#include "dualuse/classify/due_diligence.h"

namespace dualuse::authority {
namespace {

using testing::AssessAll;
using testing::FilingJson;
using testing::FilingSpec;

std::shared_ptr<const CriteriaCatalogue> Catalogue() {
  auto c = CriteriaCatalogue::Load(DUALUSE_SOURCE_DIR "/data/law/authority/criteria.json");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return *c;
}

Date D(const char* s) { return *Date::Parse(s); }

// ------------------------------------------------------------------ filing

TEST(FilingTest, LicenceRequiredBecomesApplicationWithCaseFacts) {
  auto a = ApplicationFromFiling(FilingJson({}).dump(), "filing.json");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->kind, FilingKind::kApplication);
  EXPECT_EQ(a->destination, "CN");
  ASSERT_EQ(a->items.size(), 1u);
  EXPECT_EQ(a->items[0].classification_record, "CLS-7");
  ASSERT_EQ(a->parties.size(), 1u);
  EXPECT_EQ(a->parties[0].screening_status, "potential_match");
  ASSERT_EQ(a->parties[0].screening_matches.size(), 1u);
  EXPECT_EQ(a->parties[0].review_decision, "dismissed: other entity");
  ASSERT_EQ(a->grounds.size(), 1u);
  EXPECT_EQ(a->grounds[0].rule, "eu-2021-821/art-3-1");
  ASSERT_EQ(a->destination_facts.size(), 1u);
  EXPECT_EQ(a->due_diligence.size(), 1u);
  // Round trip through the record payload.
  auto back = ApplicationFromJson(ToJson(*a), "payload");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(*a));
}

TEST(FilingTest, VerdictDecidesKind) {
  struct Case {
    const char* verdict;
    bool ok;
    FilingKind kind;
  } cases[] = {
      {"licence_required", true, FilingKind::kApplication},
      {"notify_authority", true, FilingKind::kNotification},
      {"no_licence_required", false, FilingKind::kApplication},
      {"prohibited", false, FilingKind::kApplication},
      {"general_authorisation", false, FilingKind::kApplication},
  };
  for (const auto& c : cases) {
    FilingSpec s;
    s.verdict = c.verdict;
    auto a = ApplicationFromFiling(FilingJson(s).dump(), "f.json");
    EXPECT_EQ(a.ok(), c.ok) << c.verdict;
    if (a.ok()) {
      EXPECT_EQ(a->kind, c.kind) << c.verdict;
    } else {
      EXPECT_EQ(a.error().code(), StatusCode::kFailedPrecondition) << c.verdict;
    }
  }
}

TEST(FilingTest, BadInputNamesFileAndPlace) {
  struct Case {
    std::function<void(nlohmann::json&)> mutate;
    const char* expected;
  } cases[] = {
      {[](nlohmann::json& j) { j["schema"] = "x"; }, "f.json: $.schema:"},
      {[](nlohmann::json& j) { j.erase("request"); }, "f.json: $.request: missing"},
      {[](nlohmann::json& j) { j["request"]["destination"] = "China"; }, "$.request.destination"},
      {[](nlohmann::json& j) { j["request"]["items"] = nlohmann::json::array(); },
       "$.request.items"},
      {[](nlohmann::json& j) { j["request"]["items"][0]["quantity"] = "ten"; },
       "$.request.items[0].quantity: expected a number"},
      {[](nlohmann::json& j) { j["determination"]["screening"][0]["party"] = 5; },
       "$.determination.screening[0].party"},
      {[](nlohmann::json& j) { j["determination"]["reference"] = "OTHER"; },
       "$.determination.reference"},
      {[](nlohmann::json& j) { j["licence_type"] = "eternal"; }, "$.licence_type"},
  };
  for (const auto& c : cases) {
    nlohmann::json j = FilingJson({});
    c.mutate(j);
    auto a = ApplicationFromFiling(j.dump(), "f.json");
    ASSERT_FALSE(a.ok()) << c.expected;
    EXPECT_EQ(a.error().code(), StatusCode::kInvalidArgument) << a.error().message();
    EXPECT_NE(a.error().message().find(c.expected), std::string::npos) << a.error().message();
  }
  auto bad = ApplicationFromFiling("{not json", "f.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().rfind("f.json: $:", 0), 0u);
}

// The determination's notification (dualuse.notification/1) reaches the
// case file: what was notified, the article, the record's id and SHA-256.
TEST(FilingTest, NotificationOfTheDeterminationIsKept) {
  nlohmann::json filing = testing::NotificationFilingJson();
  const nlohmann::json& sent = filing["determination"]["notification"];
  auto a = ApplicationFromFiling(filing.dump(), "filing.json");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->kind, FilingKind::kNotification);
  ASSERT_TRUE(a->notification.has_value());
  const NotificationLine& n = *a->notification;
  EXPECT_EQ(n.basis, "Regulation (EU) 2021/821, Article 5(2)");
  EXPECT_EQ(n.statement, sent["statement"]);
  EXPECT_EQ(n.subject, sent["subject"]);
  EXPECT_EQ(n.to, sent["to"]);
  EXPECT_EQ(n.from, "Example B.V.");
  EXPECT_EQ(n.record_id, "PO-2026-0077");
  EXPECT_EQ(n.record_sha256, sent["record_sha256"]);
  EXPECT_EQ(n.record_sha256, Sha256Hex(classify::DueDiligenceToJson(testing::AwareRecord())));
  EXPECT_EQ(n.conclusion, "aware");
  EXPECT_EQ(n.concerns, std::vector<std::string>{"internal_repression"});
  EXPECT_NE(n.reasoning.find("internal repression"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(n.record_json), sent["record"]);
  // Round trip through the record payload, and into the case file.
  auto back = ApplicationFromJson(ToJson(*a), "payload");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(*a));
  nlohmann::json shown = nlohmann::json::parse(ToJson(*back))["notification"];
  EXPECT_EQ(shown["basis"], "Regulation (EU) 2021/821, Article 5(2)");
  EXPECT_EQ(shown["record_id"], "PO-2026-0077");
  EXPECT_EQ(shown["record_sha256"], sent["record_sha256"]);
  EXPECT_EQ(shown["record"], sent["record"]);
  // Without a notification in the determination there is none in the case.
  auto plain = ApplicationFromFiling(FilingJson({}).dump(), "filing.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->notification.has_value());
  EXPECT_TRUE(nlohmann::json::parse(ToJson(*plain))["notification"].is_null());
}

// A notification whose record cannot be verified is not filed.
TEST(FilingTest, NotificationThatDoesNotVerifyIsRefused) {
  classify::DueDiligenceRecord not_aware;
  {
    std::ifstream in(DUALUSE_SOURCE_DIR "/tests/data/classify/due-diligence-not-aware.json");
    std::stringstream text;
    text << in.rdbuf();
    auto r = classify::ParseDueDiligence(text.str(), "not-aware.json");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    not_aware = *r;
    not_aware.reference = "PO-2026-0077";
  }
  using J = nlohmann::json;
  struct Case {
    std::function<void(J& notification, J& filing)> mutate;
    const char* expected;
  } cases[] = {
      {[](J& n, J&) { n["schema"] = "dualuse.notification/2"; },
       "f.json: $.determination.notification.schema: \"dualuse.notification/2\" is not"},
      {[](J& n, J&) { n.erase("statement"); }, "$.determination.notification.statement: missing"},
      {[](J& n, J&) { n.erase("record"); }, "$.determination.notification.record: missing"},
      {[](J& n, J&) { n["record_sha256"] = std::string(64, '0'); },
       "$.determination.notification.record_sha256: \"000"},
      {[](J& n, J&) { n["record"]["conclusion"]["reasoning"] = "edited after hashing"; },
       "does not match the record it carries"},
      {[](J& n, J&) { n["record"]["conclusion"]["value"] = "certain"; },
       "f.json: $.determination.notification.record: $.conclusion.value: \"certain\""},
      {[](J&, J& f) { f["determination"]["findings"][2]["record"]["sha256"] = "abc"; },
       "$.determination.findings[2].record.sha256: \"abc\" differs"},
      {[&](J& n, J&) {
         n["record"] = J::parse(classify::DueDiligenceToJson(not_aware));
         n["record_sha256"] = Sha256Hex(classify::DueDiligenceToJson(not_aware));
       },
       "$.determination.findings[2].record.sha256"},
      {[&](J& n, J& f) {
         n["record"] = J::parse(classify::DueDiligenceToJson(not_aware));
         n["record_sha256"] = Sha256Hex(classify::DueDiligenceToJson(not_aware));
         f["determination"]["findings"].erase(2);
       },
       "$.determination.notification.record.conclusion.value: \"not_aware\""},
      {[](J&, J& f) {
         f["request"]["reference"] = "PO-OTHER";
         f["determination"]["reference"] = "PO-OTHER";
       },
       "$.determination.notification.record.reference: \"PO-2026-0077\" differs"},
  };
  for (const auto& c : cases) {
    J filing = testing::NotificationFilingJson();
    J notification = filing["determination"]["notification"];
    c.mutate(notification, filing);
    filing["determination"]["notification"] = notification;
    auto a = ApplicationFromFiling(filing.dump(), "f.json");
    ASSERT_FALSE(a.ok()) << c.expected;
    EXPECT_EQ(a.error().code(), StatusCode::kInvalidArgument) << a.error().message();
    EXPECT_NE(a.error().message().find(c.expected), std::string::npos) << a.error().message();
  }
}

// ---------------------------------------------------------------- criteria

TEST(CriteriaTest, CatalogueFromDataHasArt15AndEightCriteria) {
  auto cat = Catalogue();
  int art15 = 0, cp = 0;
  for (const auto& c : cat->criteria()) {
    EXPECT_FALSE(c.source.empty()) << c.id;
    EXPECT_TRUE(c.verification == "V" || c.verification == "S" || c.verification == "K") << c.id;
    if (c.id.rfind("eu-2021-821/art-15-1-", 0) == 0) ++art15;
    if (c.id.rfind("cp-2008-944/criterion-", 0) == 0) ++cp;
  }
  EXPECT_EQ(art15, 4);
  EXPECT_EQ(cp, 8);
  const Criterion* c2 = cat->Find("cp-2008-944/criterion-2");
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(c2->on_clear_risk, OnClearRisk::kDeny);
  EXPECT_NE(c2->text.find("internal repression"), std::string::npos);
  for (const char* key : {"grant_individual", "grant_global", "deny", "denials_examined",
                          "notification_art4", "notification_art5", "considerations"}) {
    EXPECT_NE(cat->FindCitation(key), nullptr) << key;
  }
}

TEST(CriteriaTest, CorruptCatalogueIsDataLoss) {
  const char* cases[] = {
      "{",
      R"({"schema":"dualuse.authority-criteria/1","criteria":[],"citations":{}})",
      R"({"schema":"dualuse.authority-criteria/1","criteria":[{"id":"a","group":"g","title":"t",
         "text":"x","source":"s","verification":"Q","on_clear_risk":"deny"}],"citations":{}})",
      R"({"schema":"dualuse.authority-criteria/1","criteria":[{"id":"a","group":"g","title":"t",
         "text":"x","source":"s","verification":"V","on_clear_risk":"maybe"}],"citations":{}})",
  };
  for (const char* c : cases) {
    auto r = CriteriaCatalogue::Parse(c, "criteria.json");
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss) << c;
  }
}

TEST(CriteriaTest, ValidateAssessment) {
  auto cat = Catalogue();
  struct Case {
    const char* name;
    std::function<void(CriteriaAssessment&)> mutate;
    const char* error;  // nullptr = OK
  } cases[] = {
      {"complete", [](CriteriaAssessment&) {}, nullptr},
      {"missing", [](CriteriaAssessment& a) { a.answers.pop_back(); }, "is not answered"},
      {"unknown", [](CriteriaAssessment& a) { a.answers[0].criterion = "cp-2008-944/criterion-9"; },
       "is not a criterion"},
      {"duplicate", [](CriteriaAssessment& a) { a.answers[1].criterion = a.answers[0].criterion; },
       "answered twice"},
      {"no reasoning", [](CriteriaAssessment& a) { a.answers[2].reasoning = "  "; },
       "$.answers[2].reasoning"},
  };
  for (const auto& c : cases) {
    CriteriaAssessment a = AssessAll(*cat, "APP-1");
    c.mutate(a);
    Status s = ValidateAssessment(a, *cat);
    if (!c.error) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.ToString();
    } else {
      EXPECT_NE(s.message().find(c.error), std::string::npos) << c.name << ": " << s.ToString();
    }
  }
}

TEST(CriteriaTest, ClearRiskOnCriterionTwoRequiresDenialButNotOnEight) {
  auto cat = Catalogue();
  struct Case {
    std::string criterion;
    CriterionFinding finding;
    std::vector<std::string> expected;
  } cases[] = {
      {"cp-2008-944/criterion-2", CriterionFinding::kClearRisk, {"cp-2008-944/criterion-2"}},
      {"cp-2008-944/criterion-2", CriterionFinding::kConcern, {}},
      {"cp-2008-944/criterion-8", CriterionFinding::kClearRisk, {}},
      {"eu-2021-821/art-15-1-d", CriterionFinding::kClearRisk, {"eu-2021-821/art-15-1-d"}},
  };
  for (const auto& c : cases) {
    auto a = AssessAll(*cat, "APP-1", CriterionFinding::kNoConcern, {{c.criterion, c.finding}});
    EXPECT_EQ(MandatoryDenialCriteria(a, *cat), c.expected) << c.criterion;
  }
}

// ----------------------------------------------------------------- licence

Licence TestLicence() {
  Licence l;
  l.id = "LIC-1";
  l.validity = {D("2026-04-01"), D("2027-04-01")};
  l.allowances = {{"1", 10.0, 100000.0}, {"2", std::nullopt, 5000.0}};
  return l;
}

Booking B(const char* date, const char* item, double q, double v) {
  Booking b;
  b.licence_id = "LIC-1";
  b.date = D(date);
  b.item_id = item;
  b.quantity = q;
  b.value_eur = v;
  return b;
}

TEST(LicenceTest, CheckBooking) {
  Licence l = TestLicence();
  std::vector<Booking> prior = {B("2026-05-01", "1", 6, 60000)};
  struct Case {
    Booking next;
    bool ok;
    const char* why;
  } cases[] = {
      {B("2026-06-01", "1", 4, 40000), true, ""},
      {B("2026-06-01", "1", 5, 10000), false,
       "quantity 5 exceeds what is left (4 of 10; 6 already booked)"},
      {B("2026-06-01", "1", 1, 40001), false, "value EUR 40001 exceeds what is left"},
      {B("2026-03-31", "1", 1, 1), false, "is valid from 2026-04-01"},
      {B("2027-04-01", "1", 1, 1), false, "expired: valid until 2027-03-31 inclusive"},
      {B("2027-03-31", "1", 1, 1), true, ""},
      {B("2026-06-01", "3", 1, 1), false, "does not cover item 3"},
      {B("2026-06-01", "1", 0, 1), false, "quantity must be greater than 0"},
      {B("2026-06-01", "2", 1000, 5000), true, ""},  // no quantity limit on item 2
      {B("2026-06-01", "2", 1, 5000.01), false, "value EUR"},
  };
  for (const auto& c : cases) {
    Status s = CheckBooking(l, prior, c.next);
    EXPECT_EQ(s.ok(), c.ok) << c.why << " / " << s.ToString();
    if (!c.ok) {
      EXPECT_NE(s.message().find(c.why), std::string::npos) << s.message();
    }
  }
}

// Reference twin: the remaining amounts recomputed by replaying bookings one
// at a time must equal the folded figures.
TEST(LicenceTest, RemainingEqualsReplayedBookings) {
  Licence l = TestLicence();
  std::vector<Booking> accepted;
  double q1 = 10, v1 = 100000, v2 = 5000;
  for (int i = 0; i < 40; ++i) {
    Booking b = B("2026-05-01", i % 3 == 0 ? "2" : "1", 1 + i % 3, 1000.0 * (1 + i % 5));
    if (CheckBooking(l, accepted, b).ok()) {
      accepted.push_back(b);
      if (b.item_id == "1") {
        q1 -= b.quantity;
        v1 -= b.value_eur;
      } else {
        v2 -= b.value_eur;
      }
    }
    EXPECT_GE(q1, 0);
    EXPECT_GE(v1, 0);
    EXPECT_GE(v2, 0);
  }
  auto rem = RemainingOnLicence(l, accepted);
  ASSERT_EQ(rem.size(), 2u);
  EXPECT_DOUBLE_EQ(*rem[0].quantity, q1);
  EXPECT_DOUBLE_EQ(*rem[0].value_eur, v1);
  EXPECT_FALSE(rem[1].quantity.has_value());
  EXPECT_DOUBLE_EQ(*rem[1].value_eur, v2);
}

TEST(LicenceTest, StatusOnADate) {
  Licence l = TestLicence();  // [2026-04-01, 2027-04-01); item 1: 10 / 100000, item 2: value 5000
  Licence global = l;
  global.type = LicenceType::kGlobal;
  global.allowances = {{"1", std::nullopt, std::nullopt}};
  struct Case {
    const Licence* licence;
    std::vector<Booking> bookings;
    const char* as_of;
    LicenceStatus want;
  } cases[] = {
      {&l, {}, "2026-03-31", LicenceStatus::kNotYetValid},
      {&l, {}, "2026-04-01", LicenceStatus::kActive},
      {&l, {}, "2027-03-31", LicenceStatus::kActive},
      {&l, {}, "2027-04-01", LicenceStatus::kExpired},  // `until` is exclusive
      // Item 1 used up by quantity, item 2 still has value: active.
      {&l, {B("2026-05-01", "1", 10, 1000)}, "2026-06-01", LicenceStatus::kActive},
      // Item 1 used up by value, item 2 by value: exhausted.
      {&l,
       {B("2026-05-01", "1", 1, 100000), B("2026-05-01", "2", 3, 5000)},
       "2026-06-01",
       LicenceStatus::kExhausted},
      {&l,
       {B("2026-05-01", "1", 10, 1), B("2026-05-01", "2", 1, 5000)},
       "2026-06-01",
       LicenceStatus::kExhausted},
      // Dates come first: used up and past its end is expired.
      {&l,
       {B("2026-05-01", "1", 10, 1), B("2026-05-01", "2", 1, 5000)},
       "2027-05-01",
       LicenceStatus::kExpired},
      // No limits: never exhausted.
      {&global, {B("2026-05-01", "1", 1e6, 1e9)}, "2026-06-01", LicenceStatus::kActive},
  };
  for (const auto& c : cases) {
    auto rem = RemainingOnLicence(*c.licence, c.bookings);
    EXPECT_EQ(LicenceStatusOn(*c.licence, rem, D(c.as_of)), c.want)
        << c.as_of << " " << LicenceStatusName(c.want);
  }
  for (auto s : {LicenceStatus::kNotYetValid, LicenceStatus::kActive, LicenceStatus::kExhausted,
                 LicenceStatus::kExpired}) {
    LicenceStatus back;
    ASSERT_TRUE(ParseLicenceStatus(LicenceStatusName(s), &back));
    EXPECT_EQ(back, s);
  }
  LicenceStatus ignored;
  EXPECT_FALSE(ParseLicenceStatus("revoked", &ignored));
}

// ----------------------------------------------------------------- denials

TEST(DenialsTest, EntryFamily) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {{"5A001.j", "5A001"},   {"5a001.j.2.b", "5A001"}, {"4D004", "4D004"},
               {" 5E001.c ", "5E001"}, {"NL:0x01", "NL:0X01"},   {"5A0", "5A0"}};
  for (const auto& c : cases)
    EXPECT_EQ(EntryFamily(c.in), c.out) << c.in;
}

TEST(DenialsTest, NormalisedExactMatch) {
  struct Case {
    const char* a;
    const char* b;
    bool match;
  } cases[] = {
      {"Example Telecom Co., Ltd", "EXAMPLE TELECOM CO LTD", true},
      {"Example  Telecom Co. Ltd.", "example telecom co ltd", true},
      {"Straße Systems", "STRASSE SYSTEMS", true},  // case folding
      {"Example Telecom Co., Ltd", "Example Telecom Company Limited", false},
      {"Example Telecom", "Sample Telecom", false},
      {"", "", false},
  };
  for (const auto& c : cases) {
    std::string why;
    EXPECT_EQ(NormalisedExactMatch(c.a, c.b, &why), c.match) << c.a << " / " << c.b << ": " << why;
    EXPECT_EQ(NormalisedExactMatch(c.b, c.a, nullptr), c.match) << "symmetric";
  }
}

Denial TestDenial() {
  Denial d;
  d.id = "DE-2025-17";
  d.issuing_authority = "DE";
  d.issued_on = D("2025-06-01");
  d.entries = {"5A001.f"};
  d.destination = "CN";
  d.end_user_name = "EXAMPLE TELECOM CO LTD";
  d.end_user_country = "CN";
  d.reason = "criterion 2";
  d.criteria = {"cp-2008-944/criterion-2"};
  return d;
}

// The no-undercut check (Art 16(2)): identical and non-identical transactions.
TEST(DenialsTest, EssentiallyIdentical) {
  struct Case {
    const char* name;
    std::function<void(FilingSpec&, Denial&)> mutate;
    const char* as_of;
    bool match;
  } cases[] = {
      {"identical: same family (5A001.j vs 5A001.f), destination, end-user",
       [](FilingSpec&, Denial&) {}, "2026-03-01", true},
      {"end-user spelled differently (punctuation, case)",
       [](FilingSpec& s, Denial&) { s.end_user = "example telecom co., ltd."; }, "2026-03-01",
       true},
      {"one of several entries shared",
       [](FilingSpec& s, Denial&) {
         s.entries = {"4A005", "5A001.j.1"};
       },
       "2026-03-01", true},
      {"other entry family", [](FilingSpec& s, Denial&) { s.entries = {"5A002.a"}; }, "2026-03-01",
       false},
      {"other destination",
       [](FilingSpec& s, Denial&) {
         s.destination = "VN";
         s.end_user_country = "";
       },
       "2026-03-01", false},
      {"other end-user", [](FilingSpec& s, Denial&) { s.end_user = "Other Networks Ltd"; },
       "2026-03-01", false},
      {"same name, other end-user country",
       [](FilingSpec& s, Denial&) { s.end_user_country = "HK"; }, "2026-03-01", false},
      {"denial withdrawn", [](FilingSpec&, Denial& d) { d.withdrawn_on = D("2026-01-01"); },
       "2026-03-01", false},
      {"denial withdrawn later: still in force",
       [](FilingSpec&, Denial& d) { d.withdrawn_on = D("2026-12-01"); }, "2026-03-01", true},
      {"denial issued after as_of", [](FilingSpec&, Denial&) {}, "2025-05-01", false},
      {"catch-all item without entries", [](FilingSpec& s, Denial&) { s.entries = {}; },
       "2026-03-01", false},
  };
  for (const auto& c : cases) {
    FilingSpec s;
    Denial d = TestDenial();
    c.mutate(s, d);
    auto app = ApplicationFromFiling(FilingJson(s).dump(), "f");
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    auto m = FindEssentiallyIdentical(*app, {d}, D(c.as_of), NormalisedExactMatch);
    EXPECT_EQ(!m.empty(), c.match) << c.name;
    if (!m.empty()) {
      EXPECT_EQ(m[0].denial_id, "DE-2025-17");
      EXPECT_EQ(m[0].shared_families, std::vector<std::string>{"5A001"});
    }
  }
}

TEST(DenialsTest, ExchangeRoundTrip) {
  Denial a = TestDenial();
  Denial b = TestDenial();
  b.id = "NL-DEN-1";
  b.issuing_authority = "NL";
  b.withdrawn_on = D("2026-01-01");
  std::string json = DenialsToJson({a, b}, "NL", D("2026-11-28"));
  auto back = DenialsFromJson(json, "denials.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(ToJson((*back)[0]), ToJson(a));
  EXPECT_EQ(ToJson((*back)[1]), ToJson(b));
}

TEST(DenialsTest, ImportRejectsBadDocuments) {
  nlohmann::json good = nlohmann::json::parse(DenialsToJson({TestDenial()}, "DE", D("2026-01-01")));
  struct Case {
    std::function<void(nlohmann::json&)> mutate;
    const char* error;
  } cases[] = {
      {[](nlohmann::json& j) { j["schema"] = "dualuse.denials/2"; }, "$.schema"},
      {[](nlohmann::json& j) { j["denials"][0]["entries"] = nlohmann::json::array(); },
       "$.denials[0].entries"},
      {[](nlohmann::json& j) { j["denials"][0]["destination"] = "CHN"; },
       "$.denials[0].destination"},
      {[](nlohmann::json& j) { j["denials"][0]["issued_on"] = "2025-13-01"; },
       "$.denials[0].issued_on"},
      {[](nlohmann::json& j) { j["denials"][0].erase("end_user"); }, "$.denials[0].end_user"},
      {[](nlohmann::json& j) { j["denials"].push_back(j["denials"][0]); }, "duplicate denial id"},
      {[](nlohmann::json& j) { j["denials"][0]["withdrawn_on"] = "2020-01-01"; },
       "$.denials[0].withdrawn_on"},
  };
  for (const auto& c : cases) {
    nlohmann::json j = good;
    c.mutate(j);
    auto r = DenialsFromJson(j.dump(), "in.json");
    ASSERT_FALSE(r.ok()) << c.error;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(c.error), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().rfind("in.json: ", 0), 0u);
  }
}

}  // namespace
}  // namespace dualuse::authority
