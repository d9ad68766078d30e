// libFuzzer target for the public entry point: format detection, every
// parser, the catalogue and the id checks (lists::ParseList).
#include "fuzz_list_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto v = dualuse::lists::ParseList(in, "fuzz_2026-01-01.dat");
  if (v.ok()) (void)dualuse::lists::DiffLists(*v, *v);
  return 0;
}
