#include "screening/normalize.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dualuse::screening {
namespace {

std::string Tokens(const std::string& s) {
  std::string out;
  for (const RawToken& t : Tokenize(Latinize(s))) {
    if (!out.empty()) out += "|";
    out += t.text;
  }
  return out;
}

struct Case {
  const char* in;
  const char* tokens;
};

TEST(NormalizeTest, TransliterationTable) {
  const Case cases[] = {
      {"Ротенберг Аркадий", "rotenberg|arkadij"},           // Cyrillic
      {"Володимир Зеленський", "volodimir|zelenskij"},      // Ukrainian Cyrillic
      {"Κυριάκος Μητσοτάκης", "kyriakos|metsotakes"},       // Greek
      {"ماري تيريز", "mary|tyryz"},                         // Arabic
      {"习近平", "xijinping"},                              // Han: syllables joined
      {"贝拉克·奥巴马", "beilake|aobama"},                  // Han with a middle dot
      {"バラク・オバマ", "baraku|obama"},                   // Katakana
      {"Բարակ Օբամա", "barak|obama"},                       // Armenian
      {"ბარაკ ობამა", "barak|obama"},                       // Georgian
      {"Erdoğan Müller Straße", "erdogan|muller|strasse"},  // diacritics, ß
      {"ＡＢＣ　Ｃｏｍｐａｎｙ", "abc|company"},            // NFKC full-width
      {"ООО «БАЙ»", "ooo|baj"},                             // guillemets separate
  };
  for (const auto& c : cases)
    EXPECT_EQ(Tokens(c.in), c.tokens) << c.in;
}

TEST(NormalizeTest, TransliteratedFlag) {
  bool t = true;
  Latinize("John Smith", &t);
  EXPECT_FALSE(t);
  Latinize("José Müller", &t);
  EXPECT_FALSE(t);
  Latinize("Иван", &t);
  EXPECT_TRUE(t);
}

TEST(NormalizeTest, TokenizerTable) {
  const Case cases[] = {
      {"J.P. Morgan & Co.", "jp|morgan|and|co"},
      {"A.B.C. Company", "abc|company"},
      {"Sp. z o.o.", "sp|z|oo"},
      {"Thomas A. Lindeman", "thomas|a|lindeman"},
      {"J.-C. Juncker", "jc|juncker"},
      {"Al-Qa'ida", "al|qaida"},
      {"'Abd al-Aziz", "abd|al|aziz"},
      {"Frost, William W.", "frost|william|w"},
      {"Goldman Sachs Mortgage Loan Trust 2004-1", "goldman|sachs|mortgage|loan|trust|2004|1"},
      {"", ""},
      {"  ,;  ", ""},
  };
  for (const auto& c : cases)
    EXPECT_EQ(Tokens(c.in), c.tokens) << c.in;
}

TEST(NormalizeTest, AcronymFlag) {
  auto toks = Tokenize(Latinize("P.L.C. Holding"));
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_TRUE(toks[0].acronym);
  EXPECT_FALSE(toks[1].acronym);
}

TEST(NormalizeTest, InvalidUtf8DoesNotCrash) {
  const std::string bad =
      "Iv\xC3\x28"
      "an \xFF\xFE Petrov";
  EXPECT_FALSE(Tokenize(Latinize(bad)).empty());
}

}  // namespace
}  // namespace dualuse::screening
