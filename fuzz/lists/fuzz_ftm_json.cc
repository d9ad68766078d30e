// libFuzzer target for internal::ParseFtmJson.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseFtmJson)
