#include "dualuse/base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace dualuse {
namespace {

struct Utf8Case {
  const char* name;
  std::string bytes;
  bool valid;
};

TEST(Utf8Test, WellFormednessOnEdgeCases) {
  const Utf8Case cases[] = {
      {"empty", "", true},
      {"ascii", "Annex I 5A001.j", true},
      {"two-byte", "\xC3\xA9", true},                    // U+00E9
      {"three-byte", "\xE2\x82\xAC", true},              // U+20AC
      {"four-byte", "\xF0\x9F\x98\x80", true},           // U+1F600
      {"largest code point", "\xF4\x8F\xBF\xBF", true},  // U+10FFFF
      {"last before surrogates", "\xED\x9F\xBF", true},  // U+D7FF
      {"first after surrogates", "\xEE\x80\x80", true},  // U+E000
      {"nul is well-formed", std::string("a\0b", 3), true},
      {"overlong slash (2 bytes)", "\xC0\xAF", false},
      {"overlong C1", "\xC1\xBF", false},
      {"overlong 3 bytes", "\xE0\x80\xAF", false},
      {"overlong 4 bytes", "\xF0\x80\x80\xAF", false},
      {"overlong nul", "\xC0\x80", false},
      {"high surrogate", "\xED\xA0\x80", false},  // U+D800
      {"low surrogate", "\xED\xBF\xBF", false},   // U+DFFF
      {"above U+10FFFF", "\xF4\x90\x80\x80", false},
      {"five-byte lead", "\xF8\x88\x80\x80\x80", false},
      {"0xFF", "\xFF", false},
      {"stray continuation", "a\x80", false},
      {"truncated 2-byte", "\xC3", false},
      {"truncated 3-byte", "\xE2\x82", false},
      {"truncated 4-byte", "\xF0\x9F\x98", false},
      {"truncated then ascii", "\xE2\x82z", false},
      {"cp1252 e-acute", "caf\xE9", false},
  };
  for (const Utf8Case& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.bytes), c.valid) << c.name;
  }
}

TEST(Utf8Test, TextWithoutNulRejectsNulAndMalformed) {
  EXPECT_TRUE(IsUtf8TextWithoutNul("M\xC3\xBCller"));
  EXPECT_FALSE(IsUtf8TextWithoutNul(std::string("a\0b", 3)));
  EXPECT_FALSE(IsUtf8TextWithoutNul("\xC0\x80"));
  EXPECT_FALSE(IsUtf8TextWithoutNul("\xED\xA0\x80"));
}

}  // namespace
}  // namespace dualuse
