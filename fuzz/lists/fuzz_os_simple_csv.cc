// libFuzzer target for internal::ParseOsSimpleCsv.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseOsSimpleCsv)
