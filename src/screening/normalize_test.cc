#include "screening/normalize.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/screening/csv.h"

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

void ExpectSameAsReference(const std::string& name) {
  bool fast_t = false, ref_t = false;
  const std::string fast = Latinize(name, &fast_t);
  const std::string ref = LatinizeReference(name, &ref_t);
  EXPECT_EQ(fast, ref) << name;
  EXPECT_EQ(fast_t, ref_t) << name;
}

TEST(NormalizeTest, FastEqualsReferenceOnEdgeCases) {
  const char* cases[] = {"",
                         " ",
                         "  Müller  ",
                         "Müller  Straße",
                         " \xCC\x81x",
                         "a \xCC\x81",
                         "ΟΔΥΣΣΕΑΣ ΣΑΣ",
                         "Σ Σ",
                         "习近平 王",
                         "习 近平",
                         "Iv\xC3 an",
                         "\xC3",
                         "ＡＢＣ　Ｃｏ",
                         "Ǆ Æ ß Œ",
                         "Kim\xC2\xA0Jong",
                         "'Abd al-ʿAziz"};
  for (const char* c : cases)
    ExpectSameAsReference(c);
  // Twice: the second time from the word cache.
  for (const char* c : cases)
    ExpectSameAsReference(c);
}

// Every name of the lists the benchmarks use (the bundled copies), through
// the fast path and the reference.
TEST(NormalizeTest, FastEqualsReferenceOnListNames) {
  const std::string lists_dir = std::string(DUALUSE_LISTS_DIR) + "/";
  size_t n = 0;
  for (const char* list :
       {"un_sc/un_consolidated_2026-02-27.xml", "ofac_sdn/legacy_csv_2022-01-31",
        "us_csl/consolidated_2026-07-31.csv", "ofac_consolidated/cons_non-sdn_2025-03-28.xml"}) {
    auto v = lists::LoadList(lists_dir + list);
    ASSERT_TRUE(v.ok()) << v.error().message();
    for (const lists::Entity& e : v->entities) {
      for (const lists::EntityName& nm : e.names) {
        ExpectSameAsReference(nm.full);
        ++n;
      }
    }
  }
  EXPECT_GT(n, 85000u);
}

// Every name of the evaluation sets the benchmarks use. They are not carried
// in the repository: read from ../shared/data/eval; the test fails when they
// are absent.
TEST(NormalizeTest, FastEqualsReferenceOnEvaluationNames) {
  const std::string shared = std::string(DUALUSE_SHARED_DIR) + "/data/";
  size_t n = 0;
  struct Set {
    const char* file;
    std::vector<const char*> columns;
  };
  const Set sets[] = {
      {"eval/yente_candidate_generation/negatives_us.csv", {"full_name"}},
      {"eval/yente_candidate_generation/positives_un_untreated.csv", {"name", "full_name"}},
      {"eval/nomenklatura_name_bench/cases_dev.csv", {"name1", "name2"}},
  };
  for (const Set& set : sets) {
    std::ifstream in(shared + set.file, std::ios::binary);
    ASSERT_TRUE(in) << set.file;
    std::ostringstream ss;
    ss << in.rdbuf();
    auto rows = ParseCsv(ss.str());
    ASSERT_TRUE(rows.ok()) << set.file;
    ASSERT_FALSE(rows->empty());
    const auto& header = (*rows)[0];
    for (size_t c = 0; c < header.size(); ++c) {
      bool wanted = false;
      for (const char* col : set.columns)
        wanted = wanted || header[c] == col;
      if (!wanted) continue;
      for (size_t r = 1; r < rows->size(); ++r) {
        if (c < (*rows)[r].size()) {
          ExpectSameAsReference((*rows)[r][c]);
          ++n;
        }
      }
    }
  }
  EXPECT_GT(n, 50000u);
}

}  // namespace
}  // namespace dualuse::screening
