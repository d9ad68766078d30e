#include "screening/normalize.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace dualuse::screening {
namespace {

// Builds (once each) the prototype transliterators. nullptr when ICU lacks
// the rules (then non-ASCII text is only lower-cased). Two separate statics:
// they can be built on two threads at once (Han-Latin, with its reading
// table, is the costlier).
icu::Transliterator* Build(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Transliterator* t = icu::Transliterator::createInstance(id, UTRANS_FORWARD, status);
  if (U_FAILURE(status)) {
    delete t;
    return nullptr;
  }
  return t;
}

const icu::Transliterator* AnyPrototype() {  // everything but Han
  static const icu::Transliterator* t =
      Build("NFKC; Any-Latin; Latin-ASCII; Any-Lower; NFKD; [:Nonspacing Mark:] Remove; NFC");
  return t;
}

const icu::Transliterator* HanPrototype() {
  static const icu::Transliterator* t = Build("Han-Latin; Latin-ASCII; Any-Lower");
  return t;
}

struct ThreadTranslit {
  std::unique_ptr<icu::Transliterator> any, han;
  ThreadTranslit() {
    if (const icu::Transliterator* p = AnyPrototype()) any.reset(p->clone());
    if (const icu::Transliterator* p = HanPrototype()) han.reset(p->clone());
  }
};

ThreadTranslit& Local() {
  thread_local ThreadTranslit t;
  return t;
}

bool IsHan(UChar32 c) {
  UErrorCode st = U_ZERO_ERROR;
  return uscript_getScript(c, &st) == USCRIPT_HAN;
}

void AppendTransliterated(icu::Transliterator* t, const icu::UnicodeString& in, bool join,
                          std::string* out) {
  icu::UnicodeString s = in;
  if (t) {
    t->transliterate(s);
  } else {
    s.toLower();
  }
  // Residue that is neither a letter, a digit nor ASCII (CJK punctuation,
  // guillemets, modifier letters) separates words.
  icu::UnicodeString clean;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x80 || u_isalnum(c)) {
      clean.append(c);
    } else if (u_hasBinaryProperty(c, UCHAR_DIACRITIC) || u_charType(c) == U_MODIFIER_LETTER) {
      continue;  // ʿ ʾ ' and the like: dropped, as apostrophes are
    } else {
      clean.append(static_cast<UChar32>(' '));
    }
  }
  std::string u8;
  clean.toUTF8String(u8);
  if (join) {
    for (char c : u8)
      if (c != ' ') out->push_back(c);
  } else {
    out->append(u8);
  }
}

}  // namespace

namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

void AppendLowerAscii(std::string_view s, std::string* out) {
  for (char c : s)
    out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
}

// Romanised non-ASCII words of this thread. Bounded: emptied when full.
struct WordCache {
  struct Entry {
    std::string latin;
    bool transliterated = false;
  };
  std::unordered_map<std::string, Entry> words;
  static constexpr size_t kMaxWords = 1 << 16;
};

}  // namespace

void PrepareTransliterators() {
  std::thread han([] { (void)HanPrototype(); });
  (void)AnyPrototype();
  han.join();
}

std::string Latinize(std::string_view utf8, bool* transliterated) {
  if (transliterated) *transliterated = false;
  std::string out;
  out.reserve(utf8.size());
  if (IsAscii(utf8)) {
    AppendLowerAscii(utf8, &out);
    return out;
  }
  // ICU's rules (NFKC, Any-Latin, Latin-ASCII, Any-Lower, mark removal) look
  // at no context across a space, and a space maps to itself: romanising the
  // words one by one is romanising the string.
  thread_local WordCache cache;
  size_t start = 0;
  while (start <= utf8.size()) {
    size_t end = utf8.find(' ', start);
    if (end == std::string_view::npos) end = utf8.size();
    const std::string_view word = utf8.substr(start, end - start);
    if (IsAscii(word)) {
      AppendLowerAscii(word, &out);
    } else {
      auto it = cache.words.find(std::string(word));
      if (it == cache.words.end()) {
        if (cache.words.size() >= WordCache::kMaxWords) cache.words.clear();
        WordCache::Entry e;
        e.latin = LatinizeReference(word, &e.transliterated);
        it = cache.words.emplace(std::string(word), std::move(e)).first;
      }
      out += it->second.latin;
      if (transliterated && it->second.transliterated) *transliterated = true;
    }
    if (end == utf8.size()) break;
    out.push_back(' ');
    start = end + 1;
  }
  return out;
}

std::string LatinizeReference(std::string_view utf8, bool* transliterated) {
  if (transliterated) *transliterated = false;
  std::string out;
  out.reserve(utf8.size());
  if (IsAscii(utf8)) {
    AppendLowerAscii(utf8, &out);
    return out;
  }
  ThreadTranslit& tl = Local();
  // Split into Han and non-Han runs; note whether any letter is non-Latin.
  icu::UnicodeString run;
  bool run_han = false;
  const int32_t len = static_cast<int32_t>(utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t i = 0;
  auto flush = [&] {
    if (run.isEmpty()) return;
    AppendTransliterated(run_han ? tl.han.get() : tl.any.get(), run, run_han, &out);
    if (run_han) out.push_back(' ');
    run.remove();
  };
  while (i < len) {
    UChar32 c;
    U8_NEXT(bytes, i, len, c);
    if (c < 0) c = 0xFFFD;
    const bool han = IsHan(c);
    if (transliterated && u_isalpha(c)) {
      UErrorCode st = U_ZERO_ERROR;
      UScriptCode sc = uscript_getScript(c, &st);
      if (sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED)
        *transliterated = true;
    }
    if (han != run_han) {
      flush();
      run_han = han;
    }
    run.append(c);
  }
  flush();
  return out;
}

namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

std::vector<RawToken> Tokenize(std::string_view s) {
  // First pass: words with the character that follows each.
  struct Piece {
    std::string text;
    char next = ' ';     // the first separator byte after the word
    bool tight = false;  // separator run is only '.', '-' (no space)
  };
  std::vector<Piece> pieces;
  std::string cur;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (IsWordByte(c)) {
      cur.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if ((c == '\'' || c == '`') && !cur.empty() && i + 1 < n &&
        IsWordByte(static_cast<unsigned char>(s[i + 1]))) {
      ++i;  // apostrophe inside a word joins
      continue;
    }
    if (c == '\'' || c == '`') {
      ++i;
      continue;
    }
    // separator run
    size_t j = i;
    bool tight = true;
    bool amp = false;
    while (j < n) {
      unsigned char d = static_cast<unsigned char>(s[j]);
      if (d >= 'A' && d <= 'Z') break;
      if (IsWordByte(d)) break;
      if (d == '&') amp = true;
      if (d != '.' && d != '-') tight = false;
      ++j;
    }
    if (!cur.empty()) {
      pieces.push_back({cur, s[i], tight && j < n});
      cur.clear();
    }
    if (amp) pieces.push_back({"and", ' ', false});
    i = j;
  }
  if (!cur.empty()) pieces.push_back({cur, ' ', false});

  std::vector<RawToken> out;
  for (size_t k = 0; k < pieces.size();) {
    // A run of single letters each followed by '.', joined by tight separators.
    if (pieces[k].text.size() == 1 && pieces[k].next == '.') {
      size_t e = k;
      std::string acro = pieces[k].text;
      while (e + 1 < pieces.size() && pieces[e].tight && pieces[e + 1].text.size() == 1 &&
             (pieces[e + 1].next == '.' || e + 2 == pieces.size() || !pieces[e + 1].tight)) {
        ++e;
        acro += pieces[e].text;
      }
      if (e > k) {
        out.push_back({acro, true});
        k = e + 1;
        continue;
      }
    }
    out.push_back({pieces[k].text, false});
    ++k;
  }
  return out;
}

}  // namespace dualuse::screening
