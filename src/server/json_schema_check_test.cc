#include "json_schema_check.h"

#include <gtest/gtest.h>

namespace dualuse::server::testing {
namespace {

using nlohmann::json;

const json kRoot = json::parse(R"({"components": {"schemas": {
  "P": {"type": "object", "required": ["a"], "additionalProperties": false,
        "properties": {"a": {"type": "integer", "minimum": 1},
                       "b": {"type": "string", "nullable": true, "enum": ["x", "y"]},
                       "c": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Q"}}}},
  "Q": {"anyOf": [{"type": "string", "maxLength": 2}, {"type": "boolean"}]}}}})");

struct Case {
  const char* value;
  size_t errors;
};

TEST(JsonSchemaCheckTest, TableOfValues) {
  const json schema = {{"$ref", "#/components/schemas/P"}};
  const Case cases[] = {
      {R"({"a": 1})", 0},
      {R"({"a": 1, "b": null, "c": ["ab", true]})", 0},
      {R"({})", 1},                      // missing required
      {R"({"a": 0})", 1},                // below minimum
      {R"({"a": 1.5})", 1},              // not an integer
      {R"({"a": 1, "z": 2})", 1},        // additional property
      {R"({"a": 1, "b": "q"})", 1},      // enum
      {R"({"a": 1, "c": []})", 1},       // minItems
      {R"({"a": 1, "c": ["abc"]})", 1},  // anyOf: too long and not boolean
      {R"([1])", 1},                     // wrong type
  };
  for (const Case& c : cases) {
    auto errors = CheckSchema(json::parse(c.value), schema, kRoot);
    EXPECT_EQ(errors.size(), c.errors) << c.value << ": " << (errors.empty() ? "" : errors[0]);
  }
}

TEST(JsonSchemaCheckTest, UnknownKeywordIsAnError) {
  auto errors = CheckSchema(json(1), json{{"oneOf", json::array()}}, kRoot);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("oneOf"), std::string::npos);
}

TEST(JsonSchemaCheckTest, DanglingRefIsAnError) {
  EXPECT_EQ(CheckSchema(json(1), json{{"$ref", "#/components/schemas/Nope"}}, kRoot).size(), 1u);
}

}  // namespace
}  // namespace dualuse::server::testing
