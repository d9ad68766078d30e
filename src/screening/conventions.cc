#include "screening/conventions.h"

#include <cctype>

namespace dualuse::screening {
namespace {

bool IsWordChar(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// First position >= from where `phrase` starts a word of `lower`.
size_t FindPhrase(std::string_view lower, std::string_view phrase, size_t from) {
  for (size_t pos = lower.find(phrase, from); pos != std::string_view::npos;
       pos = lower.find(phrase, pos + 1)) {
    if (pos == 0 || !IsWordChar(static_cast<unsigned char>(lower[pos - 1]))) {
      // A phrase that ends in a letter must end a word too ("akai" is no
      // "a.k.a").
      const size_t end = pos + phrase.size();
      if (!IsWordChar(static_cast<unsigned char>(phrase.back())) || end == lower.size() ||
          !IsWordChar(static_cast<unsigned char>(lower[end])))
        return pos;
    }
  }
  return std::string_view::npos;
}

bool IsTrim(char c) {
  return c == ' ' || c == '\t' || c == '(' || c == ')' || c == ';' || c == ',' || c == ':' ||
         c == '.' || c == '-' || c == '/';
}

// Trims punctuation around a part. A trailing dot stays ("Co.", "S.A."), and
// so does a closing parenthesis whose opening one is in the part
// ("Company (Shenzhen)").
std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsTrim(s[b]))
    ++b;
  // Linear: whether the part has an opening parenthesis is looked up once.
  const bool has_open = s.substr(b, e - b).find('(') != std::string_view::npos;
  while (e > b && s[e - 1] != '.' && IsTrim(s[e - 1])) {
    if (s[e - 1] == ')' && has_open) break;
    --e;
  }
  return std::string(s.substr(b, e - b));
}

}  // namespace

std::vector<std::string> PublisherNameParts(std::string_view name, const NameTerms& terms) {
  std::string lower(name);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Cut points: every alias marker (start, length).
  std::vector<std::pair<size_t, size_t>> cuts;
  for (size_t from = 0; from < lower.size() && cuts.size() + 1 < kMaxNameParts;) {
    size_t best = std::string_view::npos, len = 0;
    for (const std::string& m : terms.alias_markers) {
      const size_t p = FindPhrase(lower, m, from);
      if (p < best || (p == best && m.size() > len)) {
        best = p;
        len = m.size();
      }
    }
    if (best == std::string_view::npos) break;
    cuts.push_back({best, len});
    from = best + len;
  }
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t k = 0; k <= cuts.size(); ++k) {
    const size_t end = k < cuts.size() ? cuts[k].first : name.size();
    std::string_view part = std::string_view(name).substr(start, end - start);
    std::string_view lpart = std::string_view(lower).substr(start, end - start);
    for (const std::string& b : terms.boilerplate) {
      const size_t p = FindPhrase(lpart, b, 0);
      if (p != std::string_view::npos && p > 0 && !Trim(part.substr(0, p)).empty()) {
        part = part.substr(0, p);
        lpart = lpart.substr(0, p);
      }
    }
    std::string t = Trim(part);
    if (!t.empty()) out.push_back(std::move(t));
    if (k < cuts.size()) start = cuts[k].first + cuts[k].second;
  }
  if (out.empty()) out.push_back(Trim(name));
  return out;
}

}  // namespace dualuse::screening
