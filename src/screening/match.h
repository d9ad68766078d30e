// Name analysis and the precise pair scorer.
//
// The structure follows OpenSanctions' logic-v2 (see
// ../shared/docs/screening-reference.md section 1.1): names are analysed
// once (tokens, kinds, legal forms, numbers, phonetic keys); a query name and
// a listed name are aligned part by part (exact, transliterated, phonetic,
// fuzzy within a length-dependent edit budget, initial, joined/split,
// acronym, legal form); the score is the weighted share of aligned evidence,
// where a part left over on one side is an omission (cheap, cheaper on the
// listed side) and parts left over on both sides are a contradiction
// (expensive: "Saddam Hussein al-Tikriti" is not "Saddam Hussein
// al-Dulaimi"), cf. nomenklatura issue #366 on contradicted versus omitted
// name parts.
#ifndef DUALUSE_SCREENING_MATCH_H_
#define DUALUSE_SCREENING_MATCH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/lists/entity.h"
#include "screening/terms.h"

namespace dualuse::screening {

// How names of a schema are read. kAny: LegalEntity, person or organisation.
enum class NameClass : uint8_t { kPerson, kOrg, kObject, kAny };
NameClass ClassOf(lists::Schema schema);
// Whether a query of schema `q` may match a listed entity of schema `r`
// (FollowTheMoney's matchable schemata: LegalEntity matches persons and
// organisations; Company, Organization and LegalEntity match each other;
// vessels and aircraft only themselves).
bool SchemataCompatible(lists::Schema q, lists::Schema r);

enum class TokenKind : uint8_t { kWord, kGeneric, kStop, kInitial, kNumber, kLegalForm };

struct NameToken {
  std::string text;   // normalised (legal forms: canonical form)
  std::string skel;   // phonetic key (Skeleton)
  std::string group;  // legal-form group
  TokenKind kind = TokenKind::kWord;
  bool translit = false;  // came from a non-Latin script
  // From an alternative romanisation, or from a name written in syllables
  // (Han, Hangul: WrittenInSyllables) (AnalyzeNameForms): aligned only
  // exactly, by spelling, joined or by consonants, never by edit distance
  // (several romanisations of one name would otherwise multiply near
  // misses, and a different letter of pinyin is a different syllable).
  bool alt = false;
  // From a name written in Hangul: KoreanFold(text), compared with the
  // KoreanFold of the other side's part (or joined parts).
  std::string korean;
  bool patronymic = false;  // East Slavic patronymic
  bool acronym = false;     // joined dotted initials
  // Written in an abjad (Arabic, Persian, Hebrew: AlternativeRomanizations):
  // compared with Latin parts on consonants only.
  bool abjad = false;
  int64_t number = -1;
  uint64_t mask = 0;  // ByteMask(text): a cheap lower bound of edit distances
  // Words and generic words: the spelling with transliteration differences
  // folded (SpellingFold), or "~" and the head of its spelling class
  // (name-variants.json); and the consonant key (ConsonantKey).
  std::string spell, ckey;
  uint64_t spell_mask = 0;  // ByteMask(spell)
};

struct AnalyzedName {
  std::string original;
  std::vector<NameToken> tokens;
  std::string joined;  // content tokens (not stopwords, not legal forms) concatenated
  std::string full;    // every token, space separated (literal comparison)
  bool translit = false;
  // Written in syllables (WrittenInSyllables): the whole name (joined)
  // compares without edits too.
  bool alt = false;
};

// At most this many tokens of a name are kept (bounded work for any input).
inline constexpr size_t kMaxNameTokens = 24;

AnalyzedName AnalyzeName(std::string_view name, NameClass cls, const NameTerms& terms);

// At most this many analysed forms of one written name.
inline constexpr size_t kMaxNameForms = 8;
// At most this many alternative romanisations of one name part.
inline constexpr size_t kMaxRomanizations = 4;

// Every analysed form of one written name, at most kMaxNameForms, distinct
// (by their normalised text): for each name in it (PublisherNameParts: the
// name without the publisher's boilerplate, and the names after a.k.a.
// markers), its analysis (AnalyzeName) and the analyses of its alternative
// romanisations (AlternativeRomanizations; their tokens are marked
// transliterated, and abjad when written in an abjad, as are then the
// tokens of the first form). The first form is the analysis of the first
// name.
std::vector<AnalyzedName> AnalyzeNameForms(std::string_view name, NameClass cls,
                                           const NameTerms& terms);

// Phonetic key: vowels folded to 'a', digraphs and look-alike consonants
// merged (ph/f, ck/k/c/q, z/s, w/v, x/s, kh/k, sh/s, ...), 'h' after the
// first letter dropped, doubled letters collapsed.
std::string Skeleton(std::string_view token);

// Edit budget for tokens of length len (the longer of the two): no edits up
// to 3 characters (logic-v2: "no fuzzy edits on tokens of 3 characters or
// fewer", and here up to 4), 1 at 5, 2 up to 10, 3 above.
int EditBudget(size_t len);

struct ScoreParams {
  // Weights by kind.
  double w_word = 1.0, w_generic = 0.5, w_stop = 0.3, w_initial = 0.5, w_number = 1.0,
         w_legal = 0.3, patronymic_factor = 0.6;
  // Costs of unaligned parts, relative to their weight.
  double extra_query = 0.5, extra_result = 0.25;  // persons
  double extra_query_org = 0.8, extra_result_org = 0.35;
  double contradiction = 1.0;
  // Multipliers per contradicted pair.
  double contra_word = 0.7, contra_initial = 0.8, contra_number = 0.9, legal_mismatch = 0.8;
  // Similarities.
  double sim_initial = 0.85, sim_phonetic = 0.9, sim_acronym = 0.85, fuzzy_scale = 1.0;
  // Spelling variants (the same folded spelling or spelling class), and an
  // abjad-written part against a Latin one with the same consonants (within
  // one edit: the fuzzy value).
  double sim_variant = 0.95, sim_consonants = 0.9, sim_consonants_fuzzy = 0.8;
  // Without an aligned distinctive part (a word or a number), the score is
  // multiplied by this.
  double no_distinctive = 0.6;
  // Persons: when only one of two or more full query name parts is found.
  double single_part = 0.85;
};

// Score in [0, 1] of query name q against listed name r. When `explanation`
// is given, one line per aligned or left-over part is appended.
double ScoreNames(const AnalyzedName& q, const AnalyzedName& r, NameClass cls,
                  const ScoreParams& params, std::vector<std::string>* explanation = nullptr);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_MATCH_H_
