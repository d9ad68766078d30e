// Several romanisations of one written name, and the keys that compare
// Latin spellings of names written in other scripts.
//
// One written name has several accepted Latin spellings: Юрий is Yuriy
// (BGN/PCGN), Iurii (ICAO Doc 9303), Jurij (scholarly), Yuri (English
// usage); 김정은 is Gim Jeong-eun (Revised Romanisation), Kim Chŏng-ŭn
// (McCune-Reischauer) and Kim Jong Un (the DPRK's own usage); عمر حسن is
// written without its vowels (Omar Hassan, Umar Hasan). Latinize() gives
// one romanisation; AlternativeRomanizations() gives the others, bounded;
// SpellingFold() and ConsonantKey() compare what remains.
#ifndef DUALUSE_SCREENING_TRANSLIT_H_
#define DUALUSE_SCREENING_TRANSLIT_H_

#include <string>
#include <string_view>
#include <vector>

namespace dualuse::screening {

struct Romanization {
  // Lower case, words separated by spaces, as Latinize() gives it (ASCII
  // wherever ICU can romanise the letters the system left).
  std::string latin;
  std::string system;  // e.g. "BGN/PCGN", "McCune-Reischauer", "abjad"
  // Written in an abjad (Arabic, Persian, Hebrew): short vowels are not
  // written, so its words compare with Latin words on their consonants.
  bool abjad = false;
};

// At most `max` romanisations of `utf8` other than Latinize(utf8) (an abjad
// reading even when it is the same: it is marked abjad), distinct,
// for the words written in Cyrillic (BGN/PCGN Russian; Ukrainian and
// Belarusian BGN/PCGN when the name has their letters), Greek (ELOT
// 743 / UNGEGN), Hangul (Revised, McCune-Reischauer, DPRK 1992, syllable by
// syllable), Han (pinyin with the surname apart: 习近平 -> "xi jinping";
// with kakasi, Japanese readings of kanji and kana: 鈴木一郎 -> "suzuki
// ichiro"), Arabic, Persian and Hebrew (a consonantal romanisation with the
// Arabic article apart: التكريتي -> "al tkryty"), Armenian and Georgian
// (BGN/PCGN). Words in other scripts keep Latinize's romanisation. Empty for
// ASCII names and names with none of these scripts. Thread-safe.
std::vector<Romanization> AlternativeRomanizations(std::string_view utf8, size_t max);

// Whether `utf8` has letters of a script whose syllables are romanised one
// by one by a fixed reading (Han, Hangul): a different letter in the
// romanisation is a different syllable, not a spelling variant. Not Kana:
// katakana approximates foreign names (バラク・オバマ, "baraku obama").
bool WrittenInSyllables(std::string_view utf8);

// Whether `utf8` has Hangul letters.
bool HasHangul(std::string_view utf8);

// A Latin spelling of Korean syllables with the differences between the
// Revised, McCune-Reischauer and DPRK systems and passport usage folded:
// eo -> o, eu -> u, aspirates written kh/th/ph -> k/t/p, ch -> j,
// b/g/d -> p/k/t (g not after n), r -> l, sh -> s ("jeonghyeok" and
// "chonghyok" -> "jonghyok"; "yongbok" and "yongpok" -> "yongpok").
std::string KoreanFold(std::string_view latin);

enum class KoreanSystem { kRevised, kMcCuneReischauer, kDprk };
// Hangul syllables romanised one by one and separated by spaces (personal
// names: each syllable is a name part: 김정은 -> "gim jeong eun"); other
// characters are kept. 이 alone is "yi" (a one-letter part is an initial).
std::string RomanizeHangul(std::string_view utf8, KoreanSystem system);

// Consonantal romanisation of an Arabic, Persian or Hebrew word (ASCII, lower
// case): one Latin letter a written letter (ش -> s, خ -> k, ث -> t: the
// consonant classes of ConsonantKey, so that no two letters read as a
// digraph), long-vowel letters as a/w/y, short-vowel marks dropped; the Arabic article ال and the
// word عبد become separate words ("al", "abd"); بن, ابن, بنت, ابو become "bin", "ibn", "bint",
// "abu".
std::string RomanizeAbjad(std::string_view utf8);

// The spelling of a Latin name part with the differences between
// transliteration systems folded: ks -> x, ph -> f, w -> v, y and j -> i,
// tz -> ts, "ie" after a vowel or at the start -> "e", doubled letters once
// ("Aleksei", "Alexey" -> "alexei"; "Yevgeny", "Evgeniy" -> "evgeni";
// "Dmitriy", "Dmitry" -> "dmitri"). Input: ASCII lower case.
std::string SpellingFold(std::string_view token);

// The consonants of a Latin name part as an abjad writes them: vowels, y
// and w dropped (they are vowel letters or not written), look-alike
// consonants merged (b/p/f/v, k/q/c, g/j, s/z/sh/ts, kh -> k, th -> t,
// dh -> d, gh -> j), doubled consonants once, a final h dropped
// ("Hassan" and حسن -> "hsn"; "Yosef" and יוסף -> "sb"). Input: ASCII lower
// case. `digraphs` false for RomanizeAbjad's output, which has none ("khn"
// is k-h-n, Cohen).
std::string ConsonantKey(std::string_view token, bool digraphs = true);
// Slow reference: the same key from the full scan AbjadVowelsAgree uses
// (vowel gaps kept); the tests compare both on every word of the lists.
std::string ConsonantKeyReference(std::string_view token, bool digraphs = true);

// Whether the vowel letters an abjad wrote are in the Latin spelling: the
// two consonant keys have the same length, and between the same consonants
// where the abjad word has alef or ayin (a) the Latin has a vowel, where it
// has waw (w) an o or u, where it has yod (y) an i, e or y ("mhmwd" is
// Mahmoud, not Mohammed; "ahsan" is Ahsan, not Hasan). `abjad`: a word of
// RomanizeAbjad's output; `latin`: ASCII lower case.
bool AbjadVowelsAgree(std::string_view abjad, std::string_view latin);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_TRANSLIT_H_
