#include "screening/match.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dualuse/screening/engine.h"
#include "screening/terms.h"

namespace dualuse::screening {
namespace {

using lists::Schema;

const NameTerms& Terms() {
  auto t = DefaultNameTerms();
  EXPECT_TRUE(t.ok()) << t.error().message();
  return **t;
}

double Score(Schema s, const std::string& a, const std::string& b) { return CompareNames(s, a, b); }

enum Expect { kMatch, kNoMatch };

struct PairCase {
  const char* what;
  Schema schema;
  const char* a;
  const char* b;
  Expect expect;
};

// General rules, one row per rule (not the dev pairs).
TEST(MatchTest, RulesTable) {
  const PairCase cases[] = {
      // legal forms
      {"LLC = OOO", Schema::kCompany, "OOO Romashka", "Romashka LLC", kMatch},
      {"Cyrillic OOO", Schema::kCompany, "ООО Ромашка", "Romashka Limited Liability Company",
       kMatch},
      {"Co., Ltd = Company Limited", Schema::kCompany, "Huawei Technologies Co., Ltd",
       "Huawei Technologies Company Limited", kMatch},
      {"GmbH spelled out", Schema::kCompany, "Muster Gesellschaft mit beschränkter Haftung",
       "Muster GmbH", kMatch},
      {"JSC = AO", Schema::kCompany, "AO Almaz", "Almaz JSC", kMatch},
      {"S.A. = SA", Schema::kCompany, "Banco Exterior S.A.", "Banco Exterior SA", kMatch},
      {"different legal kind", Schema::kCompany, "ANO Vector", "OOO Vector Plus", kNoMatch},
      {"legal form alone is no evidence", Schema::kCompany, "Alpha LLC", "Omega LLC", kNoMatch},
      // token order, initials, joins
      {"surname first", Schema::kPerson, "Smith, John", "John Smith", kMatch},
      {"initial", Schema::kPerson, "J. Smith Peterson", "John Smith Peterson", kMatch},
      {"contradicting initial", Schema::kPerson, "Hans O Friedrich", "Hans Joachim Friedrich",
       kNoMatch},
      {"joined tokens", Schema::kPerson, "AlisherUsmanov", "Alisher Usmanov", kMatch},
      {"split token", Schema::kCompany, "Good Will Trading", "Goodwill Trading", kMatch},
      {"acronym (org)", Schema::kCompany, "ABC Company", "A.B.C. Company", kMatch},
      // fuzzy and transliteration
      {"one typo", Schema::kPerson, "Vladimir Pudin", "Vladimir Putin", kMatch},
      {"Cyrillic", Schema::kPerson, "Ротенберг Аркадий", "Arkadij Rotenberg", kMatch},
      {"honorific", Schema::kPerson, "Dr. Rami Makhlouf", "Rami Makhlouf", kMatch},
      {"contradicting surname", Schema::kPerson, "Saddam Hussein al-Dulaimi",
       "Saddam Hussein al-Tikriti", kNoMatch},
      {"different person", Schema::kPerson, "Barack Obama", "George Hussein Onyango Obama",
       kNoMatch},
      {"short tokens get no edits", Schema::kPerson, "Kim Jong Il", "Kim Jong Un", kNoMatch},
      {"one of two parts", Schema::kPerson, "Richard George", "George R. Mitchell", kNoMatch},
      // vessels and numbers
      {"vessel prefix", Schema::kVessel, "MV Hellenic Spirit", "Hellenic Spirit", kMatch},
      {"vessel", Schema::kVessel, "Lady Leila", "Lady Rania", kNoMatch},
      {"number words", Schema::kOrganization, "Brigade Forty-Four", "Brigade 44", kMatch},
  };
  for (const auto& c : cases) {
    const double s = Score(c.schema, c.a, c.b);
    if (c.expect == kMatch) {
      EXPECT_GE(s, kDefaultMatchThreshold) << c.what << ": " << c.a << " / " << c.b;
    } else {
      EXPECT_LT(s, kDefaultMatchThreshold) << c.what << ": " << c.a << " / " << c.b;
    }
  }
}

TEST(MatchTest, ExactIsOneAndSymmetricEnough) {
  EXPECT_DOUBLE_EQ(Score(Schema::kPerson, "Vladimir Putin", "VLADIMIR PUTIN"), 1.0);
  EXPECT_DOUBLE_EQ(Score(Schema::kPerson, "", "Vladimir Putin"), 0.0);
  EXPECT_DOUBLE_EQ(Score(Schema::kPerson, "...", "Vladimir Putin"), 0.0);
}

TEST(MatchTest, LegalFormsAreCanonical) {
  const NameTerms& t = Terms();
  struct {
    const char* name;
    const char* canonical;
  } cases[] = {
      {"Example Limited Liability Company", "llc"},
      {"ООО Пример", "ooo"},
      {"Example Co., Ltd.", "ltd"},
      {"Example Aktiengesellschaft", "ag"},
      {"ЗАО Пример", "cjsc"},
      {"Example Sp. z o.o.", "sp z oo"},
  };
  for (const auto& c : cases) {
    AnalyzedName an = AnalyzeName(c.name, NameClass::kOrg, t);
    bool found = false;
    for (const NameToken& tok : an.tokens)
      if (tok.kind == TokenKind::kLegalForm && tok.text == c.canonical) found = true;
    EXPECT_TRUE(found) << c.name << " -> " << an.full;
  }
}

TEST(MatchTest, ExplanationNamesEachAlignment) {
  std::vector<std::string> expl;
  CompareNames(Schema::kPerson, "Vladimir Pudin", "Vladimir Vladimirovich Putin", &expl);
  std::string all;
  for (const auto& e : expl)
    all += e + "\n";
  EXPECT_NE(all.find("exact: 'vladimir' = 'vladimir'"), std::string::npos) << all;
  EXPECT_NE(all.find("fuzzy(1): 'pudin' ~ 'putin'"), std::string::npos) << all;
  EXPECT_NE(all.find("missing in query: 'vladimirovich'"), std::string::npos) << all;
}

TEST(MatchTest, SchemataCompatibility) {
  EXPECT_TRUE(SchemataCompatible(Schema::kLegalEntity, Schema::kPerson));
  EXPECT_TRUE(SchemataCompatible(Schema::kCompany, Schema::kOrganization));
  EXPECT_FALSE(SchemataCompatible(Schema::kPerson, Schema::kCompany));
  EXPECT_FALSE(SchemataCompatible(Schema::kVessel, Schema::kLegalEntity));
  EXPECT_TRUE(SchemataCompatible(Schema::kVessel, Schema::kVessel));
}

TEST(MatchTest, OfacEmulation) {
  EXPECT_DOUBLE_EQ(OfacNameScore("VLADIMIR PUTIN", "PUTIN, Vladimir"), 1.0);
  EXPECT_LT(OfacNameScore("VLADIMIR PUTIN", "VLADIMIR VINOGRADOV"), 1.0);
  EXPECT_GT(OfacNameScore("VLADIMIR PUTIN", "VLADIMIR VINOGRADOV"), 0.8);
  EXPECT_DOUBLE_EQ(OfacNameScore("", "X"), 0.0);
}

}  // namespace
}  // namespace dualuse::screening
