#include "screening/translit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"
#include "screening/match.h"
#include "screening/normalize.h"
#include "screening/terms.h"

namespace dualuse::screening {
namespace {

using lists::Schema;

struct Pair {
  const char* in;
  const char* out;
};

TEST(TranslitTest, SpellingFoldTable) {
  const Pair cases[] = {
      {"aleksei", "alexei"}, {"alexey", "alexei"},  {"yevgeny", "evgeni"},
      {"evgeniy", "evgeni"}, {"dmitriy", "dmitri"}, {"dmitry", "dmitri"},
      {"yuriy", "iuri"},     {"iurii", "iuri"},     {"yuri", "iuri"},
      {"jurij", "iuri"},     {"philipp", "filip"},  {"sergeyevich", "sergevich"},
      {"smith", "smith"},    {"jian", "jian"},      {"yan", "ian"},
      {"unjong", "unjong"},  {"sergej", "sergei"},  {"", ""},
  };
  for (const Pair& c : cases)
    EXPECT_EQ(SpellingFold(c.in), c.out) << c.in;
}

TEST(TranslitTest, ConsonantKeyTable) {
  struct Case {
    const char* in;
    bool digraphs;
    const char* out;
  } cases[] = {
      {"hassan", true, "hsn"},   {"hsn", false, "hsn"},      {"omar", true, "mr"},
      {"mr", false, "mr"},       {"yosef", true, "sb"},      {"ywsf", false, "sb"},
      {"cohen", true, "khn"},    {"khn", false, "khn"},      {"khalid", true, "kld"},
      {"kald", false, "kld"},    {"mohammed", true, "mhmd"}, {"mhmd", false, "mhmd"},
      {"tikriti", true, "tkrt"}, {"tkryty", false, "tkrt"},  {"fatimah", true, "btm"},
      {"ftm", false, "btm"},     {"uthman", true, "tmn"},    {"", true, ""},
  };
  for (const Case& c : cases)
    EXPECT_EQ(ConsonantKey(c.in, c.digraphs), c.out) << c.in;
}

// Fast path (key only) against the reference (full scan) on every word of
// the UN list's names, Latin and original script, both readings.
TEST(TranslitTest, ConsonantKeyEqualsReferenceOnUnNames) {
  const std::string path = std::string(DUALUSE_LISTS_DIR) + "/un_sc/un_consolidated_2026-02-27.xml";
  auto list = lists::LoadList(path);
  ASSERT_TRUE(list.ok()) << list.error().message();
  size_t words = 0;
  for (const lists::Entity& e : list->entities) {
    for (const lists::EntityName& n : e.names) {
      std::vector<std::string> texts = {Latinize(n.full)};
      for (const Romanization& r : AlternativeRomanizations(n.full, 4))
        texts.push_back(r.latin);
      for (const std::string& text : texts) {
        for (const RawToken& t : Tokenize(text)) {
          ++words;
          for (bool digraphs : {true, false})
            ASSERT_EQ(ConsonantKey(t.text, digraphs), ConsonantKeyReference(t.text, digraphs))
                << t.text;
        }
      }
    }
  }
  EXPECT_GT(words, 10000u);
}

TEST(TranslitTest, HangulSystemsTable) {
  struct Case {
    const char* in;
    KoreanSystem system;
    const char* out;
  } cases[] = {
      {"김정은", KoreanSystem::kRevised, "gim jeongeun"},
      {"김정은", KoreanSystem::kMcCuneReischauer, "kim chongun"},
      {"김정은", KoreanSystem::kDprk, "kim jongun"},
      {"최룡해", KoreanSystem::kDprk, "choe ryonghae"},
      {"정경택", KoreanSystem::kDprk, "jong kyongthaek"},
      {"박정천", KoreanSystem::kMcCuneReischauer, "pak chongchon"},
      {"이 순신", KoreanSystem::kRevised, "yi sunsin"},
      {"영철 하윤 김", KoreanSystem::kRevised, "yeongcheol hayun gim"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(RomanizeHangul(c.in, c.system), c.out) << c.in;
}

TEST(TranslitTest, KoreanFoldTable) {
  const Pair cases[] = {
      {"jeonghyeok", "jonghyok"}, {"chonghyok", "jonghyok"},   {"yongbok", "yongpok"},
      {"yongpok", "yongpok"},     {"kyongthaek", "kyongtaek"}, {"gyeongtaek", "kyongtaek"},
      {"ryonghae", "lyonghae"},   {"unjong", "unjong"},        {"unyong", "unyong"},
  };
  for (const Pair& c : cases)
    EXPECT_EQ(KoreanFold(c.in), c.out) << c.in;
}

TEST(TranslitTest, AbjadVowelsAgreeTable) {
  struct Case {
    const char* abjad;
    const char* latin;
    bool agree;
  } cases[] = {
      {"mhmwd", "mahmoud", true},  {"mhmwd", "mohammed", false}, {"mhmd", "mohammed", true},
      {"hsyn", "hussein", true},   {"hsyn", "hassan", false},    {"ahsan", "hasan", false},
      {"ywsf", "yusuf", true},     {"ywsf", "yosef", true},      {"tkryty", "tikriti", true},
      {"fatm", "fatimah", true},   {"syyna", "chen", false},     {"amr", "omar", true},
      {"dnyalh", "daniela", true}, {"dnyalh", "daniel", false},  {"allh", "allah", true},
  };
  for (const Case& c : cases)
    EXPECT_EQ(AbjadVowelsAgree(c.abjad, c.latin), c.agree) << c.abjad << " / " << c.latin;
}

TEST(TranslitTest, AbjadTable) {
  const Pair cases[] = {
      {"عمر حسن", "amr hsn"},
      {"التكريتي", "al tkryty"},
      {"عبد الله", "abd allh"},
      {"عبدالرحمن", "abd al rhmn"},
      {"محمد بن سلمان", "mhmd bin slman"},
      {"یوسف", "ywsf"},
      {"יוסף כהן", "ywsf khn"},
      {"אברהם", "abrhm"},
      {"خالد", "kald"},
      {"هاشم", "hasm"},
  };
  for (const Pair& c : cases)
    EXPECT_EQ(RomanizeAbjad(c.in), c.out) << c.in;
}

TEST(TranslitTest, AlternativesAreBoundedAndDistinct) {
  EXPECT_TRUE(AlternativeRomanizations("Vladimir Putin", 4).empty());
  EXPECT_TRUE(AlternativeRomanizations("", 4).empty());
  std::string many;
  for (int i = 0; i < 200; ++i)
    many += "Юрий 김정은 עמר ";
  const auto alts = AlternativeRomanizations(many, 4);
  EXPECT_LE(alts.size(), 4u);
  for (size_t i = 0; i < alts.size(); ++i)
    for (size_t j = i + 1; j < alts.size(); ++j)
      EXPECT_NE(alts[i].latin, alts[j].latin);
  const auto gagarin = AlternativeRomanizations("Юрий Гагарин", 4);
  ASSERT_FALSE(gagarin.empty());
  EXPECT_EQ(gagarin[0].latin, "yuriy gagarin");
  EXPECT_EQ(gagarin[0].system, "BGN/PCGN");
}

// Kanji read through KAKASI (linked when found; scripts/install-deps.sh
// installs it): fails, not skips, without it.
TEST(TranslitTest, JapaneseReadings) {
  bool hepburn = false;
  for (const Romanization& r : AlternativeRomanizations("鈴木一郎", 4))
    hepburn |= r.latin == "suzuki ichiro";
  EXPECT_TRUE(hepburn) << "no Japanese reading of 鈴木一郎 (is KAKASI linked?)";
  EXPECT_GE(CompareNames(Schema::kPerson, "鈴木一郎", "Suzuki Ichiro"), kDefaultMatchThreshold);
  EXPECT_GE(CompareNames(Schema::kPerson, "山田太郎", "Taro Yamada"), kDefaultMatchThreshold);
  EXPECT_LT(CompareNames(Schema::kPerson, "鈴木一郎", "Suzuki Jiro"), kDefaultMatchThreshold);
  // A Chinese name is not read as Japanese (范 is not "Han", 王 not "O").
  for (const Romanization& r : AlternativeRomanizations("伟 范", 4))
    EXPECT_NE(r.system.rfind("Hepburn", 0), 0u) << r.latin;
}

// Names across scripts and spelling systems: each pair is one person or
// company (kMatch) or two (kNoMatch), at the default match threshold.
TEST(TranslitTest, CrossScriptPairsTable) {
  struct Case {
    Schema schema;
    const char* a;
    const char* b;
    bool match;
  } cases[] = {
      {Schema::kPerson, "Юрий Гагарин", "Yuri Gagarin", true},
      {Schema::kPerson, "Юрий Гагарин", "Iurii Gagarin", true},
      {Schema::kPerson, "Евгений Пригожин", "Yevgeny Prigozhin", true},
      {Schema::kPerson, "Yevgeniy Prigozhin", "Evgeny Prigozhin", true},
      {Schema::kPerson, "Aleksei Navalny", "Alexey Navalnyy", true},
      {Schema::kPerson, "Олександр Литвиненко", "Oleksandr Lytvynenko", true},
      {Schema::kPerson, "KIM Chong-un", "Kim Jong Un", true},
      {Schema::kPerson, "김정은", "Kim Jong Un", true},
      {Schema::kPerson, "김정은", "KIM Chong-un", true},
      {Schema::kPerson, "최룡해", "Choe Ryong Hae", true},
      {Schema::kPerson, "Park Jong Chon", "Pak Jong Chon", true},
      {Schema::kPerson, "عمر حسن", "Omar Hassan", true},
      {Schema::kPerson, "محمد", "Mohammad", true},         // abjad reading = ICU's
      {Schema::kPerson, "نور الدين", "Noureddine", true},  // article assimilated
      {Schema::kPerson, "نیک محمد", "Nik Mohammad", true},
      {Schema::kPerson, "صدام حسين التكريتي", "Saddam Hussein al-Tikriti", true},
      {Schema::kPerson, "יוסף כהן", "Yosef Cohen", true},
      {Schema::kPerson, "Γεώργιος Παπαδόπουλος", "Georgios Papadopoulos", true},
      {Schema::kPerson, "習近平", "Xi Jinping", true},
      // Different people stay apart.
      {Schema::kPerson, "Юрий Гагарин", "Yuri Andropov", false},
      {Schema::kPerson, "عمر حسن", "Omar Bakri", false},
      {Schema::kPerson, "김정은", "Kim Yo Jong", false},
      {Schema::kPerson, "יוסף כהן", "Yosef Levi", false},
      {Schema::kPerson, "John Smith", "Jon Smyth Walker", false},
  };
  for (const Case& c : cases) {
    std::vector<std::string> expl;
    const double s = CompareNames(c.schema, c.a, c.b, &expl);
    std::string why;
    for (const std::string& e : expl)
      why += "\n  " + e;
    EXPECT_EQ(s >= kDefaultMatchThreshold, c.match) << c.a << " / " << c.b << ": " << s << why;
  }
}

}  // namespace
}  // namespace dualuse::screening
