#include "screening/translit.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "screening/normalize.h"

#ifdef DUALUSE_HAVE_KAKASI
#include <iconv.h>
extern "C" {
#include <libkakasi.h>
}
#endif

namespace dualuse::screening {
namespace {

// Japanese readings of kanji and kana through KAKASI (Debian: libkakasi2,
// kakasi-dic): Hepburn romaji, words apart ("suzuki ichirou"). KAKASI keeps
// global state and reads EUC-JP: calls are serialised and the word converted
// with iconv. Empty when KAKASI is not built in, the word is longer than 64
// bytes or cannot be written in EUC-JP.
std::string KakasiReading(std::string_view word) {
#ifdef DUALUSE_HAVE_KAKASI
  if (word.size() > 64) return "";
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  static const bool ready = [] {
    static char a0[] = "kakasi", a1[] = "-Ja", a2[] = "-Ha", a3[] = "-Ka", a4[] = "-Ea",
                a5[] = "-s";
    char* argv[] = {a0, a1, a2, a3, a4, a5};
    return kakasi_getopt_argv(6, argv) == 0;
  }();
  if (!ready) return "";
  iconv_t cd = iconv_open("EUC-JP", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return "";
  std::string euc(word.size() * 2 + 4, '\0');
  char* in = const_cast<char*>(word.data());
  size_t in_left = word.size();
  char* out = euc.data();
  size_t out_left = euc.size();
  const size_t r = iconv(cd, &in, &in_left, &out, &out_left);
  iconv_close(cd);
  if (r == static_cast<size_t>(-1) || in_left != 0) return "";
  euc.resize(euc.size() - out_left);
  char* reading = kakasi_do(euc.data());
  if (!reading) return "";
  std::string latin;
  for (const char* p = reading; *p; ++p)
    if (static_cast<unsigned char>(*p) < 0x80) latin.push_back(*p);
  kakasi_free(reading);
  return Latinize(latin);
#else
  (void)word;
  return "";
#endif
}

// Hepburn as passports write it: long vowels single (ou, oo -> o; uu -> u):
// "ichirou" -> "ichiro".
std::string PassportHepburn(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    out.push_back(s[i]);
    if ((s[i] == 'o' && i + 1 < s.size() && (s[i + 1] == 'u' || s[i + 1] == 'o')) ||
        (s[i] == 'u' && i + 1 < s.size() && s[i + 1] == 'u'))
      ++i;
  }
  return out;
}

// ICU transliterators by id: prototypes built once (under a lock), cloned
// once per thread (ICU transliterators are not thread-safe).
icu::Transliterator* ThreadTransliterator(const char* id) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<icu::Transliterator>> prototypes;
  thread_local std::map<std::string, std::unique_ptr<icu::Transliterator>> clones;
  auto it = clones.find(id);
  if (it != clones.end()) return it->second.get();
  std::unique_ptr<icu::Transliterator> clone;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto p = prototypes.find(id);
    if (p == prototypes.end()) {
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
          icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
      if (U_FAILURE(status)) t.reset();
      p = prototypes.emplace(id, std::move(t)).first;
    }
    if (p->second) clone.reset(p->second->clone());
  }
  return clones.emplace(id, std::move(clone)).first->second.get();
}

std::string IcuRomanize(const char* id, std::string_view word) {
  icu::Transliterator* t = ThreadTransliterator(id);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  if (t) t->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return Latinize(out);  // ASCII, lower case, whatever the system left
}

template <typename F>
void ForEachCodePoint(std::string_view s, F&& f) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t len = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U8_NEXT(bytes, i, len, c);
    if (c < 0) c = 0xFFFD;
    f(c);
  }
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  int32_t n = 0;
  UBool err = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, err);
  if (!err) out->append(buf, static_cast<size_t>(n));
}

// ---- Hangul (Unicode 3.12: syllable = 0xAC00 + (L * 21 + V) * 28 + T) ----

constexpr const char* kInitRevised[19] = {"g",  "kk", "n", "d",  "tt", "r", "m", "b", "pp", "s",
                                          "ss", "",   "j", "jj", "ch", "k", "t", "p", "h"};
constexpr const char* kInitMr[19] = {"k",  "kk", "n",  "t",   "tt", "r", "m", "p", "pp", "s",
                                     "ss", "",   "ch", "tch", "ch", "k", "t", "p", "h"};
// DPRK 1992: aspirates written kh, th, ph; ㅈ as j.
constexpr const char* kInitDprk[19] = {"k",  "kk", "n", "t",  "tt", "r",  "m",  "p",  "pp", "s",
                                       "ss", "",   "j", "jj", "ch", "kh", "th", "ph", "h"};
constexpr const char* kVowelRevised[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                           "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                           "wo", "we", "wi", "yu",  "eu", "ui", "i"};
// McCune-Reischauer without its breves (ŏ -> o, ŭ -> u), as lists write it.
constexpr const char* kVowelMr[21] = {"a",  "ae", "ya", "yae", "o",  "e",  "yo",
                                      "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                      "wo", "we", "wi", "yu",  "u",  "ui", "i"};
constexpr const char* kFinal[28] = {"",  "k",  "k", "k", "n", "n", "n", "t", "l", "k",
                                    "m", "l",  "l", "l", "p", "l", "m", "p", "p", "t",
                                    "t", "ng", "t", "t", "k", "t", "p", "t"};

// ---- Arabic, Persian (U+0600 block) and Hebrew (U+05D0..U+05EA) letters ----

const char* ArabicLetter(UChar32 c) {
  switch (c) {
    case 0x0622:
    case 0x0623:
    case 0x0627:
    case 0x0671:
    case 0x0649:
      return "a";
    case 0x0625:
      return "i";
    case 0x0621:
    case 0x0624:
    case 0x0626:
    case 0x0629:
    case 0x06C3:
    case 0x0640:
      return "";
    case 0x0628:
      return "b";
    case 0x062A:
      return "t";
    case 0x062B:
      return "t";
    case 0x062C:
      return "j";
    case 0x062D:
      return "h";
    case 0x062E:
      return "k";
    case 0x062F:
      return "d";
    case 0x0630:
      return "d";
    case 0x0631:
      return "r";
    case 0x0632:
      return "z";
    case 0x0633:
      return "s";
    case 0x0634:
      return "s";
    case 0x0635:
      return "s";
    case 0x0636:
      return "d";
    case 0x0637:
      return "t";
    case 0x0638:
      return "z";
    case 0x0639:
      return "a";  // ʿayn: a vowel in Latin spellings (Omar, Ali, Saad)
    case 0x063A:
      return "g";
    case 0x0641:
      return "f";
    case 0x0642:
      return "q";
    case 0x0643:
    case 0x06A9:
      return "k";
    case 0x0644:
      return "l";
    case 0x0645:
      return "m";
    case 0x0646:
      return "n";
    case 0x0647:
    case 0x06BE:
    case 0x06C0:
    case 0x06C1:
      return "h";
    case 0x0648:
      return "w";
    case 0x064A:
    case 0x06CC:
    case 0x06D2:
      return "y";
    case 0x067E:
      return "p";
    case 0x0686:
      return "c";
    case 0x0698:
      return "j";
    case 0x06AF:
      return "g";
    default:
      break;
  }
  if (c >= 0x0660 && c <= 0x0669) {
    static const char* kDigits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return kDigits[c - 0x0660];
  }
  return nullptr;  // marks (harakat) and anything else: dropped
}

const char* HebrewLetter(UChar32 c, bool initial) {
  switch (c) {
    case 0x05D0:
    case 0x05E2:
      return "a";  // alef, ayin: vowels in Latin spellings
    case 0x05D1:
      return "b";
    case 0x05D2:
      return "g";
    case 0x05D3:
      return "d";
    case 0x05D4:
      return "h";
    case 0x05D5:
      return initial ? "v" : "w";  // vav: mostly a vowel letter inside a word
    case 0x05D6:
      return "z";
    case 0x05D7:
      return "h";
    case 0x05D8:
      return "t";
    case 0x05D9:
      return "y";
    case 0x05DA:
    case 0x05DB:
      return "k";
    case 0x05DC:
      return "l";
    case 0x05DD:
    case 0x05DE:
      return "m";
    case 0x05DF:
    case 0x05E0:
      return "n";
    case 0x05E1:
      return "s";
    case 0x05E3:
    case 0x05E4:
      return "f";
    case 0x05E5:
    case 0x05E6:
      return "s";
    case 0x05E7:
      return "k";
    case 0x05E8:
      return "r";
    case 0x05E9:
      return "s";
    case 0x05EA:
      return "t";
    default:
      return nullptr;
  }
}

enum class Script {
  kAscii,
  kLatin,
  kCyrillic,
  kGreek,
  kHangul,
  kHan,
  kKana,
  kArabic,
  kHebrew,
  kArmenian,
  kGeorgian,
  kOther
};

Script ScriptOfWord(std::string_view word, bool* has_han, bool* has_kana) {
  Script s = Script::kAscii;
  ForEachCodePoint(word, [&](UChar32 c) {
    if (c < 0x80) return;
    UErrorCode st = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(c, &st);
    Script w = Script::kOther;
    switch (sc) {
      case USCRIPT_COMMON:
      case USCRIPT_INHERITED:
        return;
      case USCRIPT_LATIN:
        w = Script::kLatin;
        break;
      case USCRIPT_CYRILLIC:
        w = Script::kCyrillic;
        break;
      case USCRIPT_GREEK:
        w = Script::kGreek;
        break;
      case USCRIPT_HANGUL:
        w = Script::kHangul;
        break;
      case USCRIPT_HAN:
        w = Script::kHan;
        *has_han = true;
        break;
      case USCRIPT_HIRAGANA:
      case USCRIPT_KATAKANA:
        w = Script::kKana;
        *has_kana = true;
        break;
      case USCRIPT_ARABIC:
        w = Script::kArabic;
        break;
      case USCRIPT_HEBREW:
        w = Script::kHebrew;
        break;
      case USCRIPT_ARMENIAN:
        w = Script::kArmenian;
        break;
      case USCRIPT_GEORGIAN:
        w = Script::kGeorgian;
        break;
      default:
        break;
    }
    if (s == Script::kAscii || s == Script::kLatin) s = w;
  });
  return s;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Han-Latin/Names gives one syllable a word ("xi jin ping"): the surname
// apart, the given name joined, as lists write Chinese names.
std::string SurnameApart(const std::string& syllables) {
  std::string out;
  bool first = true;
  for (char c : syllables) {
    if (c == ' ') {
      if (first && !out.empty()) {
        out.push_back(' ');
        first = false;
      }
      continue;
    }
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

}  // namespace

bool WrittenInSyllables(std::string_view utf8) {
  bool found = false;
  ForEachCodePoint(utf8, [&](UChar32 c) {
    if (c < 0x2E80 || found) return;
    UErrorCode st = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(c, &st);
    found = sc == USCRIPT_HAN || sc == USCRIPT_HANGUL;
  });
  return found;
}

bool HasHangul(std::string_view utf8) {
  bool found = false;
  ForEachCodePoint(utf8, [&](UChar32 c) {
    found = found || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
            (c >= 0x3130 && c <= 0x318F);
  });
  return found;
}

std::string KoreanFold(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i], n = i + 1 < t.size() ? t[i + 1] : '\0';
    char m = c;
    if (c == 'e' && (n == 'o' || n == 'u')) {
      m = n;  // eo -> o, eu -> u
      ++i;
    } else if (n == 'h' && (c == 'k' || c == 't' || c == 'p' || c == 's')) {
      m = c;  // kh, th, ph, sh
      ++i;
    } else if (c == 'c' && n == 'h') {
      m = 'j';
      ++i;
    } else if (c == 'b') {
      m = 'p';
    } else if (c == 'g' && !(i > 0 && t[i - 1] == 'n')) {
      m = 'k';
    } else if (c == 'd') {
      m = 't';
    } else if (c == 'r') {
      m = 'l';
    }
    if (!out.empty() && out.back() == m && m != 'n') continue;
    out.push_back(m);
  }
  return out;
}

std::string RomanizeHangul(std::string_view utf8, KoreanSystem system) {
  const char* const* init = system == KoreanSystem::kRevised ? kInitRevised
                            : system == KoreanSystem::kDprk  ? kInitDprk
                                                             : kInitMr;
  const char* const* vowel = system == KoreanSystem::kRevised ? kVowelRevised : kVowelMr;
  std::string out;
  for (size_t start = 0; start <= utf8.size();) {
    size_t end = utf8.find(' ', start);
    if (end == std::string_view::npos) end = utf8.size();
    std::vector<std::string> syllables;
    std::string other;  // anything else in the word, kept
    ForEachCodePoint(utf8.substr(start, end - start), [&](UChar32 c) {
      if (c >= 0xAC00 && c <= 0xD7A3) {
        const int s = c - 0xAC00;
        const int l = s / (21 * 28), v = (s / 28) % 21, t = s % 28;
        syllables.push_back(std::string(init[l]) + vowel[v] + kFinal[t]);
      } else {
        AppendUtf8(c, &other);
      }
    });
    std::string word;
    for (size_t k = 0; k < syllables.size(); ++k) {
      // Three syllables written together are a surname and a given name.
      if (k == 1 && syllables.size() == 3) word.push_back(' ');
      word += syllables[k];
    }
    if (word == "i") word = "yi";
    word += other;
    if (!out.empty() && !word.empty()) out.push_back(' ');
    out += word;
    if (end == utf8.size()) break;
    start = end + 1;
  }
  return out;
}

std::string RomanizeAbjad(std::string_view utf8) {
  // Whole words with a usual Latin form.
  static const std::map<std::string, std::string, std::less<>> kWords = {
      {"عبد", "abd"}, {"بن", "bin"},  {"ابن", "ibn"}, {"بنت", "bint"}, {"ابو", "abu"},
      {"أبو", "abu"}, {"ابي", "abi"}, {"أبي", "abi"}, {"ام", "umm"},   {"أم", "umm"}};
  std::string out;
  size_t start = 0;
  while (start <= utf8.size()) {
    size_t end = utf8.find(' ', start);
    if (end == std::string_view::npos) end = utf8.size();
    std::string_view word = utf8.substr(start, end - start);
    std::string piece;
    if (auto it = kWords.find(word); it != kWords.end()) {
      piece = it->second;
    } else {
      // The article and عبد written together with the next word.
      static const std::string_view kAbdAl = "عبدال", kAl = "ال";
      std::string_view rest = word;
      if (rest.size() > kAbdAl.size() + 2 && rest.substr(0, kAbdAl.size()) == kAbdAl) {
        piece = "abd al ";
        rest.remove_prefix(kAbdAl.size());
      } else if (rest.size() > kAl.size() + 4 && rest.substr(0, kAl.size()) == kAl) {
        piece = "al ";
        rest.remove_prefix(kAl.size());
      }
      bool first = true;
      ForEachCodePoint(rest, [&](UChar32 c) {
        const char* m = nullptr;
        if (c >= 0x05D0 && c <= 0x05EA) {
          m = HebrewLetter(c, first);
          // וו (double vav) is the consonant v.
          if (c == 0x05D5 && !first && !piece.empty() && piece.back() == 'w') {
            piece.back() = 'v';
            m = "";
          }
        } else if (c >= 0x0600 && c <= 0x06FF) {
          m = ArabicLetter(c);
        } else if (c < 0x80) {
          piece.push_back(static_cast<char>(c));
          first = false;
          return;
        }
        if (m) piece += m;
        first = false;
      });
    }
    if (!out.empty() && !piece.empty()) out.push_back(' ');
    out += piece;
    if (end == utf8.size()) break;
    start = end + 1;
  }
  return Latinize(out);
}

std::vector<Romanization> AlternativeRomanizations(std::string_view input, size_t max) {
  std::vector<Romanization> out;
  if (max == 0) return out;
  bool ascii = true;
  for (unsigned char c : input)
    if (c >= 0x80) ascii = false;
  if (ascii) return out;
  // NFKC first: Arabic presentation forms (U+FB50..U+FEFF) become letters.
  std::string normalized;
  {
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(st);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(input.data(), static_cast<int32_t>(input.size())));
    if (U_SUCCESS(st)) u = nfkc->normalize(u, st);
    if (U_FAILURE(st)) return out;
    u.toUTF8String(normalized);
  }
  const std::string_view utf8 = normalized;

  // Words and their scripts.
  struct Word {
    std::string_view text;
    Script script;
    bool han = false, kana = false;
  };
  std::vector<Word> words;
  bool ukrainian = false, belarusian = false;
  for (size_t start = 0; start <= utf8.size();) {
    size_t end = utf8.find(' ', start);
    if (end == std::string_view::npos) end = utf8.size();
    if (end > start) {
      Word w{utf8.substr(start, end - start), Script::kAscii};
      w.script = ScriptOfWord(w.text, &w.han, &w.kana);
      ForEachCodePoint(w.text, [&](UChar32 c) {
        // і ї є ґ (Ukrainian), ў (Belarusian; і too).
        if (c == 0x0456 || c == 0x0406 || c == 0x0457 || c == 0x0407 || c == 0x0454 ||
            c == 0x0404 || c == 0x0491 || c == 0x0490)
          ukrainian = true;
        if (c == 0x045E || c == 0x040E) belarusian = true;
      });
      words.push_back(w);
    }
    if (end == utf8.size()) break;
    start = end + 1;
  }
  if (words.size() > 24) words.resize(24);  // as AnalyzeName keeps at most 24 tokens

  // Kana, or kanji in one or two words of two characters or more and four
  // in all (鈴木一郎, 鈴木 一郎): a Japanese name. Chinese names have mostly
  // a one-character surname and three characters in all (习近平, 金龍 陳):
  // their Japanese readings would only add noise.
  bool japanese = false;
  {
    size_t han_words = 0, han_total = 0;
    bool short_word = false;
    for (const Word& w : words) {
      if (w.kana) japanese = true;
      if (!w.han) continue;
      size_t n = 0;
      ForEachCodePoint(w.text, [&](UChar32 c) {
        UErrorCode st = U_ZERO_ERROR;
        n += uscript_getScript(c, &st) == USCRIPT_HAN;
      });
      ++han_words;
      han_total += n;
      short_word |= n < 2;
    }
    if (han_words >= 1 && han_words <= 2 && !short_word && han_total >= 4) japanese = true;
  }

  // Per word, its alternatives by system; a system a word lacks uses the
  // word's first alternative (or its Latinize form).
  std::vector<std::string> systems;
  std::vector<std::vector<std::string>> alts(words.size());
  bool abjad = false;
  auto add_system = [&](const std::string& name) {
    for (size_t k = 0; k < systems.size(); ++k)
      if (systems[k] == name) return k;
    systems.push_back(name);
    return systems.size() - 1;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    std::vector<std::pair<std::string, std::string>> mine;  // system, latin
    switch (w.script) {
      case Script::kCyrillic:
        mine.push_back({"BGN/PCGN", IcuRomanize("Russian-Latin/BGN", w.text)});
        if (ukrainian)
          mine.push_back({"Ukrainian BGN/PCGN", IcuRomanize("Ukrainian-Latin/BGN", w.text)});
        if (belarusian)
          mine.push_back({"Belarusian BGN/PCGN", IcuRomanize("Belarusian-Latin/BGN", w.text)});
        break;
      case Script::kGreek:
        mine.push_back({"ELOT 743", IcuRomanize("Greek-Latin/UNGEGN", w.text)});
        break;
      case Script::kArmenian:
        mine.push_back({"BGN/PCGN", IcuRomanize("Armenian-Latin/BGN", w.text)});
        break;
      case Script::kGeorgian:
        mine.push_back({"BGN/PCGN", IcuRomanize("Georgian-Latin/BGN", w.text)});
        break;
      case Script::kHangul:
        mine.push_back({"Revised", Latinize(RomanizeHangul(w.text, KoreanSystem::kRevised))});
        mine.push_back({"McCune-Reischauer",
                        Latinize(RomanizeHangul(w.text, KoreanSystem::kMcCuneReischauer))});
        mine.push_back({"DPRK", Latinize(RomanizeHangul(w.text, KoreanSystem::kDprk))});
        break;
      case Script::kHan:
      case Script::kKana: {
        // A Chinese name is one written word: the surname apart. A word of a
        // name written in several is one part of it (Latinize joins it).
        if (!w.kana && words.size() == 1)
          mine.push_back({"pinyin", SurnameApart(IcuRomanize("Han-Latin/Names", w.text))});
        // Japanese readings, for a name that reads as Japanese (JapaneseLike).
        const std::string reading = japanese ? KakasiReading(w.text) : std::string();
        if (!reading.empty()) {
          mine.push_back({"Hepburn", PassportHepburn(reading)});
          mine.push_back({"Hepburn, long vowels", reading});
        }
        break;
      }
      case Script::kArabic:
      case Script::kHebrew:
        mine.push_back({"abjad", RomanizeAbjad(w.text)});
        abjad = true;
        break;
      default:
        break;
    }
    for (auto& [sys, latin] : mine) {
      const size_t k = add_system(sys);
      if (alts[i].size() <= k) alts[i].resize(k + 1);
      alts[i][k] = std::move(latin);
    }
  }
  if (systems.empty()) return out;
  for (size_t k = 0; k < systems.size() && out.size() < max; ++k) {
    Romanization r;
    r.system = systems[k];
    r.abjad = abjad;
    for (size_t i = 0; i < words.size(); ++i) {
      const std::string* pick = nullptr;
      if (k < alts[i].size() && !alts[i][k].empty()) pick = &alts[i][k];
      for (size_t j = 0; !pick && j < alts[i].size(); ++j)
        if (!alts[i][j].empty()) pick = &alts[i][j];
      std::string fallback;
      if (!pick) {
        fallback = Latinize(words[i].text);
        pick = &fallback;
      }
      if (!r.latin.empty() && !pick->empty()) r.latin.push_back(' ');
      r.latin += *pick;
    }
    // The same as Latinize's is no further form, but an abjad reading is
    // kept: its words compare on consonants.
    if (r.latin.empty() || (!r.abjad && r.latin == Latinize(utf8))) continue;
    bool dup = false;
    for (const Romanization& o : out)
      dup |= o.latin == r.latin;
    if (!dup) out.push_back(std::move(r));
  }
  return out;
}

std::string SpellingFold(std::string_view t) {
  std::string a;
  a.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i], n = i + 1 < t.size() ? t[i + 1] : '\0';
    if (c == 'k' && n == 's') {
      a.push_back('x');
      ++i;
    } else if (c == 'p' && n == 'h') {
      a.push_back('f');
      ++i;
    } else if (c == 't' && n == 'z') {
      a += "ts";
      ++i;
    } else if (c == 'w') {
      a.push_back('v');
    } else if (c == 'y' || (c == 'j' && ((i == 0 && IsVowel(n) && n != 'i') ||
                                         (i + 1 == t.size() && i > 0 && IsVowel(t[i - 1]))))) {
      // y always; j at the start before a, e, o, u (scholarly "Jurij":
      // Yuriy) and at the end after a vowel ("-ij", "-ej"); not elsewhere
      // (pinyin "jian" is not "yan", Korean "unjong" is not "unyong").
      a.push_back('i');
    } else {
      a.push_back(c);
    }
  }
  std::string out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    // "ie" at the start or after a vowel is the iotated e of ye/ie/je.
    if (a[i] == 'i' && i + 1 < a.size() && a[i + 1] == 'e' && (i == 0 || IsVowel(a[i - 1])) &&
        i + 2 < a.size())
      continue;
    if (!out.empty() && out.back() == a[i]) continue;
    out.push_back(a[i]);
  }
  return out;
}

namespace {

// Vowel letters seen between consonants.
constexpr uint8_t kVa = 1, kVe = 2, kVi = 4, kVo = 8, kVu = 16;

// The consonant key of a word and, for each gap (before the first
// consonant, after each consonant), the vowel letters in it.
struct ConsonantScan {
  std::string key;
  std::vector<uint8_t> gaps{0};
};

// Without `gaps` only the key is built (no allocation beyond it).
ConsonantScan ScanConsonants(std::string_view t, bool digraphs, bool gaps = true) {
  ConsonantScan out;
  if (!gaps) out.gaps.clear();
  uint8_t scratch = 0;
  auto gap = [&]() -> uint8_t& { return gaps ? out.gaps.back() : scratch; };
  bool adjacent = false;  // the previous letter was a consonant put in `key`
  auto put = [&](char c) {
    if (!adjacent || out.key.empty() || out.key.back() != c) {
      out.key.push_back(c);
      if (gaps) out.gaps.push_back(0);
    }
    adjacent = true;
  };
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i], n = i + 1 < t.size() ? t[i + 1] : '\0';
    if (digraphs && n == 'h' &&
        (c == 'k' || c == 'g' || c == 's' || c == 'c' || c == 't' || c == 'd' || c == 'p' ||
         c == 'z')) {
      put(c == 'k'               ? 'k'
          : c == 'g'             ? 'j'
          : c == 's' || c == 'c' ? 's'
          : c == 't'             ? 't'
          : c == 'd'             ? 'd'
          : c == 'p'             ? 'b'
                                 : 'j');
      ++i;
      continue;
    }
    if (digraphs && ((c == 't' && (n == 's' || n == 'z')) || (c == 'd' && n == 'j'))) {
      put(c == 'd' ? 'j' : 's');
      ++i;
      continue;
    }
    switch (c) {
      case 'a':
        gap() |= kVa;
        adjacent = false;
        break;
      case 'e':
        gap() |= kVe;
        adjacent = false;
        break;
      case 'i':
      case 'y':
        gap() |= kVi;
        adjacent = false;
        break;
      case 'o':
        gap() |= kVo;
        adjacent = false;
        break;
      case 'u':
      case 'w':
        gap() |= kVu;
        adjacent = false;
        break;
      case 'b':
      case 'p':
      case 'f':
      case 'v':
        put('b');
        break;
      case 'c':
      case 'k':
      case 'q':
        put('k');
        break;
      case 'g':
      case 'j':
        put('j');
        break;
      case 's':
      case 'z':
        put('s');
        break;
      case 'x':
        put('k');
        put('s');
        break;
      default:
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) put(c);
        break;
    }
  }
  if (out.key.size() > 1 && out.key.back() == 'h') {  // a final h is not written alike
    // In an abjad a final he is mostly a vowel (Daniela, Fatimah).
    out.key.pop_back();
    if (gaps) {
      const uint8_t last = out.gaps.back() | (digraphs ? 0 : kVa);
      out.gaps.pop_back();
      out.gaps.back() |= last;
    }
  }
  return out;
}

}  // namespace

std::string ConsonantKey(std::string_view t, bool digraphs) {
  return ScanConsonants(t, digraphs, /*gaps=*/false).key;
}

std::string ConsonantKeyReference(std::string_view t, bool digraphs) {
  return ScanConsonants(t, digraphs, /*gaps=*/true).key;
}

bool AbjadVowelsAgree(std::string_view abjad, std::string_view latin) {
  const ConsonantScan a = ScanConsonants(abjad, /*digraphs=*/false);
  const ConsonantScan l = ScanConsonants(latin, /*digraphs=*/true);
  if (a.key.size() != l.key.size()) return false;
  for (size_t g = 0; g < a.gaps.size(); ++g) {
    const uint8_t want = a.gaps[g], have = l.gaps[g];
    if ((want & kVa) && !have) return false;
    if ((want & kVu) && !(have & (kVo | kVu))) return false;
    if ((want & kVi) && !(have & (kVi | kVe))) return false;
  }
  return true;
}

}  // namespace dualuse::screening
