// RefusalText on the messages the request parser and validator write.
#include "dualuse/messages/refusal.h"

#include <gtest/gtest.h>

namespace dualuse::messages {
namespace {

TEST(RefusalTextTest, DutchKeepsThePathAndTranslatesTheExpectation) {
  auto cat = Catalogue::Default();
  ASSERT_TRUE(cat.ok()) << cat.error().message();
  const struct {
    const char* message;
    const char* want;
  } cases[] = {
      {"request: $.destination: \"XX\" is not an ISO 3166-1 alpha-2 country code",
       "Het verzoek is niet aanvaard: $.destination: \"XX\" is geen landcode volgens ISO 3166-1 "
       "alpha-2"},
      {"request: $.items: expected at least one item",
       "Het verzoek is niet aanvaard: $.items: verwacht ten minste één product"},
      {"request: $.items[0].kind: expected one of goods, software, technology, got \"x\"",
       "Het verzoek is niet aanvaard: $.items[0].kind: verwacht een van goods, software, "
       "technology, maar kreeg \"x\""},
      {"request: $.exporter: missing (required)",
       "Het verzoek is niet aanvaard: $.exporter: ontbreekt (verplicht)"},
      {"request: $.date: expected a date YYYY-MM-DD, got \"7 Dec\"",
       "Het verzoek is niet aanvaard: $.date: verwacht een datum JJJJ-MM-DD, maar kreeg \"7 "
       "Dec\""},
  };
  for (const auto& t : cases) {
    EXPECT_EQ(RefusalText(**cat, "nl", t.message, "request"), t.want);
    EXPECT_EQ(RefusalText(**cat, "en", t.message, "request"), t.message);
  }
}

}  // namespace
}  // namespace dualuse::messages
