// libFuzzer target for internal::ParseUnXml.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseUnXml)
