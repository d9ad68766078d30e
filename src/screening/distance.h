// String distances used by the name scorer, each with a fast path and a slow,
// obviously correct reference twin (the tests and the fuzzer check that both
// agree on every input).
//
// Strings are compared byte by byte: the normaliser hands the scorer ASCII
// (or, for scripts ICU cannot latinise, UTF-8 whose bytes still compare
// consistently).
#ifndef DUALUSE_SCREENING_DISTANCE_H_
#define DUALUSE_SCREENING_DISTANCE_H_

#include <cstdint>
#include <string_view>

namespace dualuse::screening {

// Levenshtein distance (unit insert, delete, substitute). Fast: Hyyrö's
// bit-parallel formulation of Myers (1999) when the shorter string has at most
// 64 bytes, a two-row DP otherwise.
int Levenshtein(std::string_view a, std::string_view b);
// Full (n+1)x(m+1) Wagner-Fischer matrix.
int LevenshteinReference(std::string_view a, std::string_view b);

// Levenshtein distance if it is <= max, else max + 1 (early exit on the length
// difference first). Same result as min(Levenshtein(a, b), max + 1).
int LevenshteinBounded(std::string_view a, std::string_view b, int max);

// Set of the bytes of `s`, folded onto 64 bits (bit b % 64 for byte b).
uint64_t ByteMask(std::string_view s);
// A lower bound of the Levenshtein distance of two strings from their byte
// masks: each byte value present on one side only needs an edit of its own
// (one substitution removes at most one such value from each side), so
// max(|A \ B|, |B \ A|) <= Levenshtein(a, b); folding only merges values,
// which keeps it a lower bound. Checked against LevenshteinReference in the
// tests.
int ByteMaskLowerBound(uint64_t a, uint64_t b);

// Jaro-Winkler similarity in [0, 1], prefix scale 0.1, prefix up to 4. With
// `boost_threshold` 0.7 this is Winkler (1990); with 0 the prefix bonus is
// applied unconditionally, as OFAC's Sanctions List Search does (SimMetrics
// style, see nomenklatura name_based/ofac.py).
double JaroWinkler(std::string_view a, std::string_view b, double boost_threshold = 0.7);
// Textbook Jaro (1989) with explicit match flags; same contract.
double JaroWinklerReference(std::string_view a, std::string_view b, double boost_threshold = 0.7);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_DISTANCE_H_
