#include "screening/normalize.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>
#include <mutex>

namespace dualuse::screening {
namespace {

// Builds (once) the prototype transliterators. nullptr when ICU lacks the
// rules (then non-ASCII text is only lower-cased).
struct Prototypes {
  std::unique_ptr<icu::Transliterator> any;  // everything but Han
  std::unique_ptr<icu::Transliterator> han;
};

const Prototypes& GetPrototypes() {
  static Prototypes* protos = [] {
    auto* p = new Prototypes;
    UErrorCode status = U_ZERO_ERROR;
    p->any.reset(icu::Transliterator::createInstance(
        "NFKC; Any-Latin; Latin-ASCII; Any-Lower; NFKD; [:Nonspacing Mark:] Remove; NFC",
        UTRANS_FORWARD, status));
    if (U_FAILURE(status)) p->any.reset();
    status = U_ZERO_ERROR;
    p->han.reset(icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Any-Lower",
                                                     UTRANS_FORWARD, status));
    if (U_FAILURE(status)) p->han.reset();
    return p;
  }();
  return *protos;
}

struct ThreadTranslit {
  std::unique_ptr<icu::Transliterator> any, han;
  ThreadTranslit() {
    const Prototypes& p = GetPrototypes();
    if (p.any) any.reset(p.any->clone());
    if (p.han) han.reset(p.han->clone());
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

std::string Latinize(std::string_view utf8, bool* transliterated) {
  if (transliterated) *transliterated = false;
  bool ascii = true;
  for (unsigned char c : utf8) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  std::string out;
  out.reserve(utf8.size());
  if (ascii) {
    for (char c : utf8)
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
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
