// Private: one parser per list format. Each fills out->entities (with
// Entity::list set), out->list_id, and out->date with date_source "content"
// when the content carries the list's date. A record that cannot be read goes
// to out->skipped (Skip), a field that cannot be read to out->warnings; a
// record without an id gets DerivedId. Errors (the file is not that format):
// kDataLoss with "<name>: <place>: <expectation>". Never throws.
#ifndef DUALUSE_SRC_LISTS_PARSERS_H_
#define DUALUSE_SRC_LISTS_PARSERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/base/status.h"
#include "dualuse/lists/list.h"

namespace dualuse::lists::internal {

Status ParseUnXml(std::string_view content, const std::string& name, ListVersion* out);
Status ParseEuFsfXml(std::string_view content, const std::string& name, ListVersion* out);
// `name` containing "cons" (case-insensitive) marks OFAC's consolidated
// non-SDN list (list id ofac_cons); otherwise ofac_sdn.
Status ParseOfacXml(std::string_view content, const std::string& name, ListVersion* out);
// alt/add may be empty (absent files). Names are used in messages.
Status ParseOfacCsv(std::string_view sdn, std::string_view alt, std::string_view add,
                    const std::string& sdn_name, const std::string& alt_name,
                    const std::string& add_name, ListVersion* out);
Status ParseCslCsv(std::string_view content, const std::string& name, ListVersion* out);
Status ParseFtmJson(std::string_view content, const std::string& name, ListVersion* out);
Status ParseEuOjCsv(std::string_view content, const std::string& name, ListVersion* out);
Status ParseOsSimpleCsv(std::string_view content, const std::string& name, ListVersion* out);

// LoadList, but the list id is `list_id` when not empty (a saved copy whose
// file name no longer tells OFAC's consolidated list from the SDN list).
Result<ListVersion> LoadListAs(const std::string& path, const std::string& list_id);

// The format of a single file from its first bytes; nullopt when unknown.
std::optional<ListFormat> SniffFormat(std::string_view content);

// Reports a record left out of the list.
void Skip(ListVersion* out, const std::string& file, long line, std::string field,
          std::string reason);
// Whether a CSV row can be read against its header: as many fields as the
// header, each valid UTF-8. A row that cannot is reported (Skip) and false
// returned; the caller goes on with the next row.
bool CsvRowReadable(ListVersion* out, const std::string& file, long line,
                    const std::vector<std::string>& header, const std::vector<std::string>& row);
// Reports a field left out of a record that is kept.
void FieldWarning(ListVersion* out, const std::string& file, long line, const std::string& field,
                  const std::string& reason);
// "derived-" + the first 16 hex digits of SHA-256 over `parts` joined by
// U+001F: an id for a record the publisher gave none, stable while the
// identifying parts do not change.
std::string DerivedId(const std::vector<std::string>& parts);

// Byte offset -> 1-based line number.
long LineAt(std::string_view content, size_t offset);

// OFAC-style identifier type ("Passport", "National ID No.", "IMO") -> the
// entity model's type ("passport", "national_id", "imo", ...); "" for fields
// OFAC files as ids that do not identify anyone (Gender, Website, ...).
std::string IdentifierType(std::string_view publisher_type);

// Schema from an OFAC/CSL type word ("Individual", "Entity", "Vessel",
// "Aircraft", "" / "-0-").
Schema SchemaFromType(std::string_view type);

}  // namespace dualuse::lists::internal

#endif  // DUALUSE_SRC_LISTS_PARSERS_H_
