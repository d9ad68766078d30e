// Full-text search over Annex I: "which entry covers an IMSI catcher?".
//
// An in-memory SQLite FTS5 index (whole words, BM25 ranking) of every
// entry: its heading, its notes, the headings of its ancestors (context), the
// lay terms of data/classify/synonyms.json, and for entries that point to
// others ("software specified in 5A002") the heading and lay terms of what they
// point to. A lay term found in the query also adds the legal words it stands
// for ("spyware" -> "intrusion software"); a word naming the kind of item
// ("software", "know-how") ranks entries of that Annex I group higher.
// Results are hints for a person: the entry's text decides the classification.
#ifndef DUALUSE_CLASSIFY_SEARCH_H_
#define DUALUSE_CLASSIFY_SEARCH_H_

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/controllist/control_list.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dualuse::classify {

struct SearchHit {
  std::string code;
  std::string heading;
  std::string passage;  // the best-matching passage, matches in [brackets]
  double score = 0;     // higher is better (negated BM25)
  bool cyber_surveillance = false;
  std::vector<std::string> via;  // lay terms of the query that pointed here
  long long rowid = 0;           // internal: the index row
};

// One ranked hit as the CLI (`classify search --format json`) and the HTTP API
// (GET /classify/search) show it: {rank, code, score, heading, passage,
// cyber_surveillance, via}. `rank` counts from 1.
nlohmann::ordered_json SearchHitToJson(const SearchHit& hit, size_t rank);
struct Synonym {
  std::vector<std::string> terms;    // lower case
  std::vector<std::string> entries;  // Annex I codes
  std::vector<std::string> expand;   // words of the legal text
};

// Words naming the kind of item: Annex I group letter B (test, inspection,
// production equipment), C (materials), D (software) or E (technology).
struct GroupHint {
  char group = 'A';
  std::vector<std::string> terms;  // lower case
};

// Words that make a query read like a cyber-surveillance item (Article 2(20)
// of Regulation (EU) 2021/821), and what search then advises: many such items
// (emotion or facial recognition software) match no Annex I entry, and an
// empty or unrelated result must not read as "not controlled".
struct CyberSurveillanceHint {
  std::vector<std::string> terms;  // lower case; in a hint: those the query contains
  std::string advice;
  std::vector<std::string> basis;  // the articles the advice rests on
  std::string tree;                // the guided questions to take ("art-2-20")
};

struct Vocabulary {
  std::vector<Synonym> synonyms;
  std::vector<GroupHint> groups;
  CyberSurveillanceHint cyber_surveillance;  // no terms: no hint
};

// The whole answer to a search, as the CLI and GET /classify/search give it:
// {query, annex_version, note, cyber_surveillance_candidate (null or
// {terms, advice, basis, tree}), results}.
nlohmann::ordered_json SearchAnswerToJson(std::string_view query, const std::string& annex_version,
                                          const std::vector<SearchHit>& hits,
                                          const std::optional<CyberSurveillanceHint>& hint);

// Reads data/classify/synonyms.json (schema dualuse.classify-synonyms/1).
// kDataLoss naming the file and JSON path when malformed.
Result<Vocabulary> LoadSynonyms(const std::string& path);
Result<Vocabulary> ParseSynonyms(std::string_view json_text, const std::string& name);

// Query words after lower-casing, splitting on non-alphanumerics and dropping
// stop words; exposed for tests.
std::vector<std::string> QueryWords(std::string_view query);
// The forms a query word is searched in: itself and its regular singular or
// plural ("camera" <-> "cameras", "body" <-> "bodies", "switch" <-> "switches").
// No stemming beyond number: "expression" and "expressed" stay apart. Words with
// digits ("5a001", "10gbit") and words of three letters or fewer are taken as written.
std::vector<std::string> WordForms(const std::string& word);

class SearchIndex {
 public:
  // Builds the index from `list`. `synonyms_path` empty: ResourcePath("classify/synonyms.json").
  // Every code named in the synonyms must exist in `list` (kDataLoss otherwise).
  static Result<std::unique_ptr<SearchIndex>> Build(
      std::shared_ptr<const controllist::ControlList> list, const std::string& synonyms_path = "");
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Up to `limit` entries, best first. A query that is itself an Annex I code
  // returns that entry (or its nearest ancestor) first. kInvalidArgument for a
  // query without any searchable word. Thread-safe (serialised internally).
  Result<std::vector<SearchHit>> Search(std::string_view query, int limit = 10) const;
  // The cyber-surveillance hint when the query contains one of its terms as
  // whole words (with `terms` narrowed to those found), else nullopt.
  std::optional<CyberSurveillanceHint> CyberSurveillanceHintFor(std::string_view query) const;

  const controllist::ControlList& list() const { return *list_; }

 private:
  SearchIndex() = default;
  std::shared_ptr<const controllist::ControlList> list_;
  Vocabulary vocab_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* query_ = nullptr;
  sqlite3_stmt* snippet_ = nullptr;
  mutable std::mutex mu_;
};

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_SEARCH_H_
