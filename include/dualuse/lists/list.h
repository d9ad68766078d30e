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
};

// "un_sc_xml", "eu_fsf_xml", "ofac_xml", "ofac_csv", "us_csl_csv", "ftm_json", "eu_oj_csv".
const char* ListFormatName(ListFormat f);
bool ParseListFormat(std::string_view name, ListFormat* out);

// One version of one list, fully parsed. Immutable once built.
struct ListVersion {
  std::string
      list_id;  // "un_sc", "eu_fsf", "ofac_sdn", "ofac_cons", "us_csl", "opensanctions", "eu_oj"
  ListFormat format = ListFormat::kUnScXml;
  std::string publisher;  // from data/lists-sources.json
  // The list's own date, YYYY-MM-DD, and where it came from:
  //   "content"  - inside the file (UN dateGenerated, OFAC Publish_Date, EU generationDate,
  //                the newest FtM last_change, the newest EU OJ startDate is NOT used),
  //   "sidecar"  - a file <path>.date (or <dir>/DATE) holding YYYY-MM-DD,
  //   "filename" - a _YYYY-MM-DD (or -YYYY-MM-DD) in the file or directory name,
  //   "mtime"    - the file's modification time (UTC), the last resort.
  std::string date;
  std::string date_source;
  // SHA-256 (hex) of the file's bytes; for a directory (OFAC CSV trio) the
  // SHA-256 of "sdn.csv <hash>\nalt.csv <hash>\nadd.csv <hash>\n" (files present only).
  std::string sha256;
  std::string path;              // what was loaded
  std::vector<Entity> entities;  // in file order; ids are unique within a version
  // Oddities in the publisher's data that were repaired rather than rejected,
  // one line each ("<file>: line N: ..."), e.g. a repeated OFAC ent_num.
  std::vector<std::string> warnings;
};

// Detects the format of a file (or an OFAC CSV directory) from its content.
// kInvalidArgument when it is none of the formats, kNotFound when it does not exist.
Result<ListFormat> DetectFormat(const std::string& path);

// Reads, detects, parses and hashes `path`. All or nothing: any malformed
// record fails the whole load with kDataLoss (or kInvalidArgument for an
// unknown format), message "<path>: <place>: <expectation>", where place is
// "line N", an XPath like /CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[12]/DATAID,
// or "line N, field F". Never throws, never crashes (fuzzed).
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
