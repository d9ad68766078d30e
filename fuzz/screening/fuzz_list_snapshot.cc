// libFuzzer target: the list snapshot reader (src/screening/snapshot.h) on
// arbitrary bytes. The first byte chooses what the rest is: even, a whole
// snapshot file (header, checksum, source, body); odd, a body alone, decoded
// without the checksum, so that the body decoder itself is exercised. A
// decoded screener is then used (a query screened, entities looked up, the
// screener encoded again). Checks: no crash, no hang, kDataLoss for bad
// input, scores in [0, 1], every reported entity found by its id.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dualuse/screening/engine.h"
#include "screening/snapshot.h"

using namespace dualuse;
using namespace dualuse::screening;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  Result<std::unique_ptr<ListScreener>> decoded =
      (data[0] & 1) ? ListScreener::DecodeBody(in, {}, "fuzz") : DecodeSnapshot(in, "", {}, "fuzz");
  if (!decoded.ok()) {
    if (decoded.error().code() != StatusCode::kDataLoss) std::abort();
    return 0;
  }
  const ListScreener& s = **decoded;
  for (const char* name : {"Kim Jong Un", "Ivan Petrov", "Almaz Trading LLC", "عمر حسن"}) {
    PartyQuery q;
    q.name = name;
    q.as_of = "2026-01-01";
    q.birth_date = "1970";
    q.country = "RU";
    ScreeningResult r = s.Screen(q);
    for (const ScreeningHit& h : r.matches) {
      if (!(h.score >= 0 && h.score <= 1)) std::abort();
      if (!s.FindEntity(h.list, h.entity_id)) std::abort();
    }
    ScreenOptions wide;
    wide.limit = 50;
    wide.min_score = 0;
    (void)s.ScreenWith(q, wide);
  }
  for (const auto& [list, version] : s.ListVersions())
    (void)s.EntityCount(list);
  std::string again;
  s.EncodeBody(&again);
  return 0;
}
