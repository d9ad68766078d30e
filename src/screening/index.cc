#include "screening/index.h"

#include <algorithm>
#include <cmath>

#include "screening/distance.h"

namespace dualuse::screening {

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

namespace {

bool Indexable(const NameToken& t) {
  return t.kind != TokenKind::kLegalForm && t.kind != TokenKind::kStop &&
         t.kind != TokenKind::kInitial;
}

// Longer tokens get no deletion neighbourhood (bounded work for any input;
// no name part is this long).
constexpr size_t kMaxDeletionToken = 40;

template <typename F>
void ForEachDeletion(const std::string& s, F&& f) {
  std::string d;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;  // same deletion as the previous one
    d.assign(s, 0, i);
    d.append(s, i + 1, std::string::npos);
    f(d);
  }
}

void PushUnique(std::vector<uint32_t>* v, uint32_t x) {
  if (v->empty() || v->back() != x) v->push_back(x);
}

}  // namespace

uint32_t NameIndex::TokenId(const std::string& text) {
  auto [it, inserted] = vocab_.emplace(text, static_cast<uint32_t>(token_text_.size()));
  if (inserted) {
    token_text_.push_back(text);
    postings_.emplace_back();
  }
  return it->second;
}

void NameIndex::Post(uint32_t token, uint32_t name_id) { PushUnique(&postings_[token], name_id); }

void NameIndex::Add(uint32_t name_id, const AnalyzedName& name) {
  name_count_ = std::max<size_t>(name_count_, name_id + 1);
  if (name_len_.size() < name_count_) name_len_.resize(name_count_, 0);
  size_t len = 0;
  for (const NameToken& t : name.tokens)
    len += Indexable(t);
  name_len_[name_id] = static_cast<uint8_t>(std::min<size_t>(len, 255));
  const NameToken* prev = nullptr;
  for (const NameToken& t : name.tokens) {
    if (!Indexable(t)) {
      prev = nullptr;
      continue;
    }
    const size_t before = token_text_.size();
    const uint32_t id = TokenId(t.text);
    Post(id, name_id);
    if (token_text_.size() > before) {  // new vocabulary entry
      if (t.kind != TokenKind::kNumber) PushUnique(&skel_[t.skel], id);
      if (t.text.size() >= 4 && t.text.size() <= kMaxDeletionToken &&
          t.kind != TokenKind::kNumber) {
        ForEachDeletion(t.text, [&](const std::string& d) {
          deletions_.push_back({HashBytes(d), id});
        });
        deletions_.push_back({HashBytes(t.text), id});
      }
    }
    if (prev) {
      std::string key = prev->text;
      key += t.text;
      joined_.push_back({HashBytes(key), name_id});
    }
    prev = &t;
  }
  if (name.joined.size() >= 4) joined_.push_back({HashBytes(name.joined), name_id});
}

template <typename F>
void NameIndex::ForJoined(std::string_view key, F&& f) const {
  const uint64_t h = HashBytes(key);
  auto lo = std::lower_bound(joined_.begin(), joined_.end(), std::pair<uint64_t, uint32_t>{h, 0});
  auto hi = lo;
  while (hi != joined_.end() && hi->first == h)
    ++hi;
  if (lo != hi) f(lo, hi);
}

void NameIndex::Finish() {
  std::sort(deletions_.begin(), deletions_.end());
  deletions_.erase(std::unique(deletions_.begin(), deletions_.end()), deletions_.end());
  deletions_.shrink_to_fit();
  std::sort(joined_.begin(), joined_.end());
  joined_.erase(std::unique(joined_.begin(), joined_.end()), joined_.end());
  joined_.shrink_to_fit();
}

std::vector<uint32_t> NameIndex::Candidates(const AnalyzedName& query, size_t max) const {
  thread_local std::vector<float> acc;
  thread_local std::vector<uint32_t> touched;
  if (acc.size() < name_count_) acc.assign(name_count_, 0.0f);
  touched.clear();
  const double n = static_cast<double>(std::max<size_t>(name_count_, 1));
  auto add_posting = [&](const std::vector<uint32_t>& post, double w) {
    const float fw = static_cast<float>(w * std::log(1.0 + n / static_cast<double>(post.size())));
    for (uint32_t id : post) {
      if (acc[id] == 0.0f) touched.push_back(id);
      acc[id] += fw;
    }
  };

  // Per query token, the vocabulary tokens it may align with, and how well.
  struct Hit {
    uint32_t token;
    double w;
  };
  std::vector<std::vector<Hit>> per_token;
  std::vector<size_t> df;
  for (const NameToken& t : query.tokens) {
    if (!Indexable(t)) continue;
    std::vector<Hit> hits;
    auto add = [&](uint32_t id, double w) {
      for (Hit& h : hits) {
        if (h.token == id) {
          h.w = std::max(h.w, w);
          return;
        }
      }
      hits.push_back({id, w});
    };
    if (auto it = vocab_.find(t.text); it != vocab_.end()) add(it->second, 1.0);
    if (t.kind != TokenKind::kNumber) {
      if (auto it = skel_.find(t.skel); it != skel_.end()) {
        for (uint32_t id : it->second) {
          if (LevenshteinBounded(t.text, token_text_[id],
                                 std::max(EditBudget(t.text.size()) + 1, 2)) <=
              std::max(EditBudget(std::max(t.text.size(), token_text_[id].size())) + 1, 2))
            add(id, 0.8);
        }
      }
      if (t.text.size() >= 4 && t.text.size() <= kMaxDeletionToken) {
        auto probe = [&](const std::string& d) {
          const uint64_t h = HashBytes(d);
          auto lo = std::lower_bound(deletions_.begin(), deletions_.end(),
                                     std::pair<uint64_t, uint32_t>{h, 0});
          for (; lo != deletions_.end() && lo->first == h; ++lo) {
            const std::string& cand = token_text_[lo->second];
            const int budget = EditBudget(std::max(cand.size(), t.text.size()));
            if (LevenshteinBounded(t.text, cand, budget) <= budget) add(lo->second, 0.7);
          }
        };
        probe(t.text);
        ForEachDeletion(t.text, probe);
      }
    }
    size_t total = 0;
    for (const Hit& h : hits)
      total += postings_[h.token].size();
    per_token.push_back(std::move(hits));
    df.push_back(total);
  }
  // Very common tokens only count when they are among the two rarest.
  std::vector<size_t> order(per_token.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return df[a] < df[b]; });
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const size_t k = order[rank];
    if (rank >= 2 && df[k] > 4000) continue;
    for (const Hit& h : per_token[k])
      add_posting(postings_[h.token], h.w);
  }
  // Joined forms: query pairs against listed tokens, query tokens against
  // listed pairs, whole joined names.
  auto add_range = [&](auto lo, auto hi, double w) {
    const float fw = static_cast<float>(
        w * std::log(1.0 + n / static_cast<double>(std::max<std::ptrdiff_t>(hi - lo, 1))));
    for (auto it = lo; it != hi; ++it) {
      const uint32_t id = it->second;
      if (acc[id] == 0.0f) touched.push_back(id);
      acc[id] += fw;
    }
  };
  const NameToken* prev = nullptr;
  for (const NameToken& t : query.tokens) {
    if (!Indexable(t)) {
      prev = nullptr;
      continue;
    }
    if (prev) {
      std::string key = prev->text;
      key += t.text;
      ForJoined(key, [&](auto lo, auto hi) { add_range(lo, hi, 1.0); });
      if (auto it = vocab_.find(key); it != vocab_.end()) add_posting(postings_[it->second], 1.0);
    }
    if (t.text.size() >= 6) ForJoined(t.text, [&](auto lo, auto hi) { add_range(lo, hi, 1.0); });
    prev = &t;
  }
  if (query.joined.size() >= 4)
    ForJoined(query.joined, [&](auto lo, auto hi) { add_range(lo, hi, 3.0); });

  // Evidence per name, discounted for listed parts the query does not have
  // (a long name sharing one common part is a weak candidate).
  size_t qlen = 0;
  for (const NameToken& t : query.tokens)
    qlen += Indexable(t);
  for (uint32_t id : touched) {
    const size_t extra = name_len_[id] > qlen ? name_len_[id] - qlen : 0;
    acc[id] /= 1.0f + 0.25f * static_cast<float>(extra);
  }
  std::vector<uint32_t> out(touched.begin(), touched.end());
  auto better = [&](uint32_t a, uint32_t b) {
    if (acc[a] != acc[b]) return acc[a] > acc[b];
    return a < b;
  };
  if (out.size() > max) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(max), out.end(),
                     better);
    out.resize(max);
  }
  std::sort(out.begin(), out.end(), better);
  for (uint32_t id : touched)
    acc[id] = 0.0f;
  touched.clear();
  return out;
}

}  // namespace dualuse::screening
