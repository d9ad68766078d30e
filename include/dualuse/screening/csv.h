// Minimal RFC 4180 CSV reading and writing for the screening commands
// (`dualuse screen --input`, `dualuse compare`) and the benchmark.
#ifndef DUALUSE_SCREENING_CSV_H_
#define DUALUSE_SCREENING_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"

namespace dualuse::screening {

// Rows of fields. Quoted fields may hold commas, doubled quotes and line
// breaks; CRLF and LF both end a row; a UTF-8 BOM is skipped; blank lines are
// dropped. kInvalidArgument "line N: ..." on an unterminated quote or a quote
// inside an unquoted field.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text);

// One CSV field, quoted when needed.
std::string CsvField(std::string_view value);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_CSV_H_
