// The screening engine: a PartyScreener over lists loaded in memory, and the
// pair scorer behind `dualuse compare`.
//
// Matching (docs/screening.md): names are normalised (ICU NFKC, transliterated
// to Latin, diacritics and case folded, legal forms canonicalised,
// honorifics dropped), candidates come from an in-memory index (tokens,
// phonetic keys, one-deletion neighbourhoods, joined tokens), and a precise
// scorer aligns name parts on the candidates only. Every match carries an
// explanation.
#ifndef DUALUSE_SCREENING_ENGINE_H_
#define DUALUSE_SCREENING_ENGINE_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/lists/entity.h"
#include "dualuse/lists/list.h"
#include "dualuse/screening/screener.h"

namespace dualuse::screening {

// Defaults chosen on the nomenklatura dev pairs (docs/screening.md).
inline constexpr double kDefaultMatchThreshold = 0.70;
inline constexpr double kDefaultReviewThreshold = 0.55;

struct EngineOptions {
  double match_threshold = kDefaultMatchThreshold;
  double review_threshold = kDefaultReviewThreshold;  // potential matches at or above this
  size_t limit = 5;                                   // matches per query
  size_t max_candidates = 32;                         // names scored precisely per query name
};

// One list to screen against: its id, its own date, and its entities.
struct ListInput {
  std::string list_id;
  std::string version;  // YYYY-MM-DD
  std::vector<lists::Entity> entities;
};

// What Build() spent, per phase (for the benchmark; no behaviour depends on
// it). CPU seconds are the whole process's (CLOCK_PROCESS_CPUTIME_ID, every
// thread), so they are this phase's only when nothing else runs meanwhile.
// The two phases overlap (the index takes each chunk of names as soon as it is
// analysed): index_* is the time spent adding names to the index and sorting
// its tables; analyse_* is the rest of Build (entities taken over, every
// listed name normalised and analysed, waiting).
struct BuildStats {
  double analyse_wall = 0, analyse_cpu = 0;
  double index_wall = 0, index_cpu = 0;
  unsigned threads = 1;  // threads used for the analysis
};

class ListScreener final : public PartyScreener {
 public:
  // Builds the index. kFailedPrecondition when the screening data files
  // (data/screening/*.json) are missing or malformed.
  static Result<std::unique_ptr<ListScreener>> Build(std::vector<ListInput> lists,
                                                     EngineOptions options = {});
  static Result<std::unique_ptr<ListScreener>> Build(std::vector<lists::ListVersion> lists,
                                                     EngineOptions options = {});
  ~ListScreener() override;

  // Thread-safe.
  ScreeningResult Screen(const PartyQuery& query) const override;
  std::map<std::string, std::string> ListVersions() const override;

  // Screens every query with `threads` worker threads (0: all cores); results
  // in input order.
  std::vector<ScreeningResult> ScreenBatch(const std::vector<PartyQuery>& queries,
                                           unsigned threads = 0) const;

  // Slow reference: scores every listed name, no index. Same result as
  // Screen() whenever the index recalls the names that score above the review
  // threshold (tests compare the two).
  ScreeningResult ScreenExhaustive(const PartyQuery& query) const;

  // PartyScreener's per-call screening: candidates per list (ScreenOptions).
  ScreeningResult ScreenWith(const PartyQuery& query, const ScreenOptions& options) const override;
  // Its slow reference: every listed name scored, the same filters.
  ScreeningResult ScreenWithExhaustive(const PartyQuery& query, const ScreenOptions& options) const;
  // By (list id, publisher id), O(log n).
  const lists::Entity* FindEntity(const std::string& list, const std::string& id) const override;
  size_t EntityCount(const std::string& list) const override;

  // The analysed and indexed lists as the body of a list snapshot
  // (src/screening/snapshot.h), appended to `out`; and a screener from such a
  // body, with `options`. A decoded screener screens exactly as the one
  // encoded. With `keep_alive` null, DecodeBody decodes everything at once
  // and checks every length, index and enum value and every derived table:
  // kDataLoss naming `what` and the byte offset for a body it cannot use.
  // With `keep_alive` (which keeps `body` valid, e.g. a read-only mapping of
  // a file whose checksum was verified) the index and the tables are decoded
  // and checked now, entities and names on first use, each within its
  // bounds.
  void EncodeBody(std::string* out) const;
  static Result<std::unique_ptr<ListScreener>> DecodeBody(
      std::string_view body, EngineOptions options, const std::string& what,
      std::shared_ptr<const void> keep_alive = nullptr);

  const EngineOptions& options() const;
  const BuildStats& build_stats() const;
  size_t entity_count() const;
  size_t name_count() const;

  struct Impl;

 private:
  explicit ListScreener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Builds what every screener shares (the ICU transliterators, about 0.2 s of
// CPU, and the name-term data) ahead of ListScreener::Build, which otherwise
// does it. Thread-safe; LoadScreener runs it beside the list parsers.
void PrepareScreening();

// The screener the commands use: the files of `list_paths` (each loaded with
// lists::LoadList) when given, else the versions imported into
// <data_dir>/lists in force on `as_of` (lists::ListRegistry), read from
// their compiled snapshot when a valid one is there (src/screening/snapshot.h)
// and otherwise parsed, the snapshot then written for the next call.
// kFailedPrecondition when no list is available
// ("no lists: ..."), the loader's error for a bad list file.
Result<std::unique_ptr<ListScreener>> LoadScreener(const std::vector<std::string>& list_paths,
                                                   const std::string& data_dir, const Date& as_of,
                                                   EngineOptions options = {});

// Writes the compiled list snapshot of the versions imported into
// <data_dir>/lists in force on `as_of` (src/screening/snapshot.h) unless a
// valid one is there: what `dualuse lists import` does after importing, so
// that the next command maps it instead of parsing the lists.
Status PrepareListSnapshot(const std::string& data_dir, const Date& as_of);

// Name-pair score in [0, 1] as `dualuse compare` reports it (no qualifiers).
// 0 when the data files are missing.
double CompareNames(lists::Schema schema, std::string_view name1, std::string_view name2,
                    std::vector<std::string>* explanation = nullptr);

// Emulation of OFAC's Sanctions List Search name score in [0, 1] (OFAC FAQ 249;
// nomenklatura's reverse engineering, name_based/ofac.py): the higher of
// Jaro-Winkler on the whole upper-cased string (only when the first letters
// agree) and the mean over query parts of their best Jaro-Winkler against a
// listed part (parts of 2 characters or fewer dropped unless none is left;
// a part below 0.5 counts 0). Prefix bonus without the 0.7 boost threshold.
double OfacNameScore(std::string_view query, std::string_view listed);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_ENGINE_H_
