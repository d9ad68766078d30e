// libFuzzer target: arbitrary bytes as an Accept-Language header and as a
// refused request's message (messages/catalogue.h, messages/refusal.h), as
// the server takes them. Checks: no crash; the language chosen is one the
// catalogue speaks; a refusal in English is the message unchanged; any value
// placed in a message is kept whole (values are never read as patterns).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dualuse/messages/catalogue.h"
#include "dualuse/messages/refusal.h"

using namespace dualuse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto cat = messages::Catalogue::Default();
  if (!cat.ok()) std::abort();  // the bundled catalogue must load
  std::string lang = messages::LangFromAcceptLanguage(input);
  if (!(*cat)->Speaks(lang)) std::abort();
  if (messages::RefusalText(**cat, "en", input, "request") != input) std::abort();
  (void)messages::RefusalText(**cat, "nl", input, "request");
  std::string text = (*cat)->Format(lang, "review.not_classified", {{"item", input}});
  bool ascii = true;  // invalid UTF-8 is replaced by U+FFFD, so only ASCII is compared
  for (unsigned char ch : input)
    ascii = ascii && ch != 0 && ch < 0x80;
  if (ascii && text.find(input) == std::string::npos) std::abort();
  return 0;
}
