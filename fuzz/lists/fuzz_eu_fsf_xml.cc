// libFuzzer target for internal::ParseEuFsfXml.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseEuFsfXml)
