#include "screening/match.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "screening/conventions.h"
#include "screening/distance.h"
#include "screening/normalize.h"
#include "screening/translit.h"

namespace dualuse::screening {

using lists::Schema;

NameClass ClassOf(Schema schema) {
  switch (schema) {
    case Schema::kPerson:
      return NameClass::kPerson;
    case Schema::kOrganization:
    case Schema::kCompany:
      return NameClass::kOrg;
    case Schema::kVessel:
    case Schema::kAircraft:
      return NameClass::kObject;
    case Schema::kLegalEntity:
      return NameClass::kAny;
  }
  return NameClass::kAny;
}

bool SchemataCompatible(Schema q, Schema r) {
  auto object = [](Schema s) { return s == Schema::kVessel || s == Schema::kAircraft; };
  if (object(q) || object(r)) return q == r;
  if (q == Schema::kLegalEntity || r == Schema::kLegalEntity) return true;
  if (q == Schema::kPerson || r == Schema::kPerson) return q == r;
  return true;  // Company, Organization
}

int EditBudget(size_t len) {
  // Close to logic-v2 (rigour compare_parts: budget = log_2.35(max(len - 2,
  // 1)), i.e. no edit up to 4 characters: one-letter changes of short name
  // syllables, "Ding" / "Ling", are different names), but more generous for
  // long tokens (tuned on the dev pairs): 1 edit at 5, 2 up to 10, 3 above.
  if (len <= 4) return 0;
  if (len <= 5) return 1;
  if (len <= 10) return 2;
  return 3;
}

namespace {

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int RomanValue(std::string_view s) {
  static const char* kRoman[] = {"i",    "ii",  "iii",  "iv",    "v",   "vi",   "vii",
                                 "viii", "ix",  "x",    "xi",    "xii", "xiii", "xiv",
                                 "xv",   "xvi", "xvii", "xviii", "xix", "xx"};
  for (int i = 0; i < 20; ++i)
    if (s == kRoman[i]) return i + 1;
  return -1;
}

bool EndsWith(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

}  // namespace

std::string Skeleton(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    char n = i + 1 < t.size() ? t[i + 1] : '\0';
    char m = 0;
    if (n == 'h' && (c == 'p')) {
      m = 'f';
      ++i;
    } else if (n == 'h' &&
               (c == 'k' || c == 'g' || c == 'd' || c == 't' || c == 's' || c == 'z' || c == 'c')) {
      m = c == 'k' ? 'k' : c == 'g' ? 'g' : c == 'd' ? 'd' : c == 't' ? 't' : c == 'z' ? 'j' : 's';
      ++i;
    } else if (c == 'c' && n == 'k') {
      m = 'k';
      ++i;
    } else if (IsVowel(c)) {
      m = 'a';
    } else if (c == 'q' || c == 'c') {
      m = 'k';
    } else if (c == 'z' || c == 'x') {
      m = 's';
    } else if (c == 'w') {
      m = 'v';
    } else if (c == 'h') {
      if (!out.empty()) continue;
      m = 'h';
    } else {
      m = c;
    }
    if (!out.empty() && out.back() == m) continue;
    out.push_back(m);
  }
  return out;
}

AnalyzedName AnalyzeName(std::string_view name, NameClass cls, const NameTerms& terms) {
  AnalyzedName an;
  an.original = std::string(name);
  bool translit = false;
  std::vector<RawToken> raw = Tokenize(Latinize(name, &translit));
  an.translit = translit;
  if (raw.size() > kMaxNameTokens) raw.resize(kMaxNameTokens);
  for (RawToken& t : raw) {
    auto it = terms.abbreviations.find(t.text);
    if (it != terms.abbreviations.end()) t.text = it->second;
  }
  // Vessel and aircraft prefixes ("MV", "M/V").
  if (cls == NameClass::kObject && raw.size() > 1) {
    if (raw.size() > 2 && terms.object_prefixes.count(raw[0].text + " " + raw[1].text)) {
      raw.erase(raw.begin(), raw.begin() + 2);
    } else if (terms.object_prefixes.count(raw[0].text)) {
      raw.erase(raw.begin());
    }
  }
  // Leading honorifics ("Mr.", "President", "Shaikh").
  if (cls == NameClass::kPerson || cls == NameClass::kAny) {
    size_t drop = 0;
    while (drop + 1 < raw.size() && terms.honorifics.count(raw[drop].text))
      ++drop;
    raw.erase(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  const size_t n = raw.size();
  std::vector<NameToken> toks;
  toks.reserve(n);
  for (size_t i = 0; i < n;) {
    // Legal forms: longest phrase first; never the whole name.
    if (cls != NameClass::kObject && n > 1 && terms.legal_form_first.count(raw[i].text)) {
      size_t best = 0;
      const LegalForm* form = nullptr;
      std::string phrase;
      const size_t maxlen = std::min(terms.max_legal_form_tokens, n - i);
      for (size_t len = maxlen; len >= 1 && !form; --len) {
        if (len == n) continue;
        phrase.clear();
        for (size_t k = i; k < i + len; ++k) {
          if (k > i) phrase.push_back(' ');
          phrase += raw[k].text;
        }
        auto it = terms.legal_forms.find(phrase);
        if (it == terms.legal_forms.end()) continue;
        if (cls == NameClass::kPerson) {
          // In person names only unambiguous forms, at either end.
          if (phrase.size() < 3 || (i != 0 && i + len != n)) continue;
        }
        form = &it->second;
        best = len;
      }
      if (form) {
        NameToken t;
        t.text = form->canonical;
        t.group = form->group;
        t.kind = TokenKind::kLegalForm;
        t.skel = t.text;
        toks.push_back(std::move(t));
        i += best;
        continue;
      }
    }
    NameToken t;
    t.text = raw[i].text;
    t.acronym = raw[i].acronym;
    t.translit = translit;
    if (AllDigits(t.text)) {
      t.kind = TokenKind::kNumber;
      t.number = t.text.size() <= 15 ? std::stoll(t.text) : -2;
    } else if (auto nw = terms.number_words.find(t.text); nw != terms.number_words.end()) {
      t.kind = TokenKind::kNumber;
      t.number = nw->second;
      // "forty four" -> 44
      if (nw->second >= 20 && nw->second < 100 && nw->second % 10 == 0 && i + 1 < n) {
        auto nx = terms.number_words.find(raw[i + 1].text);
        if (nx != terms.number_words.end() && nx->second > 0 && nx->second < 10) {
          t.number += nx->second;
          ++i;
        }
      }
      t.text = std::to_string(t.number);
    } else if (cls != NameClass::kPerson && i > 0 && RomanValue(t.text) > 0) {
      t.kind = TokenKind::kNumber;
      t.number = RomanValue(t.text);
      t.text = std::to_string(t.number);
    } else if (t.text.size() == 1 && cls != NameClass::kObject &&
               static_cast<unsigned char>(t.text[0]) < 0x80) {
      t.kind = TokenKind::kInitial;
    } else if (n > 1 && terms.stopwords.count(t.text) &&
               (cls != NameClass::kPerson || (i > 0 && i + 1 < n))) {
      // In person names a particle is one only inside the name: "Le" and
      // "Bin" are surnames and given names at either end.
      t.kind = TokenKind::kStop;
    } else if ((cls == NameClass::kOrg || cls == NameClass::kAny) &&
               terms.org_generic.count(t.text)) {
      t.kind = TokenKind::kGeneric;
    }
    if ((cls == NameClass::kPerson || cls == NameClass::kAny) && t.kind == TokenKind::kWord) {
      for (const std::string& suf : terms.patronymic_suffixes) {
        if (t.text.size() >= suf.size() + 3 && EndsWith(t.text, suf)) {
          t.patronymic = true;
          break;
        }
      }
    }
    t.skel = Skeleton(t.text);
    toks.push_back(std::move(t));
    ++i;
  }
  an.tokens = std::move(toks);
  for (NameToken& t : an.tokens) {
    t.mask = ByteMask(t.text);
    if (t.kind == TokenKind::kWord || t.kind == TokenKind::kGeneric) {
      if (auto c = terms.spelling_class.find(t.text); c != terms.spelling_class.end()) {
        t.spell = "~" + c->second;
      } else {
        t.spell = SpellingFold(t.text);
      }
      t.spell_mask = ByteMask(t.spell);
      t.ckey = ConsonantKey(t.text);
    }
  }
  for (const NameToken& t : an.tokens) {
    if (!an.full.empty()) an.full.push_back(' ');
    an.full += t.text;
    if (t.kind != TokenKind::kStop && t.kind != TokenKind::kLegalForm) an.joined += t.text;
  }
  return an;
}

namespace {

enum class How : uint8_t {
  kExact,
  kTranslit,
  kPhonetic,
  kFuzzy,
  kInitial,
  kJoined,
  kAcronym,
  kNumber,
  kLegal,
  kVariant,
  kConsonants,
};

const char* HowName(How h) {
  switch (h) {
    case How::kExact:
      return "exact";
    case How::kTranslit:
      return "transliterated";
    case How::kPhonetic:
      return "phonetic";
    case How::kFuzzy:
      return "fuzzy";
    case How::kInitial:
      return "initial";
    case How::kJoined:
      return "joined";
    case How::kAcronym:
      return "acronym";
    case How::kNumber:
      return "number";
    case How::kLegal:
      return "legal form";
    case How::kVariant:
      return "spelling variant";
    case How::kConsonants:
      return "consonants";
  }
  return "?";
}

double Weight(const NameToken& t, const ScoreParams& p) {
  double w = 1.0;
  switch (t.kind) {
    case TokenKind::kWord:
      w = p.w_word;
      break;
    case TokenKind::kGeneric:
      w = p.w_generic;
      break;
    case TokenKind::kStop:
      w = p.w_stop;
      break;
    case TokenKind::kInitial:
      w = p.w_initial;
      break;
    case TokenKind::kNumber:
      w = p.w_number;
      break;
    case TokenKind::kLegalForm:
      w = p.w_legal;
      break;
  }
  if (t.patronymic) w *= p.patronymic_factor;
  return w;
}

struct TokenSim {
  double sim = 0;
  How how = How::kExact;
  int dist = 0;
};

// The Arabic sun letters as RomanizeAbjad writes them (t, d, r, z, s, l, n):
// the article before them is pronounced as the letter ("ad-din", "ar-rahman").
bool IsSunLetter(char c) {
  return c == 't' || c == 'd' || c == 'r' || c == 'z' || c == 's' || c == 'l' || c == 'n';
}

// Whether two spellings differ only in doubled letters ("Mohammed" /
// "Mohamed"): an edit, not a transliteration variant.
bool OnlyDoubled(std::string_view a, std::string_view b) {
  auto once = [](std::string_view s) {
    std::string o;
    for (char c : s)
      if (o.empty() || o.back() != c) o.push_back(c);
    return o;
  };
  return once(a) == once(b);
}

// Whether two words start alike: both with a vowel or both with a consonant
// (y and w may be either).
bool InitialsAgree(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return true;
  auto cls = [](char c) {
    if (c == 'y' || c == 'w') return 0;
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ? 1 : 2;
  };
  const int x = cls(a[0]), y = cls(b[0]);
  return x == 0 || y == 0 || x == y;
}

// Two spellings within one edit once transliteration differences are folded
// ("Aleksandr" / "Alexander": "alexandr" / "alexander").
// Spelling classes ("~head") compare only by equality.
TokenSim VariantFuzzy(const NameToken& a, const NameToken& b, const ScoreParams& p) {
  TokenSim s;
  if (a.spell.empty() || b.spell.empty() || a.spell[0] == '~' || b.spell[0] == '~') return s;
  if (a.spell == a.text && b.spell == b.text) return s;  // nothing folded: already compared
  const size_t la = a.spell.size(), lb = b.spell.size();
  const size_t len = std::max(la, lb);
  // One edit at most, on six letters or more: folding already removed the
  // systematic differences, what remains must be small.
  const int budget = len >= 6 ? 1 : 0;
  if (budget == 0 || (la > lb ? la - lb : lb - la) > static_cast<size_t>(budget)) return s;
  if (ByteMaskLowerBound(a.spell_mask, b.spell_mask) > budget) return s;
  const int d = LevenshteinBounded(a.spell, b.spell, budget);
  if (d <= budget) {
    s.sim = p.sim_variant * std::max(0.0, 1.0 - p.fuzzy_scale * d / static_cast<double>(len));
    s.how = How::kVariant;
    s.dist = d;
  }
  return s;
}

// Similarity of two (non-legal-form) tokens.
TokenSim CompareTokens(const NameToken& a, const NameToken& b, const ScoreParams& p) {
  TokenSim s;
  const bool an = a.kind == TokenKind::kNumber, bn = b.kind == TokenKind::kNumber;
  if (an || bn) {
    if (an && bn && a.number == b.number && a.text == b.text) {
      s.sim = 1.0;
      s.how = How::kNumber;
    }
    return s;
  }
  if (a.text == b.text) {
    s.sim = 1.0;
    s.how = (a.translit || b.translit) ? How::kTranslit : How::kExact;
    return s;
  }
  const bool ai = a.kind == TokenKind::kInitial, bi = b.kind == TokenKind::kInitial;
  if (ai || bi) {
    if (ai && bi) return s;  // different initials
    const NameToken& init = ai ? a : b;
    const NameToken& word = ai ? b : a;
    if (word.kind != TokenKind::kStop && !word.text.empty() && word.text[0] == init.text[0]) {
      s.sim = p.sim_initial;
      s.how = How::kInitial;
    }
    return s;
  }
  if (a.kind == TokenKind::kStop || b.kind == TokenKind::kStop) return s;
  if (a.abjad != b.abjad) {
    // An abjad does not write short vowels: only the consonants compare
    // ("hsn" / "Hassan"), exactly, or one substituted for three or more
    // with the same first consonant; the vowel letters the abjad did write
    // must be in the Latin spelling (AbjadVowelsAgree: "Mahmoud" is not
    // "Mohammed"), and a word that starts with a vowel is not one that
    // starts with a consonant.
    const std::string &ka = a.ckey, &kb = b.ckey;
    // One consonant is enough when the vowel letters agree too ("aly" /
    // Ali, "th" / Taha), for words of two letters or more.
    if (ka.size() != kb.size() || ka.empty() || std::min(a.text.size(), b.text.size()) < 2 ||
        !InitialsAgree(a.text, b.text))
      return s;
    if (!(a.abjad ? AbjadVowelsAgree(a.text, b.text) : AbjadVowelsAgree(b.text, a.text))) return s;
    if (ka == kb) {
      s.sim = p.sim_consonants;
      s.how = How::kConsonants;
    } else if (ka.size() >= 3 && ka[0] == kb[0] && LevenshteinBounded(ka, kb, 1) <= 1) {
      s.sim = p.sim_consonants_fuzzy;
      s.how = How::kConsonants;
      s.dist = 1;
    }
    return s;
  }
  if (!a.spell.empty() && a.spell == b.spell && !OnlyDoubled(a.text, b.text)) {
    s.sim = p.sim_variant;
    s.how = How::kVariant;
    return s;
  }
  if (!a.korean.empty() || !b.korean.empty()) {
    // Hangul romanised against a Latin spelling of Korean: the systems'
    // differences folded (KoreanFold), exactly.
    if (a.korean.empty() != b.korean.empty() && a.text.size() >= 2 && b.text.size() >= 2 &&
        (a.korean.empty() ? KoreanFold(a.text) : a.korean) ==
            (b.korean.empty() ? KoreanFold(b.text) : b.korean)) {
      s.sim = p.sim_variant;
      s.how = How::kVariant;
      return s;
    }
  }
  if (a.alt || b.alt) return s;
  const size_t len = std::max(a.text.size(), b.text.size());
  const int budget = EditBudget(len);
  // Cheap rejections first: no budget, or lengths too far apart.
  const size_t la = a.text.size(), lb = b.text.size();
  if (budget == 0 || (la > lb ? la - lb : lb - la) > static_cast<size_t>(std::max(budget, 2)))
    return VariantFuzzy(a, b, p);
  // Both outcomes below need d <= budget.
  if (ByteMaskLowerBound(a.mask, b.mask) > budget) return VariantFuzzy(a, b, p);
  const int d = LevenshteinBounded(a.text, b.text, std::max(budget, 2));
  if (d <= budget) {
    s.sim = std::max(0.0, 1.0 - p.fuzzy_scale * d / static_cast<double>(len));
    s.how = (a.translit || b.translit) ? How::kTranslit : How::kFuzzy;
    s.dist = d;
  }
  const size_t shorter = std::min(a.text.size(), b.text.size());
  if (a.skel == b.skel && shorter >= 4 && d <= budget) {
    if (p.sim_phonetic > s.sim) {
      s.sim = p.sim_phonetic;
      s.how = How::kPhonetic;
      s.dist = d;
    }
  }
  if (s.sim == 0) return VariantFuzzy(a, b, p);
  return s;
}

// Token indexes of one side of an alignment: one token, or a run of 2-3
// (JoinRuns). Inline: the scorer allocates nothing per aligned pair.
struct Idx {
  int v[3] = {0, 0, 0};
  uint8_t n = 0;
  Idx() = default;
  explicit Idx(int i) : n(1) { v[0] = i; }
  const int* begin() const { return v; }
  const int* end() const { return v + n; }
  size_t size() const { return n; }
  int operator[](size_t k) const { return v[k]; }
  void push_back(int i) { v[n++] = i; }
};

struct Alignment {
  Idx qs, rs;  // token indexes on each side
  double sim = 0;
  How how = How::kExact;
  int dist = 0;
};

std::string Quote(const AnalyzedName& n, const Idx& idx) {
  std::string s = "'";
  for (size_t k = 0; k < idx.size(); ++k) {
    if (k) s.push_back(' ');
    s += n.tokens[static_cast<size_t>(idx[k])].text;
  }
  s.push_back('\'');
  return s;
}

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// Tries to align an unmatched token of `a` with a run of 2-3 consecutive
// unmatched content tokens of `b`: joined ("alisherusmanov" / "alisher
// usmanov") or acronym ("jc" / "jean claude").
void JoinRuns(const AnalyzedName& a, const AnalyzedName& b, std::vector<char>& used_a,
              std::vector<char>& used_b, bool a_is_query, bool allow_acronym, const ScoreParams& p,
              std::vector<Alignment>* out) {
  const size_t na = a.tokens.size(), nb = b.tokens.size();
  // A run needs two unused tokens of `b` side by side.
  bool pair = false;
  for (size_t k = 0; k + 1 < nb && !pair; ++k)
    pair = !used_b[k] && !used_b[k + 1];
  if (!pair) return;
  std::string cat, initials;
  for (size_t i = 0; i < na; ++i) {
    if (used_a[i]) continue;
    const NameToken& t = a.tokens[i];
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kGeneric) continue;
    if (t.text.size() < 2) continue;
    bool done = false;
    for (size_t j = 0; j < nb && !done; ++j) {
      size_t cat_size = 0;  // the run's letters joined; built only when it may match
      initials.clear();
      Idx run;
      for (size_t k = j; k < nb && k < j + 3; ++k) {
        const NameToken& u = b.tokens[k];
        if (used_b[k] || u.kind == TokenKind::kLegalForm || u.kind == TokenKind::kNumber) break;
        // An abjad-written run against a Latin part, or the reverse: the
        // consonants of the joined run ("abd" "allh" / "Abdallah").
        const bool cross = u.abjad != t.abjad;
        if (k > j && b.tokens[static_cast<size_t>(run[0])].abjad != u.abjad) break;
        cat_size += u.text.size();
        initials.push_back(u.text[0]);
        run.push_back(static_cast<int>(k));
        if (!cross && cat_size > t.text.size() + 1 && initials.size() > t.text.size()) break;
        if (run.size() < 2) continue;
        Alignment al;
        // The consonant comparisons need a key of 3 or more consonants on
        // `t`'s side (checked first: the run's key is built only then).
        if (cross && u.abjad && t.ckey.size() >= 3) {
          // The abjad run joined, and joined with the article assimilated
          // to a sun letter as Latin spellings write it (نور الدين: "nwr al
          // dyn" / Noureddine, "al" + d -> "ad").
          for (int assimilate = 0; assimilate < 2 && al.sim == 0; ++assimilate) {
            cat.clear();
            bool changed = false;
            for (size_t r = 0; r < run.size(); ++r) {
              const std::string& w = b.tokens[static_cast<size_t>(run[r])].text;
              if (assimilate && w == "al" && r + 1 < run.size() &&
                  IsSunLetter(b.tokens[static_cast<size_t>(run[r + 1])].text[0])) {
                cat += "a";
                changed = true;
              } else {
                cat += w;
              }
            }
            if (assimilate && !changed) break;
            if (ConsonantKey(cat, /*digraphs=*/false) == t.ckey && AbjadVowelsAgree(cat, t.text) &&
                InitialsAgree(cat, t.text)) {
              al.sim = p.sim_consonants;
              al.how = How::kJoined;
            }
          }
        } else if (cross && !u.abjad && t.ckey.size() >= 3) {
          cat.clear();
          for (int r : run)
            cat += b.tokens[static_cast<size_t>(r)].text;
          if (ConsonantKey(cat) == t.ckey && AbjadVowelsAgree(t.text, cat) &&
              InitialsAgree(cat, t.text)) {
            al.sim = p.sim_consonants;
            al.how = How::kJoined;
          }
        }
        // Within one edit only when the lengths differ by at most one.
        if (!cross && t.text.size() >= 4 && cat_size >= 4 &&
            (cat_size > t.text.size() ? cat_size - t.text.size() : t.text.size() - cat_size) <= 1) {
          cat.clear();
          for (int r : run)
            cat += b.tokens[static_cast<size_t>(r)].text;
          const size_t len = std::max(t.text.size(), cat.size());
          const bool alt = t.alt || u.alt;
          const int budget = alt ? 0 : std::min(EditBudget(len), 1);
          const int d = LevenshteinBounded(t.text, cat, budget);
          if (d <= budget) {
            al.sim = 1.0 - p.fuzzy_scale * d / static_cast<double>(len);
            al.how = How::kJoined;
            al.dist = d;
          } else if (t.korean.empty() != u.korean.empty() &&
                     KoreanFold(t.text) == KoreanFold(cat)) {
            al.sim = p.sim_variant;  // "yongpok" / "Yong Bok"
            al.how = How::kJoined;
          }
        }
        if (al.sim == 0 && t.text.size() <= 4 && initials == t.text &&
            (allow_acronym || t.acronym)) {
          al.sim = p.sim_acronym;
          al.how = How::kAcronym;
        }
        if (al.sim > 0) {
          const Idx one(static_cast<int>(i));
          al.qs = a_is_query ? one : run;
          al.rs = a_is_query ? run : one;
          used_a[i] = 1;
          for (int r : run)
            used_b[static_cast<size_t>(r)] = 1;
          out->push_back(al);
          done = true;
          break;
        }
      }
    }
  }
}

}  // namespace

double ScoreNames(const AnalyzedName& q, const AnalyzedName& r, NameClass cls, const ScoreParams& p,
                  std::vector<std::string>* explanation) {
  if (q.tokens.empty() || r.tokens.empty()) return 0.0;
  if (q.full == r.full) {
    if (explanation) {
      explanation->push_back(std::string(q.translit || r.translit ? "transliterated" : "exact") +
                             ": '" + q.full + "' = '" + r.full + "' (whole name)");
    }
    return 1.0;
  }
  const size_t nq = q.tokens.size(), nr = r.tokens.size();
  // Per-thread scratch (no allocation per scored pair once warm).
  thread_local std::vector<char> uq, ur;
  thread_local std::vector<Alignment> aligned;
  uq.assign(nq, 0);
  ur.assign(nr, 0);
  aligned.clear();

  // 1. Token pairs, best first (greedy assignment).
  struct Cand {
    double sim;
    double w;
    int i, j;
    How how;
    int dist;
  };
  thread_local std::vector<Cand> cands;
  cands.clear();
  for (size_t i = 0; i < nq; ++i) {
    const NameToken& a = q.tokens[i];
    if (a.kind == TokenKind::kLegalForm) continue;
    for (size_t j = 0; j < nr; ++j) {
      const NameToken& b = r.tokens[j];
      if (b.kind == TokenKind::kLegalForm) continue;
      TokenSim s = CompareTokens(a, b, p);
      if (s.sim > 0) {
        cands.push_back({s.sim, std::max(Weight(a, p), Weight(b, p)), static_cast<int>(i),
                         static_cast<int>(j), s.how, s.dist});
      }
    }
  }
  std::sort(cands.begin(), cands.end(), [](const Cand& x, const Cand& y) {
    if (x.sim != y.sim) return x.sim > y.sim;
    if (x.w != y.w) return x.w > y.w;
    if (x.i != y.i) return x.i < y.i;
    return x.j < y.j;
  });
  for (const Cand& c : cands) {
    if (uq[static_cast<size_t>(c.i)] || ur[static_cast<size_t>(c.j)]) continue;
    uq[static_cast<size_t>(c.i)] = ur[static_cast<size_t>(c.j)] = 1;
    Alignment al;
    al.qs = Idx(c.i);
    al.rs = Idx(c.j);
    al.sim = c.sim;
    al.how = c.how;
    al.dist = c.dist;
    aligned.push_back(al);
  }
  // 2. Joined and split tokens, acronyms.
  // In person names a listed "Jr" or "SR" is no acronym of query names.
  JoinRuns(q, r, uq, ur, true, true, p, &aligned);
  JoinRuns(r, q, ur, uq, false, cls != NameClass::kPerson, p, &aligned);

  // 3. Legal forms: aligned when both sides have one.
  double factor = 1.0, legal_factor = 1.0;
  double m = 0, wm = 0;
  {
    std::vector<int> lq, lr;
    for (size_t i = 0; i < nq; ++i)
      if (q.tokens[i].kind == TokenKind::kLegalForm) lq.push_back(static_cast<int>(i));
    for (size_t j = 0; j < nr; ++j)
      if (r.tokens[j].kind == TokenKind::kLegalForm) lr.push_back(static_cast<int>(j));
    if (!lq.empty() && !lr.empty()) {
      double best = 0;
      int bi = lq[0], bj = lr[0];
      for (int i : lq) {
        for (int j : lr) {
          const NameToken &a = q.tokens[static_cast<size_t>(i)],
                          &b = r.tokens[static_cast<size_t>(j)];
          double s = a.text == b.text ? 1.0 : a.group == b.group ? 0.9 : 0.0;
          if (s > best) {
            best = s;
            bi = i;
            bj = j;
          }
        }
      }
      if (best > 0) {
        Alignment al;
        al.qs = Idx(bi);
        al.rs = Idx(bj);
        al.sim = best;
        al.how = How::kLegal;
        aligned.push_back(al);
      } else {
        factor *= p.legal_mismatch;
        legal_factor = p.legal_mismatch;
        if (explanation)
          explanation->push_back("legal form mismatch: '" + q.tokens[static_cast<size_t>(bi)].text +
                                 "' vs '" + r.tokens[static_cast<size_t>(bj)].text + "' x" +
                                 Fmt(p.legal_mismatch));
      }
      for (int i : lq)
        uq[static_cast<size_t>(i)] = 1;  // never counted as extra
      for (int j : lr)
        ur[static_cast<size_t>(j)] = 1;
    } else {
      for (int i : lq)
        uq[static_cast<size_t>(i)] = 1;
      for (int j : lr)
        ur[static_cast<size_t>(j)] = 1;
    }
  }

  // 4. Aligned evidence.
  bool distinctive = false;
  int strong = 0;
  for (const Alignment& al : aligned) {
    double wq = 0, wr = 0;
    for (int i : al.qs)
      wq += Weight(q.tokens[static_cast<size_t>(i)], p);
    for (int j : al.rs)
      wr += Weight(r.tokens[static_cast<size_t>(j)], p);
    // An initial is worth what an initial is worth, whichever side has it.
    const double w = al.how == How::kInitial ? std::min(wq, wr) : std::max(wq, wr);
    m += al.sim * w;
    wm += w;
    if (al.how != How::kInitial && al.how != How::kAcronym && al.how != How::kLegal &&
        al.sim >= 0.7) {
      for (int i : al.qs) {
        TokenKind k = q.tokens[static_cast<size_t>(i)].kind;
        if (k == TokenKind::kWord || k == TokenKind::kNumber) ++strong;
      }
    }
    for (int i : al.qs) {
      TokenKind k = q.tokens[static_cast<size_t>(i)].kind;
      if ((k == TokenKind::kWord || k == TokenKind::kNumber) && al.how != How::kInitial &&
          al.how != How::kAcronym)
        distinctive = true;
    }
    if (explanation) {
      std::string line = HowName(al.how);
      if (al.how == How::kFuzzy || al.how == How::kPhonetic || al.how == How::kJoined ||
          ((al.how == How::kTranslit || al.how == How::kVariant || al.how == How::kConsonants) &&
           al.dist > 0)) {
        // Piece by piece: GCC 12 at -O3 reports a false -Wrestrict on
        // `"(" + std::to_string(...)`.
        line.push_back('(');
        line.append(std::to_string(al.dist));
        line.push_back(')');
      }
      line += ": " + Quote(q, al.qs) + (al.sim >= 1.0 ? " = " : " ~ ") + Quote(r, al.rs) + " " +
              Fmt(al.sim) + " weight " + Fmt(w);
      explanation->push_back(std::move(line));
    }
  }

  // 5. Left-over parts: contradictions (both sides), omissions (one side).
  struct Left {
    int idx;
    double w;
  };
  thread_local std::vector<Left> lq, lr;
  lq.clear();
  lr.clear();
  double stop_extra = 0;
  for (size_t i = 0; i < nq; ++i) {
    if (uq[i]) continue;
    const NameToken& t = q.tokens[i];
    if (t.kind == TokenKind::kStop) {
      stop_extra += Weight(t, p) * 0.5;
      continue;
    }
    lq.push_back({static_cast<int>(i), Weight(t, p)});
  }
  for (size_t j = 0; j < nr; ++j) {
    if (ur[j]) continue;
    const NameToken& t = r.tokens[j];
    if (t.kind == TokenKind::kStop) {
      stop_extra += Weight(t, p) * 0.2;
      continue;
    }
    lr.push_back({static_cast<int>(j), Weight(t, p)});
  }
  auto by_w = [](const Left& a, const Left& b) {
    if (a.w != b.w) return a.w > b.w;
    return a.idx < b.idx;
  };
  std::sort(lq.begin(), lq.end(), by_w);
  std::sort(lr.begin(), lr.end(), by_w);
  const bool person = cls == NameClass::kPerson;
  const double xq = person ? p.extra_query : p.extra_query_org;
  const double xr = person ? p.extra_result : p.extra_result_org;
  double cost = stop_extra;
  const size_t nc = std::min(lq.size(), lr.size());
  for (size_t k = 0; k < nc; ++k) {
    const NameToken& a = q.tokens[static_cast<size_t>(lq[k].idx)];
    const NameToken& b = r.tokens[static_cast<size_t>(lr[k].idx)];
    cost += p.contradiction * (lq[k].w + lr[k].w) / 2.0;
    double f = p.contra_word;
    if (a.kind == TokenKind::kInitial || b.kind == TokenKind::kInitial)
      f = p.contra_initial;
    else if (a.kind == TokenKind::kNumber && b.kind == TokenKind::kNumber)
      f = p.contra_number;
    else if (a.patronymic || b.patronymic || a.kind == TokenKind::kGeneric ||
             b.kind == TokenKind::kGeneric)
      f = std::sqrt(p.contra_word);
    factor *= f;
    if (explanation)
      explanation->push_back("contradiction: '" + a.text + "' vs '" + b.text + "' x" + Fmt(f));
  }
  for (size_t k = nc; k < lq.size(); ++k) {
    cost += xq * lq[k].w;
    if (explanation)
      explanation->push_back("missing in listed name: '" +
                             q.tokens[static_cast<size_t>(lq[k].idx)].text + "' weight " +
                             Fmt(xq * lq[k].w));
  }
  for (size_t k = nc; k < lr.size(); ++k) {
    cost += xr * lr[k].w;
    if (explanation)
      explanation->push_back("missing in query: '" + r.tokens[static_cast<size_t>(lr[k].idx)].text +
                             "' weight " + Fmt(xr * lr[k].w));
  }
  double score = wm > 0 ? m / (wm + cost) : 0.0;
  if (!distinctive) {
    score *= p.no_distinctive;
    if (explanation && wm > 0)
      explanation->push_back("no distinctive part aligned x" + Fmt(p.no_distinctive));
  }
  score *= factor;
  // Persons: a query of two or more full name parts needs two of them found
  // ("Richard George" is not "George R. Mitchell").
  if (cls == NameClass::kPerson && strong < 2) {
    int full_parts = 0;
    for (const NameToken& t : q.tokens)
      full_parts += t.kind == TokenKind::kWord;
    if (full_parts >= 2) {
      score *= p.single_part;
      if (explanation) explanation->push_back("one name part found x" + Fmt(p.single_part));
    }
  }

  // 6. Whole-name alternative: the same letters with spaces moved ("PolPot").
  if (q.joined.size() >= 6 && r.joined.size() >= 6) {
    const size_t len = std::max(q.joined.size(), r.joined.size());
    const int budget = q.alt || r.alt ? 0 : std::min(EditBudget(len), static_cast<int>(len / 8));
    const int d = LevenshteinBounded(q.joined, r.joined, budget);
    if (d <= budget) {
      // Different legal forms still count against it (ANO is not OOO).
      const double alt = (1.0 - 2.0 * d / static_cast<double>(len)) * legal_factor;
      if (alt > score) {
        score = alt;
        if (explanation)
          explanation->push_back("joined(" + std::to_string(d) + "): '" + q.joined + "' ~ '" +
                                 r.joined + "' " + Fmt(alt) + " (whole name without spaces)");
      }
    }
  }
  return std::clamp(score, 0.0, 1.0);
}

std::vector<AnalyzedName> AnalyzeNameForms(std::string_view name, NameClass cls,
                                           const NameTerms& terms) {
  std::vector<AnalyzedName> out;
  auto add = [&](AnalyzedName an) {
    if (an.tokens.empty() || out.size() >= kMaxNameForms) return;
    for (const AnalyzedName& o : out)
      if (o.full == an.full) return;
    out.push_back(std::move(an));
  };
  for (const std::string& part : PublisherNameParts(name, terms)) {
    const std::vector<Romanization> alts = AlternativeRomanizations(part, kMaxRomanizations);
    bool abjad = false;
    for (const Romanization& r : alts)
      abjad |= r.abjad;
    const bool syllables = WrittenInSyllables(part);
    const bool korean = syllables && HasHangul(part);
    auto mark = [&](AnalyzedName& an) {
      for (NameToken& t : an.tokens)
        if (korean && (t.kind == TokenKind::kWord || t.kind == TokenKind::kGeneric))
          t.korean = KoreanFold(t.text);
    };
    {
      AnalyzedName an = AnalyzeName(part, cls, terms);
      if (abjad) {
        // ICU's romanisation of an abjad has no vowels either: its words
        // compare with Latin ones on consonants too.
        for (NameToken& t : an.tokens)
          t.abjad = t.kind != TokenKind::kNumber;
      }
      if (syllables) {
        an.alt = true;
        for (NameToken& t : an.tokens)
          t.alt = true;
      }
      mark(an);
      add(std::move(an));
    }
    for (const Romanization& r : alts) {
      AnalyzedName an = AnalyzeName(r.latin, cls, terms);
      an.original = part;
      an.translit = true;
      an.alt = syllables;
      for (NameToken& t : an.tokens) {
        t.translit = true;
        t.alt = true;
        t.abjad = r.abjad && t.kind != TokenKind::kNumber;
        if (t.abjad && !t.ckey.empty()) t.ckey = ConsonantKey(t.text, /*digraphs=*/false);
      }
      mark(an);
      add(std::move(an));
    }
  }
  return out;
}

}  // namespace dualuse::screening
