// Private helpers of the list importers: text, dates, countries, CSV records.
#ifndef DUALUSE_SRC_LISTS_UTIL_H_
#define DUALUSE_SRC_LISTS_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/base/utf8.h"
#include "dualuse/lists/entity.h"

namespace dualuse::lists::internal {

// Trims ASCII whitespace (and NBSP U+00A0 as UTF-8) at both ends.
std::string_view Trim(std::string_view s);
// Trims and collapses inner runs of whitespace to one space.
std::string Clean(std::string_view s);
bool IEquals(std::string_view a, std::string_view b);
std::string Lower(std::string_view s);
// Splits on `sep` (a string), trimming each part and dropping empty parts.
std::vector<std::string> SplitClean(std::string_view s, std::string_view sep);

// Windows-1252 (a superset of printable Latin-1) to UTF-8.
std::string Cp1252ToUtf8(std::string_view s);
// True when the name has letters outside Latin, Greek-free Latin Extended etc.
// (Cyrillic, Arabic, Han, ...): published "in original script".
bool HasNonLatinLetters(std::string_view utf8);

// Parses publisher date spellings into "YYYY", "YYYY-MM" or "YYYY-MM-DD":
// "1955-04-28", "1955-04-28T..", "28 Apr 1955", "28 April 1955", "Apr 1955",
// "1955", "circa 1955", "04/28/1955" (US order), "6.10.2001" (EU day.month.year).
// Empty when unparseable.
std::string NormalizeDate(std::string_view text);
// Finds _YYYY-MM-DD or -YYYY-MM-DD in a file name; empty when none.
std::string DateFromName(std::string_view name);

// Country name or code -> ISO 3166-1 alpha-2 (upper case); empty when unknown.
// Table: data/lists/countries.tsv (loaded once; built-in codes work without it).
std::string CountryCode(std::string_view name_or_code);

// Adds `value` to `v` unless empty or already there.
void AddUnique(std::vector<std::string>& v, std::string value);
void AddName(Entity& e, std::string full, NameStrength strength);
void AddIdentifier(Entity& e, std::string type, std::string value, std::string country);
void AddCountry(Entity& e, std::string_view name_or_code);

// A CSV reader over a buffer (RFC 4180: quoted fields, "" escapes, CR LF or
// LF). Returns one record at a time; memory is one record.
class CsvReader {
 public:
  explicit CsvReader(std::string_view data);
  // Reads the next record into `fields`. Returns false at the end of input.
  // On malformed input (unterminated quote, garbage after a closing quote)
  // sets error() and returns false.
  bool Next(std::vector<std::string>* fields);
  long line() const { return record_line_; }  // 1-based line where the last record started
  const std::string& error() const { return error_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  long line_ = 1;
  long record_line_ = 0;
  std::string error_;
};

}  // namespace dualuse::lists::internal

#endif  // DUALUSE_SRC_LISTS_UTIL_H_
