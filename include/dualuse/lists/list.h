// Loading a sanctions or denied-party list file into the one entity model
// (entity.h), with its own date and a content hash. Formats: spec section 4,
// detected from content, never from the file name.
#ifndef DUALUSE_LISTS_LIST_H_
#define DUALUSE_LISTS_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/lists/entity.h"

namespace dualuse::lists {

enum class ListFormat {
  kUnScXml,        // UN SC consolidated list: <CONSOLIDATED_LIST dateGenerated=...>
  kEuFsfXml,       // EU Financial Sanctions Files XML 1.1: <export generationDate=...>
  kOfacXml,        // OFAC <sdnList> (SDN.XML and the consolidated non-SDN list)
  kOfacLegacyCsv,  // OFAC sdn.csv (+ alt.csv, add.csv in a directory), headerless
  kUsCslCsv,       // trade.gov CSL CSV, header starting _id,source,entity_number
  kFtmJson,        // FollowTheMoney entities, one JSON object per line
  kEuOjCsv,        // OpenSanctions EU journal transcription, header starting celex,recordId
  kOsSimpleCsv,    // OpenSanctions targets.simple.csv, header starting id,schema,name,aliases
};

// "un_sc_xml", "eu_fsf_xml", "ofac_xml", "ofac_csv", "us_csl_csv", "ftm_json", "eu_oj_csv",
// "os_simple_csv".
const char* ListFormatName(ListFormat f);
bool ParseListFormat(std::string_view name, ListFormat* out);

// A record of the file that could not be read and was left out of the list
// (the rest of the file loads). Reported by `lists import`, counted in the
// import record.
struct SkippedRow {
  std::string file;
  long line = 0;      // 1-based line where the record starts; 0 when unknown
  std::string field;  // the column, element or XPath at fault; "" for the whole row
  std::string reason;
};

// "<file>: line N: field F: reason".
std::string SkippedRowText(const SkippedRow& s);

// One version of one list, fully parsed. Immutable once built.
struct ListVersion {
  std::string
      list_id;  // "un_sc", "eu_fsf", "ofac_sdn", "ofac_cons", "us_csl", "opensanctions", "eu_oj"
  ListFormat format = ListFormat::kUnScXml;
  std::string publisher;  // from data/lists-sources.json
  // The list's own date, YYYY-MM-DD, and where it came from:
  //   "content"  - inside the file (UN dateGenerated, OFAC Publish_Date, EU generationDate,
  //                the newest FtM last_change; the newest EU OJ startDate is NOT used),
  //   "sidecar"  - a file <path>.date (or <dir>/DATE) holding YYYY-MM-DD, declared
  //                by the operator (reported in warnings),
  //   "filename" - a _YYYY-MM-DD (or -YYYY-MM-DD) in the file or directory name
  //                (reported in warnings),
  //   "none"     - the file carries no date: `date` is empty and the version is
  //                "undated:<sha256[0:12]>". The file's modification time is never used.
  std::string date;
  std::string date_source;
  // The list version as answers cite it: `date`, or "undated:<sha256[0:12]>".
  std::string version;
  // SHA-256 (hex) of the file's bytes; for a directory (OFAC CSV trio) the
  // SHA-256 of "sdn.csv <hash>\nalt.csv <hash>\nadd.csv <hash>\n" (files present only).
  std::string sha256;
  std::string path;              // what was loaded
  std::vector<Entity> entities;  // in file order; ids are unique within a version
  // Oddities in the publisher's data that were repaired rather than rejected,
  // one line each ("<file>: line N: ..."), e.g. a repeated id, a derived id, a
  // field that could not be read (the field is left out, the row kept).
  std::vector<std::string> warnings;
  // Records left out because they could not be read (no name, wrong number of
  // fields, ...). The rest of the file is loaded.
  std::vector<SkippedRow> skipped;
};

// The version string of a list: `date`, or "undated:<sha256[0:12]>" when empty.
std::string VersionString(const std::string& date, const std::string& sha256);

// Detects the format of a file (or an OFAC CSV directory) from its content.
// kInvalidArgument when it is none of the formats, kNotFound when it does not exist.
Result<ListFormat> DetectFormat(const std::string& path);

// Reads, detects, parses and hashes `path`. Row-level tolerance: a record that
// cannot be read is left out and reported in ListVersion::skipped (file, line,
// field, reason); a field that cannot be read is left out of its record and
// reported in warnings. The whole file is refused only when it is not that
// format at all (kInvalidArgument for an unknown format; kDataLoss for XML
// that is not well-formed, a CSV header without the format's columns, a
// truncated OFAC file, a CSV quote left open), message
// "<path>: <place>: <expectation>". Never throws, never crashes (fuzzed).
//
// Ids: a record without the publisher's id gets one derived from its
// identifying content ("derived-" + 16 hex digits of a SHA-256 over schema,
// names and identifying details), stable across versions while those do not
// change. A repeated id: a record identical to the earlier one is dropped; a
// record with other content is kept as "<id>~2" ("~3", ...). Both are reported
// in warnings. The same rule holds for every format.
Result<ListVersion> LoadList(const std::string& path);

// LoadList for each path, the files read and parsed concurrently on up to
// `threads` threads (0: all cores; the parsers share no mutable state).
// Results in the order of `paths`; when several fail, the error of the first
// failing path in that order (the same error a sequential loop would return).
Result<std::vector<ListVersion>> LoadLists(const std::vector<std::string>& paths,
                                           unsigned threads = 0);

// Parses in-memory content of a single-file format (everything but an OFAC
// CSV directory; a lone sdn.csv is fine). `name` is used in messages and, for
// the OFAC XML, to tell the consolidated list from the SDN list (a name
// containing "cons"). Date falls back to the name pattern, else empty with
// date_source "". Used by LoadList and the fuzzers.
Result<ListVersion> ParseList(std::string_view content, const std::string& name);

}  // namespace dualuse::lists

#endif  // DUALUSE_LISTS_LIST_H_
