// libFuzzer target for internal::ParseCslCsv.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseCslCsv)
