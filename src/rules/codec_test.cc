// Request parsing and serialisation: every malformed request gets one error
// naming the JSON path and what was expected (spec section 7).
#include "dualuse/rules/codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rules/test_util.h"

namespace dualuse::rules {
namespace {

struct BadCase {
  const char* name;
  const char* patch;   // merged into the base request (test_util.h); "!" + text: raw text
  const char* expect;  // the whole message after "test.json: "
};

TEST(CodecTest, MalformedRequestsNamePathAndExpectation) {
  BadCase cases[] = {
      {"not an object", "!42", "$: expected an object, got a number"},
      {"not JSON", "!{", "$: expected a JSON document"},
      {"missing activity", R"({"activity": null})", "$.activity: missing (required)"},
      {"unknown activity", R"({"activity": "smuggling"})",
       "$.activity: expected one of export, transmission, brokering, transit, "
       "technical_assistance, transfer, got \"smuggling\""},
      {"bad date", R"({"date": "2021-02-30"})",
       "$.date: expected a date YYYY-MM-DD, got \"2021-02-30\""},
      {"date of wrong type", R"({"date": 20210101})", "$.date: expected a string, got a number"},
      {"bad country", R"({"destination": "China"})",
       "$.destination: \"China\" is not an ISO 3166-1 alpha-2 country code (expected e.g. "
       "\"NL\")"},
      {"lower-case country", R"({"exporter": {"country": "nl"}})",
       "$.exporter.country: \"nl\" is not an ISO 3166-1 alpha-2 country code (expected e.g. "
       "\"NL\")"},
      {"items not an array", R"({"items": {"id": "1"}})",
       "$.items: expected an array, got an object"},
      {"no items", R"({"items": []})", "$.items: expected at least one item"},
      {"kind of wrong type", R"({"items": [{"kind": 5}]})",
       "$.items[0].kind: expected a string, got a number"},
      {"unknown kind", R"({"items": [{"kind": "service"}]})",
       "$.items[0].kind: expected one of goods, software, technology, got \"service\""},
      {"malformed Annex I code", R"({"items": [{"control_entries": ["5A001.j", "5A01.j"]}]})",
       "$.items[0].control_entries[1]: \"5A01.j\" is not an Annex I entry (expected e.g. "
       "5A001.j, or NL:<code> for a national list)"},
      {"control entry not a string", R"({"items": [{"control_entries": [5]}]})",
       "$.items[0].control_entries[0]: expected a string, got a number"},
      {"cyber flag not a boolean", R"({"items": [{"cyber_surveillance": "yes"}]})",
       "$.items[0].cyber_surveillance: expected true or false, got a string"},
      {"negative quantity", R"({"items": [{"quantity": -1}]})",
       "$.items[0].quantity: expected a number >= 0"},
      {"duplicate item id", R"({"items": [{"id": "1"}, {"id": "1", "kind": "goods"}]})",
       "$.items[1].id: duplicate item id \"1\""},
      {"unknown role", R"({"parties": [{"role": "friend"}]})",
       "$.parties[0].role: expected one of consignee, end_user, intermediate_consignee, "
       "purchaser, broker, agent, got \"friend\""},
      {"unknown sector", R"({"parties": [{"sector": "police"}]})",
       "$.parties[0].sector: expected one of government_security, law_enforcement, "
       "intelligence, military, telecom_operator, private, academic, other, got \"police\""},
      {"party without name", R"({"parties": [{"name": ""}]})",
       "$.parties[0].name: expected a non-empty string"},
      {"unknown concern", R"({"knowledge": {"aware": ["wmd", "espionage"]}})",
       "$.knowledge.aware[1]: expected one of wmd, military_end_use, "
       "military_parts_illegally_exported, internal_repression, public_security, human_rights, "
       "got \"espionage\""},
      {"brokering without origin", R"({"activity": "brokering"})",
       "$.origin: missing (required for brokering: the third country the items leave)"},
      {"wrong schema", R"({"schema": "dualuse.assessment/2"})",
       "$.schema: expected \"dualuse.assessment/1\", got \"dualuse.assessment/2\""},
      {"exporter missing", R"({"exporter": null})", "$.exporter: missing (required)"},
      {"unknown circumstance", R"({"export_circumstances": ["gift"]})",
       "$.export_circumstances[0]: expected one of after_repair_or_replacement, "
       "temporary_export_exhibition, intra_group, public_domain, basic_scientific_research, "
       "installation_maintenance_repair, got \"gift\""},
  };
  for (const BadCase& c : cases) {
    Result<AssessmentRequest> r = Status::Internal("unset");
    if (c.patch[0] == '!') {
      r = ParseRequestText(c.patch + 1, "test.json");
    } else {
      nlohmann::json j = testing::BaseRequest();
      testing::Merge(j, nlohmann::json::parse(c.patch));
      r = ParseRequest(j, "test.json");
    }
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(r.error().message(), std::string("test.json: ") + c.expect) << c.name;
  }
}

TEST(CodecTest, LawDependentChecks) {
  struct Case {
    const char* name;
    const char* patch;
    const char* expect;
  } cases[] = {
      {"unknown Annex I entry", R"({"items": [{"control_entries": ["5A999"]}]})",
       "test.json: $.items[0].control_entries[0]: \"5A999\" is not an Annex I entry (expected "
       "e.g. 5A001.j)"},
      {"unknown country", R"({"destination": "XX"})",
       "test.json: $.destination: \"XX\" is not an ISO 3166-1 alpha-2 country code"},
      {"unknown party country", R"({"parties": [{"country": "QQ"}]})",
       "test.json: $.parties[0].country: \"QQ\" is not an ISO 3166-1 alpha-2 country code"},
      {"unknown country of end use", R"({"end_use": {"country": "ZZ"}})",
       "test.json: $.end_use.country: \"ZZ\" is not an ISO 3166-1 alpha-2 country code"},
      {"unknown national list", R"({"items": [{"control_entries": ["FR:123"]}]})",
       "test.json: $.items[0].control_entries[0]: \"FR:123\" is not an entry of a national "
       "list in the law data"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = testing::BaseRequest();
    testing::Merge(j, nlohmann::json::parse(c.patch));
    auto r = ParseRequest(j, "test.json");
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.status().ToString();
    Status s = testing::TheEngine().Validate(*r, "test.json");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(s.message(), c.expect) << c.name;
  }
}

TEST(CodecTest, RequestRoundTrip) {
  nlohmann::json j = testing::BaseRequest();
  testing::Merge(j, nlohmann::json::parse(R"({"knowledge": {"aware": ["wmd", "human_rights"]},
      "export_circumstances": ["intra_group"], "items": [{"quantity": 2, "value_eur": 10.5}],
      "end_use": {"description": "x", "country": "RU"}})"));
  auto a = ParseRequest(j, "a");
  ASSERT_TRUE(a.ok());
  auto b = ParseRequest(nlohmann::json::parse(ToJson(*a).dump()), "b");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(ToJson(*a).dump(), ToJson(*b).dump());
  EXPECT_TRUE(b->knowledge.aware.Has(Concern::kHumanRights));
  EXPECT_EQ(*b->items[0].quantity, 2);
  EXPECT_EQ(b->end_use_country, "RU");
}

TEST(CodecTest, OmittedClassificationIsUnclassified) {
  nlohmann::json j = testing::BaseRequest();
  j["items"][0].erase("control_entries");
  j["items"][0].erase("cyber_surveillance");
  auto r = ParseRequest(j, "t");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->items[0].control_entries.has_value());
  EXPECT_FALSE(r->items[0].cyber_surveillance.has_value());
}

TEST(CodecTest, DeterminationJsonFollowsTheSpec) {
  Determination d = testing::Assess(R"({})");
  auto j = ToJson(d);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it)
    keys.push_back(it.key());
  std::vector<std::string> first = {"schema",          "reference",      "as_of",
                                    "regime",          "verdict",        "licence_required",
                                    "review_required", "findings",       "authorisations",
                                    "screening",       "review_reasons", "obligations"};
  for (size_t i = 0; i < first.size(); ++i)
    EXPECT_EQ(keys[i], first[i]);
  EXPECT_EQ(j["schema"], "dualuse.determination/1");
  EXPECT_EQ(j["regime"], "eu-2021-821");
  EXPECT_EQ(j["verdict"], "licence_required");
  EXPECT_EQ(j["findings"][0]["effect"].get<std::string>().empty(), false);
  EXPECT_TRUE(j["data_versions"]["law"].get<std::string>().find("+sha256:") != std::string::npos);
  std::string text = ToText(d);
  EXPECT_NE(text.find("VERDICT: LICENCE REQUIRED"), std::string::npos) << text;
  EXPECT_NE(text.find("Regulation (EU) 2021/821, Article 3(1)"), std::string::npos) << text;
}

}  // namespace
}  // namespace dualuse::rules

namespace dualuse::rules {
namespace {

// The fast determination writer agrees with the ordered_json twin.
TEST(CodecTest, FastWriterMatchesTheSlowTwin) {
  const char* patches[] = {
      R"({})",
      R"({"destination": "JP"})",
      R"({"destination": "RU"})",
      R"({"items": [{"control_entries": null}], "reference": "quote \" back\\slash \n tab\t"})",
      R"({"items": [{"control_entries": [], "cyber_surveillance": true}],
          "knowledge": {"aware": ["internal_repression"]}, "parties": [{"sector": "intelligence"}]})",
      R"({"parties": null})",
  };
  for (const char* p : patches) {
    Determination d = testing::Assess(p);
    auto fast = nlohmann::json::parse(ToJsonString(d));
    auto slow = nlohmann::json::parse(ToJson(d).dump());
    EXPECT_EQ(fast, slow) << p;
    EXPECT_EQ(ToJsonString(d).find('\n'), std::string::npos) << p;
  }
}

}  // namespace
}  // namespace dualuse::rules
