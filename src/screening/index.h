// In-memory candidate index over analysed listed names.
//
// Keys: every token (exact), its phonetic key (Skeleton), its folded spelling
// and its consonant key (translit.h), its one-deletion
// neighbourhood (tokens of 4+ characters; a query token's deletions meet a
// listed token's deletions whenever the two are within one edit, and for
// many two-edit pairs: SymSpell, Garbe 2012), adjacent token pairs joined
// ("alisher usmanov" -> "alisherusmanov") and whole joined names. A query
// collects names by IDF-weighted key hits and keeps the best `max_candidates`;
// only those are scored precisely.
#ifndef DUALUSE_SCREENING_INDEX_H_
#define DUALUSE_SCREENING_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "screening/match.h"

namespace dualuse::screening {

class SnapshotReader;
class SnapshotWriter;

class NameIndex {
 public:
  // Adds a name; ids must be 0, 1, 2, ... in order.
  void Add(uint32_t name_id, const AnalyzedName& name);
  // Sorts the deletion table; call once after the last Add.
  void Finish();

  NameIndex();

  // The index's tables for a list snapshot (snapshot.h), and back. Decode
  // replaces the index with the decoded one and marks the reader failed
  // (SnapshotReader::Fail) when a table refers past another or a hash table
  // is not sorted; `names` is the number of names the index must cover.
  void Encode(SnapshotWriter* w) const;
  void Decode(SnapshotReader* r, size_t names);

  // Up to `max` candidate name ids for the query name, best first.
  //
  // Fast: the vocabulary tokens a query token may align with (exact, same
  // phonetic key within the edit budget, deletion neighbours within it) are
  // kept in a per-thread cache keyed by the token, so a token seen before
  // (names repeat their words) costs no probe and no edit distance. With
  // `cached` false they are computed afresh: the reference the tests compare
  // with (same ids, same order).
  std::vector<uint32_t> Candidates(const AnalyzedName& query, size_t max, bool cached = true) const;

  size_t name_count() const { return name_count_; }
  size_t vocab_size() const { return vocab_.size(); }

 private:
  // A vocabulary token a query token may align with, and how well.
  struct Hit {
    uint32_t token;
    double w;
  };
  struct TokenHits {
    std::vector<Hit> hits;
    size_t df = 0;  // sum of the hits' posting sizes
  };
  void ComputeTokenHits(const NameToken& t, TokenHits* out) const;
  // Per thread, for one index at a time (bounded: emptied when full, only
  // between queries, so references taken during a query stay valid).
  struct TokenCache {
    uint64_t uid = 0;
    std::unordered_map<std::string, TokenHits> entries;
  };
  static TokenCache& ThreadTokenCache();
  void ResetTokenCacheIfNeeded() const;
  const TokenHits& CachedTokenHits(const NameToken& t) const;

  uint64_t uid_;  // tells this index's cache entries from another's
  uint32_t TokenId(const std::string& text);
  void Post(uint32_t token, uint32_t name_id);

  std::unordered_map<std::string, uint32_t> vocab_;
  std::vector<std::string> token_text_;
  std::vector<std::vector<uint32_t>> postings_;  // token id -> name ids (ascending, unique)
  std::unordered_map<std::string, std::vector<uint32_t>> skel_;  // skeleton -> token ids
  // Folded spelling or spelling class (NameToken::spell) -> token ids; and
  // the consonant key of parts not written in an abjad -> token ids (an
  // abjad-written query part looks its consonants up there).
  std::unordered_map<std::string, std::vector<uint32_t>> spell_, ckey_;
  // Consonant key of abjad-written parts -> token ids (a Latin query part
  // looks its consonants up there).
  std::unordered_map<std::string, std::vector<uint32_t>> abjad_ckey_;
  std::vector<char> ckey_posted_;                         // per token id
  std::vector<std::pair<uint64_t, uint32_t>> deletions_;  // hash of a deletion -> token id
  // hash of a joined pair / joined name -> name id, sorted after Finish().
  std::vector<std::pair<uint64_t, uint32_t>> joined_;
  // Directories over the sorted tables: entry b is the first position whose
  // hash has top bits >= b (kDirBits of them), so a lookup searches one small
  // bucket instead of the whole table.
  static constexpr int kDirBits = 16;
  std::vector<uint32_t> deletions_dir_, joined_dir_;
  using HashTable = std::vector<std::pair<uint64_t, uint32_t>>;
  static void BuildDir(const HashTable& table, std::vector<uint32_t>* dir);
  static std::pair<HashTable::const_iterator, HashTable::const_iterator> Lookup(
      const HashTable& table, const std::vector<uint32_t>& dir, uint64_t h);
  template <typename F>
  void ForJoined(std::string_view key, F&& f) const;
  std::vector<uint8_t> name_len_;  // indexable tokens per name
  size_t name_count_ = 0;
};

uint64_t HashBytes(std::string_view s);

// HashBytes of every one-deletion of `s` (a run of equal bytes gives one
// deletion), in order of the deleted position, appended to `out`. Fast:
// incremental FNV-1a over prefix and suffix, no string built.
void DeletionHashes(std::string_view s, std::vector<uint64_t>* out);
// Slow reference: builds each deletion and hashes it.
void DeletionHashesReference(std::string_view s, std::vector<uint64_t>* out);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_INDEX_H_
