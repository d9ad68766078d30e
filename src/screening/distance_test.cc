#include "screening/distance.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace dualuse::screening {
namespace {

struct LevCase {
  const char* a;
  const char* b;
  int d;
};

TEST(DistanceTest, LevenshteinTable) {
  const LevCase cases[] = {
      {"", "", 0},           {"", "abc", 3},           {"abc", "", 3},
      {"putin", "pudin", 1}, {"kitten", "sitting", 3}, {"scholz", "scholze", 1},
      {"abc", "cba", 2},     {"flaw", "lawn", 2},      {"gazprom", "gasprom", 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Levenshtein(c.a, c.b), c.d) << c.a << " / " << c.b;
    EXPECT_EQ(LevenshteinReference(c.a, c.b), c.d) << c.a << " / " << c.b;
    EXPECT_EQ(LevenshteinBounded(c.a, c.b, 1), std::min(c.d, 2)) << c.a << " / " << c.b;
  }
}

std::string RandomString(std::mt19937& rng, size_t max_len, int alphabet) {
  std::uniform_int_distribution<size_t> len(0, max_len);
  std::uniform_int_distribution<int> ch(0, alphabet - 1);
  std::string s(len(rng), 'a');
  for (char& c : s)
    c = static_cast<char>('a' + ch(rng));
  return s;
}

TEST(DistanceTest, FastEqualsReference) {
  std::mt19937 rng(42);
  for (int i = 0; i < 3000; ++i) {
    // Short and long (past the 64-character bit-vector limit), small alphabets
    // for many repeated letters.
    const size_t max_len = i % 3 == 0 ? 130 : 12;
    const std::string a = RandomString(rng, max_len, i % 2 ? 3 : 26);
    const std::string b = RandomString(rng, max_len, i % 2 ? 3 : 26);
    ASSERT_EQ(Levenshtein(a, b), LevenshteinReference(a, b)) << a << " / " << b;
    for (int max : {0, 1, 2, 5}) {
      ASSERT_EQ(LevenshteinBounded(a, b, max), std::min(LevenshteinReference(a, b), max + 1));
    }
    for (double boost : {0.0, 0.7}) {
      ASSERT_DOUBLE_EQ(JaroWinkler(a, b, boost), JaroWinklerReference(a, b, boost))
          << a << " / " << b;
    }
  }
}

TEST(DistanceTest, JaroWinklerKnownValues) {
  // Winkler (1990) examples.
  EXPECT_NEAR(JaroWinklerReference("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinklerReference("dwayne", "duane"), 0.84, 0.001);
  EXPECT_NEAR(JaroWinklerReference("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("same", "same"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
}

// The byte-mask bound never exceeds the distance (it prunes the scorer's
// edit distances, so it must be a lower bound): every pair of a word list
// with repeats, foldings (bytes 64 apart) and non-ASCII bytes.
TEST(DistanceTest, ByteMaskBoundIsALowerBound) {
  const std::vector<std::string> words = {
      "",         "a",       "ab",      "ba",         "abc",      "mohammed",  "muhammad",
      "mohamed",  "ivanov",  "ivanova", "smith",      "smyth",    "xijinping", "jinping",
      "aaaa",     "aaab",    "abab",    "\x41\x01",   "\x01",     "A",         "\xC3\xA9",
      "\xC3\xA8", "qadhafi", "gaddafi", "kadhafi",    "abdul",    "abdoul",    "abdel",
      "r",        "rr",      "rrr",     "zzzzzzzzzz", "pqrstuvw", "wvutsrqp"};
  for (const std::string& a : words) {
    for (const std::string& b : words) {
      EXPECT_LE(ByteMaskLowerBound(ByteMask(a), ByteMask(b)), LevenshteinReference(a, b))
          << a << " / " << b;
    }
  }
}

}  // namespace
}  // namespace dualuse::screening
