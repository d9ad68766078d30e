#include "dualuse/base/json_escape.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace dualuse {
namespace {

TEST(JsonEscapeTest, RoundTripsAndMatchesTheLibrarysSerializer) {
  struct Case {
    const char* name;
    std::string text;
    const char* literal;  // the expected JSON literal
  };
  const Case cases[] = {
      {"empty", "", R"("")"},
      {"plain", "5A001.j", R"("5A001.j")"},
      {"quote and backslash", "a\"b\\c", R"("a\"b\\c")"},
      {"named controls", "\b\f\n\r\t", R"("\b\f\n\r\t")"},
      {"other controls", std::string("\x00\x01\x1f", 3), R"("\u0000\u0001\u001f")"},
      {"DEL as is", "\x7f", "\"\x7f\""},
      {"slash as is", "a/b", R"("a/b")"},
      {"UTF-8 as is", "M\xC3\xBCller \xE2\x82\xAC \xF0\x9F\x98\x80",
       "\"M\xC3\xBCller \xE2\x82\xAC \xF0\x9F\x98\x80\""},
      {"mixed", "line 1\nline \"2\"", R"("line 1\nline \"2\"")"},
  };
  for (const Case& c : cases) {
    std::string out = "prefix:";
    AppendJsonString(&out, c.text);
    EXPECT_EQ(out, std::string("prefix:") + c.literal) << c.name;
    std::string literal = out.substr(7);
    EXPECT_EQ(literal, nlohmann::json(c.text).dump()) << c.name;
    nlohmann::json back = nlohmann::json::parse(literal);
    ASSERT_TRUE(back.is_string()) << c.name;
    EXPECT_EQ(back.get<std::string>(), c.text) << c.name;
  }
}

TEST(JsonEscapeTest, EveryByteBelow0x80RoundTrips) {
  std::string all;
  for (int c = 0; c < 0x80; ++c)
    all.push_back(static_cast<char>(c));
  std::string out;
  AppendJsonString(&out, all);
  EXPECT_EQ(out, nlohmann::json(all).dump());
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), all);
}

}  // namespace
}  // namespace dualuse
