// One libFuzzer entry point per list parser (fuzz/lists/CMakeLists.txt).
// Contract under test: any bytes give a ListVersion or a Status, never a
// crash, hang, leak or sanitizer report.
#ifndef DUALUSE_FUZZ_LISTS_FUZZ_LIST_PARSER_H_
#define DUALUSE_FUZZ_LISTS_FUZZ_LIST_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "lists/parsers.h"

#define DUALUSE_LIST_FUZZER(PARSE)                                          \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    std::string_view in(reinterpret_cast<const char*>(data), size);         \
    dualuse::lists::ListVersion v;                                          \
    dualuse::Status s = PARSE(in, "fuzz", &v);                              \
    if (s.ok()) (void)dualuse::lists::DiffLists(v, v);                      \
    return 0;                                                               \
  }

#endif  // DUALUSE_FUZZ_LISTS_FUZZ_LIST_PARSER_H_
