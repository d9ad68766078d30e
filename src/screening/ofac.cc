// OFAC Sanctions List Search emulation (see engine.h).
#include <algorithm>
#include <string>
#include <vector>

#include "dualuse/screening/engine.h"
#include "screening/distance.h"
#include "screening/normalize.h"

namespace dualuse::screening {
namespace {

std::vector<std::string> OfacTokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : Latinize(s)) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (word) {
      cur.push_back(c);
    } else if (c == '\'') {
      continue;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string Join(const std::vector<std::string>& t) {
  std::string s;
  for (const std::string& x : t) {
    if (!s.empty()) s.push_back(' ');
    s += x;
  }
  return s;
}

}  // namespace

double OfacNameScore(std::string_view query, std::string_view listed) {
  std::vector<std::string> q = OfacTokens(query), r = OfacTokens(listed);
  if (q.empty() || r.empty()) return 0.0;
  const std::string qs = Join(q), rs = Join(r);
  double whole = 0.0;
  if (qs[0] == rs[0]) whole = JaroWinkler(qs, rs, 0.0);
  std::vector<std::string> qp;
  for (const std::string& t : q)
    if (t.size() > 2) qp.push_back(t);
  if (qp.empty()) qp = q;
  double sum = 0.0;
  for (const std::string& t : qp) {
    double best = 0.0;
    for (const std::string& u : r)
      best = std::max(best, JaroWinkler(t, u, 0.0));
    if (best >= 0.5) sum += best;
  }
  const double parts = sum / static_cast<double>(qp.size());
  return std::clamp(std::max(whole, parts), 0.0, 1.0);
}

}  // namespace dualuse::screening
