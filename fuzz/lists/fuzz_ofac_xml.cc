// libFuzzer target for internal::ParseOfacXml.
#include "fuzz_list_parser.h"

DUALUSE_LIST_FUZZER(dualuse::lists::internal::ParseOfacXml)
