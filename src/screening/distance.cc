#include "screening/distance.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace dualuse::screening {

int LevenshteinReference(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i)
    d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j)
    d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
    }
  }
  return d[n][m];
}

namespace {

// Hyyrö (2003), "A bit-vector algorithm for computing Levenshtein and
// Damerau edit distances", the Levenshtein variant of Myers (1999).
// Requires 1 <= p.size() <= 64.
int MyersDistance(std::string_view p, std::string_view t) {
  // Pattern bit masks per byte. Kept all zero between calls (the entries of
  // p's bytes are cleared on the way out): zeroing 2 KiB per call cost more
  // than the distance of two name tokens.
  thread_local uint64_t peq[256] = {};
  const int m = static_cast<int>(p.size());
  for (int i = 0; i < m; ++i)
    peq[static_cast<unsigned char>(p[i])] |= uint64_t{1} << i;
  struct Clear {
    std::string_view p;
    ~Clear() {
      for (char c : p)
        peq[static_cast<unsigned char>(c)] = 0;
    }
  } clear{p};
  uint64_t pv = ~uint64_t{0}, mv = 0;
  const uint64_t last = uint64_t{1} << (m - 1);
  int score = m;
  for (char c : t) {
    const uint64_t eq = peq[static_cast<unsigned char>(c)];
    const uint64_t xv = eq | mv;
    const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    if (ph & last) ++score;
    if (mh & last) --score;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

int TwoRow(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

uint64_t ByteMask(std::string_view s) {
  uint64_t m = 0;
  for (unsigned char c : s)
    m |= uint64_t{1} << (c & 63);
  return m;
}

int ByteMaskLowerBound(uint64_t a, uint64_t b) {
  return std::max(__builtin_popcountll(a & ~b), __builtin_popcountll(b & ~a));
}

int Levenshtein(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);  // a is the shorter
  if (a.empty()) return static_cast<int>(b.size());
  if (a.size() <= 64) return MyersDistance(a, b);
  return TwoRow(a, b);
}

int LevenshteinBounded(std::string_view a, std::string_view b, int max) {
  if (max < 0) max = 0;
  int diff = static_cast<int>(a.size()) - static_cast<int>(b.size());
  if (diff < 0) diff = -diff;
  if (diff > max) return max + 1;
  if (a == b) return 0;
  return std::min(Levenshtein(a, b), max + 1);
}

namespace {

double Winkler(double jaro, std::string_view a, std::string_view b, double boost_threshold) {
  if (jaro < boost_threshold) return jaro;
  size_t prefix = 0;
  const size_t lim = std::min({a.size(), b.size(), size_t{4}});
  while (prefix < lim && a[prefix] == b[prefix])
    ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

}  // namespace

double JaroWinklerReference(std::string_view a, std::string_view b, double boost_threshold) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  std::vector<bool> ma(la, false), mb(lb, false);
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    const int lo = std::max(0, i - window), hi = std::min(lb - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  int t = 0;
  for (int i = 0, j = 0; i < la; ++i) {
    if (!ma[i]) continue;
    while (!mb[j])
      ++j;
    if (a[i] != b[j]) ++t;
    ++j;
  }
  const double m = matches;
  const double jaro = (m / la + m / lb + (m - t / 2) / m) / 3.0;
  return Winkler(jaro, a, b, boost_threshold);
}

double JaroWinkler(std::string_view a, std::string_view b, double boost_threshold) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (la > 64 || lb > 64) return JaroWinklerReference(a, b, boost_threshold);
  if (la == 0 && lb == 0) return 1.0;
  if (la == 0 || lb == 0) return 0.0;
  // Bit-vector variant: match flags of b in one word, per-character position
  // masks of b so the first free match inside the window is a bit scan.
  uint64_t pos[256] = {};
  for (int j = 0; j < lb; ++j)
    pos[static_cast<unsigned char>(b[j])] |= uint64_t{1} << j;
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  uint64_t flags_a = 0, flags_b = 0;
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    const int lo = std::max(0, i - window), hi = std::min(lb - 1, i + window);
    if (lo > hi) continue;
    const int width = hi - lo + 1;
    const uint64_t range = (width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1)) << lo;
    const uint64_t cand = pos[static_cast<unsigned char>(a[i])] & range & ~flags_b;
    if (cand) {
      flags_b |= cand & (~cand + 1);  // lowest set bit
      flags_a |= uint64_t{1} << i;
      ++matches;
    }
  }
  if (matches == 0) return 0.0;
  int t = 0;
  uint64_t fb = flags_b;
  for (int i = 0; i < la; ++i) {
    if (!(flags_a >> i & 1)) continue;
    const int j = __builtin_ctzll(fb);
    fb &= fb - 1;
    if (a[i] != b[j]) ++t;
  }
  const double m = matches;
  const double jaro = (m / la + m / lb + (m - t / 2) / m) / 3.0;
  return Winkler(jaro, a, b, boost_threshold);
}

}  // namespace dualuse::screening
