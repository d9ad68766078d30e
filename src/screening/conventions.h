// Publishers' conventions inside written names.
//
// The US Consolidated Screening List ends some names with "; and any
// successor, sub-unit, or subsidiary thereof" (State Department ISN
// entries), and OFAC, UN and CSL names carry other names of the same party
// inline: "BANK X (f.k.a. BANK Y)", "Z a.k.a. W". Neither is part of the
// name: the first is cut, the second gives one more name. The phrases are
// data (name-terms.json: boilerplate, alias_markers).
#ifndef DUALUSE_SCREENING_CONVENTIONS_H_
#define DUALUSE_SCREENING_CONVENTIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "screening/terms.h"

namespace dualuse::screening {

// At most this many names come out of one written name.
inline constexpr size_t kMaxNameParts = 8;

// The names in one written name: the text before the first alias marker,
// then the text after each marker, each cut before a boilerplate phrase and
// trimmed of the punctuation around it ("(", ")", ";", ",", ":", "."); empty
// parts are dropped. A name without any phrase comes back whole (trimmed of
// spaces only). Phrases match case-insensitively where a word starts; a
// boilerplate phrase at the start of the name is left alone (the name would
// be empty). Linear in the name's length times the number of phrases.
std::vector<std::string> PublisherNameParts(std::string_view name, const NameTerms& terms);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_CONVENTIONS_H_
