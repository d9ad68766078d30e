#include "screening/index.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "screening/distance.h"
#include "screening/snapshot.h"

namespace dualuse::screening {

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

void DeletionHashes(std::string_view s, std::vector<uint64_t>* out) {
  uint64_t prefix = 1469598103934665603ULL;  // FNV-1a state after s[0, i)
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0 || s[i] != s[i - 1]) {  // else the same deletion as the previous one
      uint64_t h = prefix;
      for (size_t k = i + 1; k < s.size(); ++k) {
        h ^= static_cast<unsigned char>(s[k]);
        h *= 1099511628211ULL;
      }
      out->push_back(h);
    }
    prefix ^= static_cast<unsigned char>(s[i]);
    prefix *= 1099511628211ULL;
  }
}

void DeletionHashesReference(std::string_view s, std::vector<uint64_t>* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;
    std::string d(s.substr(0, i));
    d.append(s.substr(i + 1));
    out->push_back(HashBytes(d));
  }
}

namespace {

bool Indexable(const NameToken& t) {
  return t.kind != TokenKind::kLegalForm && t.kind != TokenKind::kStop &&
         t.kind != TokenKind::kInitial;
}

// Longer tokens get no deletion neighbourhood (bounded work for any input;
// no name part is this long).
constexpr size_t kMaxDeletionToken = 40;

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
    if (token_text_.size() > before) ckey_posted_.push_back(0);
    if (!ckey_posted_[id] && t.ckey.size() >= 2) {
      PushUnique(t.abjad ? &abjad_ckey_[t.ckey] : &ckey_[t.ckey], id);
      ckey_posted_[id] = 1;
    }
    if (token_text_.size() > before) {  // new vocabulary entry
      if (t.kind != TokenKind::kNumber) PushUnique(&skel_[t.skel], id);
      if (t.spell.size() >= 2) PushUnique(&spell_[t.spell], id);
      if (t.text.size() >= 4 && t.text.size() <= kMaxDeletionToken &&
          t.kind != TokenKind::kNumber) {
        thread_local std::vector<uint64_t> hashes;
        hashes.clear();
        DeletionHashes(t.text, &hashes);
        for (uint64_t h : hashes)
          deletions_.push_back({h, id});
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

void NameIndex::BuildDir(const HashTable& table, std::vector<uint32_t>* dir) {
  const size_t buckets = size_t{1} << kDirBits;
  dir->assign(buckets + 1, static_cast<uint32_t>(table.size()));
  size_t pos = 0;
  for (size_t b = 0; b < buckets; ++b) {
    while (pos < table.size() && (table[pos].first >> (64 - kDirBits)) < b)
      ++pos;
    (*dir)[b] = static_cast<uint32_t>(pos);
  }
}

std::pair<NameIndex::HashTable::const_iterator, NameIndex::HashTable::const_iterator>
NameIndex::Lookup(const HashTable& table, const std::vector<uint32_t>& dir, uint64_t h) {
  const size_t b = static_cast<size_t>(h >> (64 - kDirBits));
  auto first = table.begin() + dir[b], last = table.begin() + dir[b + 1];
  auto lo = std::lower_bound(first, last, std::pair<uint64_t, uint32_t>{h, 0});
  auto hi = lo;
  while (hi != last && hi->first == h)
    ++hi;
  return {lo, hi};
}

template <typename F>
void NameIndex::ForJoined(std::string_view key, F&& f) const {
  auto [lo, hi] = Lookup(joined_, joined_dir_, HashBytes(key));
  if (lo != hi) f(lo, hi);
}

void NameIndex::Finish() {
  // The two tables are independent: sorted on two threads.
  auto finish = [](HashTable* table, std::vector<uint32_t>* dir) {
    std::sort(table->begin(), table->end());
    table->erase(std::unique(table->begin(), table->end()), table->end());
    table->shrink_to_fit();
    BuildDir(*table, dir);
  };
  std::thread other(finish, &joined_, &joined_dir_);
  finish(&deletions_, &deletions_dir_);
  other.join();
}

NameIndex::NameIndex() {
  static std::atomic<uint64_t> next_uid{1};
  uid_ = next_uid.fetch_add(1);
}

void NameIndex::ComputeTokenHits(const NameToken& t, TokenHits* out) const {
  std::vector<Hit>& hits = out->hits;
  hits.clear();
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
    if (t.spell.size() >= 2) {
      if (auto it = spell_.find(t.spell); it != spell_.end()) {
        for (uint32_t id : it->second)
          add(id, 0.9);
      }
    }
    if (t.ckey.size() >= 2) {
      const auto& keys = t.abjad ? ckey_ : abjad_ckey_;
      if (auto it = keys.find(t.ckey); it != keys.end()) {
        for (uint32_t id : it->second)
          add(id, 0.8);
      }
    }
    if (t.text.size() >= 4 && t.text.size() <= kMaxDeletionToken && !t.abjad) {
      thread_local std::vector<uint64_t> hashes;
      hashes.clear();
      hashes.push_back(HashBytes(t.text));
      DeletionHashes(t.text, &hashes);
      for (uint64_t h : hashes) {
        auto [lo, hi] = Lookup(deletions_, deletions_dir_, h);
        for (; lo != hi; ++lo) {
          const std::string& cand = token_text_[lo->second];
          const int budget = EditBudget(std::max(cand.size(), t.text.size()));
          if (LevenshteinBounded(t.text, cand, budget) <= budget) add(lo->second, 0.7);
        }
      }
    }
  }
  size_t total = 0;
  for (const Hit& h : hits)
    total += postings_[h.token].size();
  out->df = total;
}

NameIndex::TokenCache& NameIndex::ThreadTokenCache() {
  thread_local TokenCache cache;
  return cache;
}

void NameIndex::ResetTokenCacheIfNeeded() const {
  constexpr size_t kMaxEntries = 1 << 16;
  TokenCache& cache = ThreadTokenCache();
  if (cache.uid != uid_ || cache.entries.size() >= kMaxEntries) {
    cache.entries.clear();
    cache.uid = uid_;
  }
}

const NameIndex::TokenHits& NameIndex::CachedTokenHits(const NameToken& t) const {
  // The hits depend on the text and on whether the token is a number or
  // written in an abjad (its phonetic, spelling and consonant keys are
  // functions of the text and the analysis data).
  std::string key;
  key.reserve(t.text.size() + 1);
  key.push_back(t.kind == TokenKind::kNumber ? '#' : t.abjad ? 'a' : ' ');
  key += t.text;
  auto [it, fresh] = ThreadTokenCache().entries.try_emplace(std::move(key));
  if (fresh) ComputeTokenHits(t, &it->second);
  return it->second;
}

std::vector<uint32_t> NameIndex::Candidates(const AnalyzedName& query, size_t max,
                                            bool cached) const {
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
  if (cached) ResetTokenCacheIfNeeded();
  std::vector<const TokenHits*> per_token;
  std::vector<TokenHits> fresh;  // the reference path's
  fresh.reserve(query.tokens.size());
  for (const NameToken& t : query.tokens) {
    if (!Indexable(t)) continue;
    if (cached) {
      per_token.push_back(&CachedTokenHits(t));
    } else {
      fresh.emplace_back();
      ComputeTokenHits(t, &fresh.back());
      per_token.push_back(&fresh.back());
    }
  }
  // Very common tokens only count when they are among the two rarest.
  std::vector<size_t> order(per_token.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return per_token[a]->df < per_token[b]->df; });
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const size_t k = order[rank];
    if (rank >= 2 && per_token[k]->df > 4000) continue;
    for (const Hit& h : per_token[k]->hits)
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

namespace {

using KeyTable = std::unordered_map<std::string, std::vector<uint32_t>>;

void EncodeKeys(const KeyTable& keys, SnapshotWriter* w) {
  // In key order, so that equal indexes give equal files.
  std::vector<const KeyTable::value_type*> sorted;
  sorted.reserve(keys.size());
  for (const auto& kv : keys)
    sorted.push_back(&kv);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  w->U32(static_cast<uint32_t>(sorted.size()));
  for (const auto* kv : sorted) {
    w->Str(kv->first);
    w->U32s(kv->second);
  }
}

void DecodeKeys(SnapshotReader* r, size_t vocab, KeyTable* keys) {
  keys->clear();
  const uint32_t n = r->Count(8);
  keys->reserve(n);
  for (uint32_t i = 0; i < n && r->ok(); ++i) {
    std::string key = r->Str();
    std::vector<uint32_t> ids = r->U32s();
    for (uint32_t id : ids)
      if (id >= vocab) r->Fail();
    (*keys)[std::move(key)] = std::move(ids);
  }
}

void EncodeTable(const std::vector<std::pair<uint64_t, uint32_t>>& table, SnapshotWriter* w) {
  w->U32(static_cast<uint32_t>(table.size()));
  for (const auto& [h, id] : table) {
    w->U64(h);
    w->U32(id);
  }
}

// A sorted (hash, id) table whose ids are below `limit`.
void DecodeTable(SnapshotReader* r, size_t limit,
                 std::vector<std::pair<uint64_t, uint32_t>>* table) {
  table->resize(r->Count(12));
  for (auto& [h, id] : *table) {
    h = r->U64();
    id = r->U32();
    if (id >= limit) r->Fail();
  }
  if (!std::is_sorted(table->begin(), table->end())) r->Fail();
}

}  // namespace

void NameIndex::Encode(SnapshotWriter* w) const {
  w->U64(name_count_);
  w->Strs(token_text_);
  for (const std::vector<uint32_t>& p : postings_)
    w->U32s(p);
  EncodeKeys(skel_, w);
  EncodeKeys(spell_, w);
  EncodeKeys(ckey_, w);
  EncodeKeys(abjad_ckey_, w);
  for (char c : ckey_posted_)
    w->U8(c ? 1 : 0);
  EncodeTable(deletions_, w);
  EncodeTable(joined_, w);
  for (uint8_t len : name_len_)
    w->U8(len);
}

void NameIndex::Decode(SnapshotReader* r, size_t names) {
  const uint64_t count = r->U64();
  if (count != names) r->Fail();
  name_count_ = r->ok() ? names : 0;
  token_text_ = r->Strs();
  const size_t vocab = token_text_.size();
  vocab_.clear();
  vocab_.reserve(vocab);
  for (uint32_t i = 0; i < vocab; ++i)
    if (!vocab_.emplace(token_text_[i], i).second) r->Fail();
  postings_.clear();
  postings_.resize(r->remaining() / 4 >= vocab ? vocab : 0);
  if (postings_.size() != vocab) r->Fail();
  for (std::vector<uint32_t>& p : postings_) {
    p = r->U32s();
    for (uint32_t id : p)
      if (id >= name_count_) r->Fail();
  }
  DecodeKeys(r, vocab, &skel_);
  DecodeKeys(r, vocab, &spell_);
  DecodeKeys(r, vocab, &ckey_);
  DecodeKeys(r, vocab, &abjad_ckey_);
  ckey_posted_.assign(r->remaining() >= vocab ? vocab : 0, 0);
  if (ckey_posted_.size() != vocab) r->Fail();
  for (char& c : ckey_posted_)
    c = static_cast<char>(r->Enum<uint8_t>(1));
  DecodeTable(r, vocab, &deletions_);
  DecodeTable(r, name_count_, &joined_);
  name_len_.assign(r->remaining() >= name_count_ ? name_count_ : 0, 0);
  if (name_len_.size() != name_count_) r->Fail();
  for (uint8_t& len : name_len_)
    len = r->U8();
  if (!r->ok()) {
    *this = NameIndex();
    return;
  }
  BuildDir(deletions_, &deletions_dir_);
  BuildDir(joined_, &joined_dir_);
}

}  // namespace dualuse::screening
