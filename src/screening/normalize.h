// Text normalisation for name matching: Unicode to comparable ASCII tokens.
//
// Latinize: NFKC, transliteration of Cyrillic, Greek, Arabic, Hebrew, Han,
// Hangul, Kana, Armenian, Georgian (and whatever else ICU's Any-Latin knows)
// to Latin, then Latin-ASCII (diacritics removed, ß -> ss) and lower case.
// Han runs are romanised syllable by syllable and joined, so 习近平 becomes
// "xijinping" (a name is one word in Chinese; the scorer's joined-token rule
// then matches "Xi Jinping"). Scripts ICU cannot latinise (Khmer, ...) stay as
// lower-cased UTF-8. Pure ASCII input never touches ICU.
//
// Thread safety: ICU transliterators are not thread-safe and expensive to
// build; two prototypes (non-Han, Han) are built once and cloned once per
// thread.
#ifndef DUALUSE_SCREENING_NORMALIZE_H_
#define DUALUSE_SCREENING_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace dualuse::screening {

// `transliterated` (optional) is set when a non-Latin letter was romanised.
//
// Fast: the input is cut at ASCII spaces; ASCII words are lower-cased in
// place and every other word is romanised alone through a per-thread cache
// of words (names repeat their words: Mohammad, Kim, Ivanov, ...), so ICU
// runs once per distinct non-ASCII word and thread. Same result as
// LatinizeReference (the tests compare both on every name of the lists and
// evaluation sets).
std::string Latinize(std::string_view utf8, bool* transliterated = nullptr);
// Slow reference: the whole string through ICU in one go.
std::string LatinizeReference(std::string_view utf8, bool* transliterated = nullptr);

// Builds the shared ICU transliterators now (otherwise the first non-ASCII
// name does; building them costs about 0.2 s of CPU). Thread-safe; callers
// may run it beside list parsing.
void PrepareTransliterators();

struct RawToken {
  std::string text;
  bool acronym = false;  // joined from dotted initials ("J.P." -> "jp")
};

// Splits Latinize() output into word tokens: letters and digits (and bytes of
// non-Latin residue) form words; apostrophes join ("qa'ida" -> "qaida"); "&"
// is the word "and"; runs of single letters each followed by a dot ("a.b.c.",
// "p.l.c.", "J.-C.") are joined into one acronym token. Everything else
// separates.
std::vector<RawToken> Tokenize(std::string_view latin);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_NORMALIZE_H_
