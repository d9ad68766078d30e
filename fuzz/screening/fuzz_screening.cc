// libFuzzer target: input split at the first 0 byte into two names (a schema
// byte first). Checks: no crash, scores in [0, 1], fast Levenshtein and
// Jaro-Winkler equal their references on the normalised forms and the raw
// bytes, ConsonantKey equals its reference, name parts, romanisations and
// forms stay within their bounds, the CSV reader never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dualuse/screening/csv.h"
#include "dualuse/screening/engine.h"
#include "screening/conventions.h"
#include "screening/distance.h"
#include "screening/match.h"
#include "screening/normalize.h"
#include "screening/terms.h"
#include "screening/translit.h"

using namespace dualuse;
using namespace dualuse::screening;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const NameTerms* terms = [] {
    auto t = DefaultNameTerms();
    if (!t) std::abort();
    return *t;
  }();
  const lists::Schema schemas[] = {lists::Schema::kPerson, lists::Schema::kOrganization,
                                   lists::Schema::kCompany, lists::Schema::kLegalEntity,
                                   lists::Schema::kVessel};
  const lists::Schema schema = schemas[data[0] % 5];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t cut = rest.find('\0');
  std::string_view a = rest.substr(0, cut),
                   b = cut == std::string_view::npos ? "" : rest.substr(cut + 1);

  const NameClass cls = ClassOf(schema);
  AnalyzedName qa = AnalyzeName(a, cls, *terms);
  AnalyzedName qb = AnalyzeName(b, cls, *terms);
  std::string expl_sink;
  std::vector<std::string> expl;
  const double s1 = ScoreNames(qa, qb, cls, ScoreParams{}, &expl);
  const double s2 = ScoreNames(qa, qb, cls, ScoreParams{});
  if (!(s1 >= 0.0 && s1 <= 1.0) || s1 != s2) std::abort();
  const double o = OfacNameScore(a, b);
  if (!(o >= 0.0 && o <= 1.0)) std::abort();

  // Fast == reference, on normalised and raw bytes (bounded length: the
  // reference is quadratic).
  const std::string la = qa.joined.substr(0, 200), lb = qb.joined.substr(0, 200);
  const std::string_view ra = a.substr(0, 200), rb = b.substr(0, 200);
  for (auto [x, y] : {std::pair<std::string_view, std::string_view>{la, lb}, {ra, rb}}) {
    const int d = LevenshteinReference(x, y);
    if (Levenshtein(x, y) != d) std::abort();
    if (LevenshteinBounded(x, y, 2) != std::min(d, 3)) std::abort();
    if (JaroWinkler(x, y, 0.7) != JaroWinklerReference(x, y, 0.7)) std::abort();
    if (JaroWinkler(x, y, 0.0) != JaroWinklerReference(x, y, 0.0)) std::abort();
  }
  // Publishers' conventions, further romanisations and forms: bounded, and
  // the consonant key equals its reference.
  for (std::string_view n : {a, b}) {
    if (PublisherNameParts(n, *terms).size() > kMaxNameParts) std::abort();
    const auto alts = AlternativeRomanizations(n, kMaxRomanizations);
    if (alts.size() > kMaxRomanizations) std::abort();
    for (const Romanization& r : alts)
      if (r.latin.empty()) std::abort();
    const auto forms = AnalyzeNameForms(n, cls, *terms);
    if (forms.size() > kMaxNameForms) std::abort();
    for (const AnalyzedName& f : forms)
      for (const NameToken& t : f.tokens)
        for (bool digraphs : {true, false})
          if (ConsonantKey(t.text, digraphs) != ConsonantKeyReference(t.text, digraphs))
            std::abort();
    (void)RomanizeHangul(n, KoreanSystem::kMcCuneReischauer);
    (void)RomanizeAbjad(n);
    (void)KoreanFold(n.substr(0, 200));
    (void)SpellingFold(n.substr(0, 200));
  }
  (void)AbjadVowelsAgree(la, lb);
  const double c = CompareNames(schema, a, b);
  if (!(c >= 0.0 && c <= 1.0)) std::abort();
  (void)ParseCsv(rest);
  return 0;
}
