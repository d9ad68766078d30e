#include "request_limits.h"

#include <gtest/gtest.h>

#include <string>

#include "dualuse/base/json_depth.h"

namespace dualuse::server {
namespace {

using nlohmann::json;

TEST(JsonDepthTest, CountsNestingOutsideStrings) {
  struct Case {
    std::string text;
    int depth;
  };
  const Case cases[] = {
      {"42", 0},
      {"\"[[[[\"", 0},
      {"[]", 1},
      {"{\"a\": [1, {\"b\": []}]}", 4},
      {"[\"\\\"[[[\", []]", 2},  // an escaped quote does not end the string
      {"[\"\\\\\", [[]]]", 3},   // an escaped backslash does
      {"[][][]", 1},
      {"]]]][", 1},  // not JSON: counted, the parser refuses it
  };
  for (const Case& c : cases)
    EXPECT_EQ(JsonDepth(c.text, 1000), c.depth) << c.text;
}

TEST(JsonDepthTest, StopsAtTheBound) {
  std::string deep(1000000, '[');
  EXPECT_EQ(JsonDepth(deep, 32), 33);
}

TEST(ParseBoundedJsonTest, RefusesDeepBodiesBeforeParsing) {
  std::string deep =
      "{\"name\": \"x\", \"ignored\": " + std::string(80000, '[') + std::string(80000, ']') + "}";
  Result<json> r = ParseBoundedJson(deep, 32);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.error().error_code(), "too_deep") << r.error().message();

  std::string at_bound = std::string(32, '[') + std::string(32, ']');
  EXPECT_TRUE(ParseBoundedJson(at_bound, 32).ok());
  Result<json> bad = ParseBoundedJson("{\"name\": ", 32);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error_code(), "malformed_json");
}

TEST(CheckScreeningWorkTest, CountsNamesAndAliases) {
  RequestLimits limits;
  json screen = {
      {"parties",
       {{{"name", "A"}, {"aliases", {"B", "C"}}}, {{"name", "D"}, {"aliases", "E;F;;G"}}}}};
  Result<ScreeningWork> w = CheckScreeningWork(screen, false, limits);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->names, 7u);
  EXPECT_EQ(w->chars, 7u);

  json match = {
      {"queries",
       {{"q1", {{"schema", "Person"}, {"properties", {{"name", {"A", "B"}}, {"alias", "C"}}}}},
        {"q2", {{"schema", "Person"}, {"properties", {{"firstName", "D"}}}}}}}};
  w = CheckScreeningWork(match, true, limits);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->names, 4u);
}

TEST(CheckScreeningWorkTest, RefusesOverTheBounds) {
  RequestLimits limits;
  limits.max_aliases_per_party = 3;
  limits.max_names = 10;
  limits.max_name_chars = 50;
  struct Case {
    const char* what;
    json body;
    bool match;
  };
  const Case cases[] = {
      {"aliases per party (array)", {{"name", "A"}, {"aliases", {"a", "b", "c", "d"}}}, false},
      {"aliases per party (string)", {{"name", "A"}, {"aliases", "a;b;c;d"}}, false},
      {"names per request",
       {{"parties", json::array({{{"name", "a"}, {"aliases", {"b", "c"}}},
                                 {{"name", "a"}, {"aliases", {"b", "c"}}},
                                 {{"name", "a"}, {"aliases", {"b", "c"}}},
                                 {{"name", "a"}, {"aliases", {"b", "c"}}}})}},
       false},
      {"characters per request", {{"name", std::string(51, 'x')}}, false},
      {"aliases per query",
       {{"queries", {{"q", {{"properties", {{"name", {"a", "b"}}, {"alias", {"c", "d", "e"}}}}}}}}},
       true},
  };
  for (const Case& c : cases) {
    Result<ScreeningWork> w = CheckScreeningWork(c.body, c.match, limits);
    ASSERT_FALSE(w.ok()) << c.what;
    EXPECT_EQ(w.error().error_code(), "too_many_names") << w.error().message();
  }
}

}  // namespace
}  // namespace dualuse::server
