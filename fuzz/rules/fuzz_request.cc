// libFuzzer target: request parsing and validation, then assessment of what
// parses (spec section 7: no crash for any input). Uses the bundled law data.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"

namespace {
const dualuse::rules::Engine* TheEngine() {
  static auto engine = dualuse::rules::Engine::CreateDefault();
  return engine.ok() ? engine->get() : nullptr;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return 0;
  auto r = dualuse::rules::ParseRequest(j, "fuzz");
  if (!r.ok()) return 0;
  const dualuse::rules::Engine* engine = TheEngine();
  if (!engine || !engine->Validate(*r, "fuzz").ok()) return 0;
  for (const char* date : {"2019-07-18", "2022-02-26"}) {
    auto d = engine->Assess(*r, *dualuse::Date::Parse(date));
    if (d.ok()) {
      (void)dualuse::rules::ToJsonString(*d);
      (void)dualuse::rules::ToText(*d);
    }
  }
  return 0;
}
