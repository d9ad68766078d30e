// In-memory candidate index over analysed listed names.
//
// Keys: every token (exact), its phonetic key (Skeleton), its one-deletion
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
#include <unordered_map>
#include <utility>
#include <vector>

#include "screening/match.h"

namespace dualuse::screening {

class NameIndex {
 public:
  // Adds a name; ids must be 0, 1, 2, ... in order.
  void Add(uint32_t name_id, const AnalyzedName& name);
  // Sorts the deletion table; call once after the last Add.
  void Finish();

  // Up to `max` candidate name ids for the query name, best first.
  std::vector<uint32_t> Candidates(const AnalyzedName& query, size_t max) const;

  size_t name_count() const { return name_count_; }
  size_t vocab_size() const { return vocab_.size(); }

 private:
  uint32_t TokenId(const std::string& text);
  void Post(uint32_t token, uint32_t name_id);

  std::unordered_map<std::string, uint32_t> vocab_;
  std::vector<std::string> token_text_;
  std::vector<std::vector<uint32_t>> postings_;  // token id -> name ids (ascending, unique)
  std::unordered_map<std::string, std::vector<uint32_t>> skel_;  // skeleton -> token ids
  std::vector<std::pair<uint64_t, uint32_t>> deletions_;         // hash of a deletion -> token id
  // hash of a joined pair / joined name -> name id, sorted after Finish().
  std::vector<std::pair<uint64_t, uint32_t>> joined_;
  template <typename F>
  void ForJoined(std::string_view key, F&& f) const;
  std::vector<uint8_t> name_len_;  // indexable tokens per name
  size_t name_count_ = 0;
};

uint64_t HashBytes(std::string_view s);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_INDEX_H_
