#include <gtest/gtest.h>

#include "dualuse/server/auth.h"

namespace dualuse::server {
namespace {

TEST(UserNamesTest, AcceptsAndNormalises) {
  auto r = CheckUserName("olga", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "olga");
  // "e" + COMBINING ACUTE ACCENT becomes U+00E9 (NFC).
  r = CheckUserName("Ren\x65\xcc\x81 Smit", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, "Ren\xc3\xa9 Smit");
}

TEST(UserNamesTest, RefusesWhatIsNotOnePrintableLine) {
  const std::string cases[] = {
      "",
      "olga\nadmin 200",         // a newline forges a log line
      "olga\tx",                 // tab
      "ol\xe2\x80\x8bga",        // ZERO WIDTH SPACE (format/invisible)
      "olga\xe2\x80\xae",        // RIGHT-TO-LEFT OVERRIDE
      " olga",                   // leading space
      std::string(65, 'a'),      // too long
      std::string(100000, 'a'),  // 100 kB
      "ol\xff"
      "ga",  // not UTF-8
  };
  for (const std::string& name : cases) {
    auto r = CheckUserName(name, {});
    EXPECT_FALSE(r.ok()) << name.substr(0, 40);
    if (!r.ok()) {
      EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << r.error().ToString();
    }
  }
}

TEST(UserNamesTest, RefusesConfusables) {
  const std::vector<std::string> existing = {"olga", "admin"};
  const std::string cases[] = {
      "\xd0\xbe"
      "lga",   // CYRILLIC SMALL LETTER O
      "Olga",  // case
  };
  auto r = CheckUserName(cases[0], existing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kAlreadyExists);
  r = CheckUserName(cases[1], existing);
  EXPECT_FALSE(r.ok());
  // "rn" and "m" share a skeleton in UTS #39's confusables.
  r = CheckUserName("rnike", {"mike"});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(CheckUserName("rik", existing).ok());
}

}  // namespace
}  // namespace dualuse::server
