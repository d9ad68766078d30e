// Every parser of the authority module on arbitrary bytes: must return a
// Status, never crash or throw. The first byte picks the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dualuse/authority/codec.h"
#include "dualuse/authority/criteria.h"
#include "dualuse/authority/denials.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dualuse::authority;
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      (void)ApplicationFromFiling(text, "fuzz");
      break;
    case 1:
      (void)ApplicationFromJson(text, "fuzz");
      break;
    case 2:
      (void)AssessmentFromJson(text, "fuzz");
      break;
    case 3:
      (void)DecisionFromJson(text, "fuzz");
      break;
    case 4:
      (void)BookingFromJson(text, "fuzz");
      break;
    case 5:
      (void)DenialsFromJson(text, "fuzz");
      break;
    case 6:
      (void)CriteriaCatalogue::Parse(text, "fuzz");
      break;
    case 7:
      (void)NormaliseName(text);
      break;
  }
  return 0;
}
