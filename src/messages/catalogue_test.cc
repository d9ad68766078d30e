// The message catalogue of data/messages: loading, formatting, language
// negotiation, and completeness (every id in every language, with the same
// placeholders as English).
#include "dualuse/messages/catalogue.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace dualuse::messages {
namespace {

const Catalogue& Real() {
  auto c = Catalogue::Default();
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return **c;
}

TEST(CatalogueTest, SpeaksEnglishAndDutch) {
  const Catalogue& c = Real();
  EXPECT_TRUE(c.Speaks("en"));
  EXPECT_TRUE(c.Speaks("nl"));
  EXPECT_FALSE(c.Speaks("xx"));
}

// Every language has exactly the English ids, each with the same
// placeholders, and no pattern is empty.
TEST(CatalogueTest, EveryLanguageIsCompleteWithTheSamePlaceholders) {
  const Catalogue& c = Real();
  std::vector<std::string> en = c.Ids("en");
  ASSERT_GT(en.size(), 50u);
  for (const std::string& lang : c.Languages()) {
    EXPECT_EQ(c.Ids(lang), en) << lang << " has other ids than en";
    for (const std::string& id : en) {
      EXPECT_FALSE(c.Pattern(lang, id).empty()) << lang << " " << id;
      EXPECT_EQ(c.Placeholders(lang, id), c.Placeholders("en", id)) << lang << " " << id;
    }
  }
}

struct FormatCase {
  const char* lang;
  const char* id;
  Args args;
  const char* want;
};

TEST(CatalogueTest, FormatsPlaceholdersPluralsAndDates) {
  const Catalogue& c = Real();
  const FormatCase cases[] = {
      {"en",
       "finding.listed",
       {{"entries", "5A001.j"}, {"count", 1}},
       "5A001.j is listed in Annex I; its export needs an authorisation."},
      {"en",
       "finding.listed",
       {{"entries", "5A001.j, 5D001.a"}, {"count", 2}},
       "5A001.j, 5D001.a are listed in Annex I; its export needs an authorisation."},
      {"nl",
       "finding.listed",
       {{"entries", "5A001.j, 5D001.a"}, {"count", 2}},
       "5A001.j, 5D001.a zijn opgenomen in bijlage I; voor de uitvoer is een vergunning "
       "vereist."},
      {"en",
       "finding.destination_outside_union",
       {{"country", "CN"}, {"as_of", Date{2019, 3, 1}}},
       "CN is outside the customs territory of the Union on 2019-03-01: this is an export, "
       "assessed as such."},
      {"nl",
       "finding.destination_outside_union",
       {{"country", "CN"}, {"as_of", Date{2019, 3, 1}}},
       "CN ligt op 1 maart 2019 buiten het douanegebied van de Unie: dit is uitvoer, en wordt "
       "als zodanig beoordeeld."},
      {"nl",
       "cite.article_parts",
       {{"number", "4"}, {"paragraph", "1"}, {"point", "a"}},
       "4, lid 1, onder a"},
      {"nl",
       "cite.article_parts",
       {{"number", "5"}, {"paragraph", "none"}, {"point", "none"}},
       "5"},
      {"en",
       "cite.article_parts",
       {{"number", "4"}, {"paragraph", "1"}, {"point", "a"}},
       "4(1)(a)"},
      // An unknown language falls back to English; an unknown id is itself.
      {"fr", "list.and", {}, "and"},
      {"nl", "no.such.id", {}, "no.such.id"},
  };
  for (const FormatCase& t : cases) {
    EXPECT_EQ(c.Format(t.lang, t.id, t.args), t.want) << t.lang << " " << t.id;
  }
}

// The substitution path gives what ICU gives, for every message of every
// language, with text values (some with characters ICU treats specially in
// patterns), a missing value, and a number.
TEST(CatalogueTest, SubstitutionEqualsIcuForEveryMessage) {
  auto cat = Catalogue::Default();
  ASSERT_TRUE(cat.ok()) << cat.error().ToString();
  size_t compared = 0;
  for (const std::string& lang : (*cat)->Languages()) {
    for (const std::string& id : (*cat)->Ids(lang)) {
      Args text, missing_one;
      int i = 0;
      for (const std::string& name : (*cat)->Placeholders(lang, id)) {
        text.emplace_back(name, "v" + std::to_string(i) + " {x} 'q' #");
        if (i++ > 0) missing_one.emplace_back(name, "w");
      }
      EXPECT_EQ((*cat)->Format(lang, id, text), (*cat)->FormatWithIcu(lang, id, text))
          << lang << " " << id;
      EXPECT_EQ((*cat)->Format(lang, id, missing_one), (*cat)->FormatWithIcu(lang, id, missing_one))
          << lang << " " << id;
      Args number;
      for (const std::string& name : (*cat)->Placeholders(lang, id))
        number.emplace_back(name, 1234L);
      EXPECT_EQ((*cat)->Format(lang, id, number), (*cat)->FormatWithIcu(lang, id, number))
          << lang << " " << id;
      ++compared;
    }
  }
  EXPECT_GT(compared, 300u);
}

TEST(CatalogueTest, AcceptLanguagePicksTheBestSpokenLanguage) {
  const struct {
    const char* header;
    const char* want;
  } cases[] = {
      {"", "en"},
      {"nl", "nl"},
      {"nl-NL", "nl"},
      {"NL-be,en;q=0.5", "nl"},
      {"en-GB,en;q=0.9,nl;q=0.8", "en"},
      {"fr-FR, nl;q=0.7, en;q=0.3", "nl"},
      {"de, fr", "en"},
      {"en;q=0.2, nl;q=0.9", "nl"},
      {"nl;q=0, en", "en"},
      {"*", "en"},
      {";;,,q=", "en"},
  };
  for (const auto& t : cases) {
    EXPECT_EQ(LangFromAcceptLanguage(t.header), t.want) << t.header;
  }
}

TEST(CatalogueTest, LangOfTag) {
  EXPECT_EQ(LangOfTag("nl_NL.UTF-8"), "nl");
  EXPECT_EQ(LangOfTag("en_US.UTF-8"), "en");
  EXPECT_EQ(LangOfTag("C.UTF-8"), "");
  EXPECT_EQ(LangOfTag(""), "");
}

// A catalogue with a malformed pattern, a file whose lang is not its name, or
// no en.json is refused with the file and the message id.
TEST(CatalogueTest, RefusesBadCatalogues) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("dualuse-messages-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto write = [&](const char* name, const char* text) { std::ofstream(dir / name) << text; };
  write("en.json", R"({"lang": "en", "messages": {"a": "x {n, plural, one {y}"}})");
  auto bad = Catalogue::Load(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("en.json: $.messages.a: expected an ICU MessageFormat"),
            std::string::npos)
      << bad.error().message();
  write("en.json", R"({"lang": "nl", "messages": {}})");
  bad = Catalogue::Load(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("$.lang: expected \"en\""), std::string::npos);
  fs::remove(dir / "en.json");
  write("nl.json", R"({"lang": "nl", "messages": {"a": "b"}})");
  bad = Catalogue::Load(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("no en.json"), std::string::npos);
  write("en.json", R"({"lang": "en", "messages": {"a": "{x} b"}})");
  auto good = Catalogue::Load(dir.string());
  ASSERT_TRUE(good.ok()) << good.error().message();
  EXPECT_EQ((*good)->Format("nl", "a", {{"x", "1"}}), "b");
  EXPECT_EQ((*good)->Format("en", "a", {{"x", "1"}}), "1 b");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dualuse::messages
