// libFuzzer target for internal::ParseEuOjCsv.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseEuOjCsv)
