// libFuzzer target for the OFAC legacy CSV trio: the input is split into
// sdn.csv, alt.csv and add.csv at the first two "\n==\n" markers.
#include "fuzz_list_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size), parts[3];
  int n = 0;
  while (n < 2) {
    size_t p = in.find("\n==\n");
    if (p == std::string_view::npos) break;
    parts[n++] = in.substr(0, p);
    in.remove_prefix(p + 4);
  }
  parts[n] = in;
  dualuse::lists::ListVersion v;
  dualuse::Status s =
      dualuse::lists::internal::ParseOfacCsv(parts[0], parts[1], parts[2], "sdn", "alt", "add", &v);
  if (s.ok()) (void)dualuse::lists::DiffLists(v, v);
  return 0;
}
