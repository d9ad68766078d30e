// Private helpers: dates, countries, UTF-8, and the CSV reader against a slow
// reference twin on the real CSV files.
#include "lists/util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace dualuse::lists::internal {
namespace {

TEST(NormalizeDate, Spellings) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"1955-04-28", "1955-04-28"},
      {"2026-02-27T00:00:09.554Z", "2026-02-27"},
      {"2015-03-27-04:00", "2015-03-27"},
      {"28 Apr 1955", "1955-04-28"},
      {"28 April 1955", "1955-04-28"},
      {"1 July 1959", "1959-07-01"},
      {"Apr 1955", "1955-04"},
      {"1955", "1955"},
      {"circa 1955", "1955"},
      {"03/28/2025", "2025-03-28"},
      {"1955-04", "1955-04"},
      {"", ""},
      {"yesterday", ""},
      {"1955-13-01", ""},
      {"32 Jan 1955", ""},
      {"0999", ""},
  };
  for (const Case& c : cases)
    EXPECT_EQ(NormalizeDate(c.in), c.out) << c.in;
}

TEST(DateFromName, Patterns) {
  EXPECT_EQ(DateFromName("/x/sdn_2024-05-03.csv"), "2024-05-03");
  EXPECT_EQ(DateFromName("legacy_csv_2022-01-31"), "2022-01-31");
  EXPECT_EQ(DateFromName("cons_non-sdn_2025-03-28.xml"), "2025-03-28");
  EXPECT_EQ(DateFromName("2025-03-28.xml"), "");  // needs a _ or - before it
  EXPECT_EQ(DateFromName("sdn.csv"), "");
  EXPECT_EQ(DateFromName("x_2024-13-30.csv"), "");
}

TEST(CountryCode, NamesAndCodes) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"Democratic Republic of the Congo", "CD"},
      {"Congo, Democratic Republic of the", "CD"},
      {"Iran (Islamic Republic of)", "IR"},
      {"Korea, North", "KP"},
      {"Russian Federation", "RU"},
      {"Russia", "RU"},
      {"Burma", "MM"},
      {"United Kingdom", "GB"},
      {"Palestinian", "PS"},
      {"Cote d Ivoire", "CI"},
      {"kp", "KP"},
      {"de", "DE"},
      {"Atlantis", ""},
      {"", ""},
      {"ZZ", ""},
  };
  for (const Case& c : cases)
    EXPECT_EQ(CountryCode(c.in), c.out) << c.in;
}

TEST(Utf8, ValidityAndCp1252) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Кузьменко"));
  EXPECT_FALSE(IsValidUtf8("caf\xe9"));
  EXPECT_FALSE(IsValidUtf8("\xc0\x80"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));      // truncated
  EXPECT_EQ(Cp1252ToUtf8("caf\xe9"), "café");
  EXPECT_EQ(Cp1252ToUtf8("\x80"), "€");
  EXPECT_TRUE(HasNonLatinLetters("Владимир"));
  EXPECT_TRUE(HasNonLatinLetters("تنظيم"));
  EXPECT_FALSE(HasNonLatinLetters("İslami Büyük Doğu"));
  EXPECT_FALSE(HasNonLatinLetters("“Inter Tobacco” LLC"));
}

// Reference twin of CsvReader: character at a time, straight from RFC 4180
// plus the OFAC tolerance (blanks after a closing quote).
bool SlowCsv(std::string_view d, std::vector<std::vector<std::string>>* out) {
  std::vector<std::string> rec;
  std::string field;
  enum { kStart, kUnquoted, kQuoted, kAfterQuote } st = kStart;
  bool any = false;
  for (size_t i = 0; i < d.size(); ++i) {
    char c = d[i];
    any = true;
    switch (st) {
      case kStart:
        if (c == '"') {
          st = kQuoted;
          break;
        }
        st = kUnquoted;
        [[fallthrough]];
      case kUnquoted:
        if (c == ',') {
          rec.push_back(field);
          field.clear();
          st = kStart;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < d.size() && d[i + 1] == '\n') ++i;
          rec.push_back(field);
          field.clear();
          out->push_back(rec);
          rec.clear();
          st = kStart;
          any = false;
        } else
          field.push_back(c);
        break;
      case kQuoted:
        if (c == '"') {
          if (i + 1 < d.size() && d[i + 1] == '"') {
            field.push_back('"');
            ++i;
          } else
            st = kAfterQuote;
        } else
          field.push_back(c);
        break;
      case kAfterQuote:
        if (c == ' ' || c == '\t') break;
        if (c == ',') {
          rec.push_back(field);
          field.clear();
          st = kStart;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < d.size() && d[i + 1] == '\n') ++i;
          rec.push_back(field);
          field.clear();
          out->push_back(rec);
          rec.clear();
          st = kStart;
          any = false;
        } else
          return false;
        break;
    }
  }
  if (st == kQuoted) return false;
  if (any) {
    rec.push_back(field);
    out->push_back(rec);
  }
  return true;
}

bool FastCsv(std::string_view d, std::vector<std::vector<std::string>>* out) {
  CsvReader r(d);
  std::vector<std::string> f;
  while (r.Next(&f))
    out->push_back(f);
  return r.error().empty();
}

void ExpectFastEqualsSlowOn(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(data.empty()) << file;
  std::vector<std::vector<std::string>> fast, slow;
  EXPECT_TRUE(FastCsv(data, &fast)) << file;
  EXPECT_TRUE(SlowCsv(data, &slow)) << file;
  EXPECT_EQ(fast, slow) << file;
}

TEST(CsvReader, MatchesReferenceOnRealFiles) {
  const std::string lists = std::string(DUALUSE_LISTS_DIR) + "/";
  for (const char* file :
       {"ofac_sdn/legacy_csv_2022-01-31/sdn.csv", "ofac_sdn/legacy_csv_2022-01-31/alt.csv",
        "ofac_sdn/legacy_csv_2022-01-31/add.csv", "ofac_sdn/sdn_2024-05-03.csv",
        "us_csl/consolidated_2026-07-31.csv"})
    ExpectFastEqualsSlowOn(lists + file);
}

// The EU OJ transcription is OpenSanctions data (CC BY-NC 4.0, not carried in
// the repository): read from ../shared, and the test fails when it is absent.
TEST(CsvReader, MatchesReferenceOnTheEuOjTranscription) {
  ExpectFastEqualsSlowOn(std::string(DUALUSE_SHARED_DIR) + "/data/lists/eu_oj/32014R0833.csv");
}

TEST(CsvReader, MatchesReferenceOnRandomInput) {
  std::mt19937 rng(42);
  const char alphabet[] = {'a', 'b', ',', '"', '\n', '\r', ' '};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    int len = static_cast<int>(rng() % 24);
    for (int i = 0; i < len; ++i)
      s.push_back(alphabet[rng() % sizeof alphabet]);
    std::vector<std::vector<std::string>> fast, slow;
    bool ok_fast = FastCsv(s, &fast), ok_slow = SlowCsv(s, &slow);
    ASSERT_EQ(ok_fast, ok_slow) << '[' << s << ']';
    if (ok_fast) {
      ASSERT_EQ(fast, slow) << '[' << s << ']';
    }
  }
}

}  // namespace
}  // namespace dualuse::lists::internal
