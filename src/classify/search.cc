#include "dualuse/classify/search.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "classify/json_reader.h"
#include "dualuse/base/resources.h"

namespace dualuse::classify {

namespace {

using nlohmann::json;

const std::set<std::string>& StopWords() {
  static const std::set<std::string> kWords = {
      "a",    "an",   "the",   "of",    "for",   "and",    "or",      "to",    "in",  "on",
      "with", "by",   "that",  "which", "is",    "are",    "be",      "from",  "as",  "at",
      "it",   "its",  "this",  "any",   "all",   "used",   "use",     "can",   "so",  "who",
      "what", "how",  "their", "them",  "they",  "our",    "we",      "my",    "i",   "you",
      "your", "into", "than",  "then",  "there", "these",  "those",   "such",  "has", "have",
      "been", "was",  "were",  "will",  "would", "could",  "should",  "not",   "no",  "but",
      "if",   "when", "where", "while", "about", "over",   "under",   "up",    "out", "via",
      "per",  "some", "many",  "much",  "very",  "also",   "only",    "other", "etc", "e",
      "g",    "eg",   "ie",    "s",     "t",     "anyone", "someone", "one",   "two", "three"};
  return kWords;
}

// Lower-case words of `text` separated by single spaces, with spaces around, for
// whole-word phrase matching of synonym terms.
std::string NormalizedPhraseText(std::string_view text) {
  std::string out = " ";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (out.back() != ' ') out.push_back(' ');
  return out;
}

// Score factor for entries of the Annex I group the query names ("software" -> D).
constexpr double kGroupBoost = 1.6;

// Annex I codes written in `text` ("specified in 5A002 or 5D002.c.1."), without
// the trailing full stop.
std::vector<std::string> ReferencedCodes(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 5 <= text.size(); ++i) {
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t j = i;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '.')) {
      ++j;
    }
    std::string cand = text.substr(i, j - i);
    while (!cand.empty() && cand.back() == '.')
      cand.pop_back();
    // "not specified in 5A001.f", "other than those specified in 5A002.d": the entry
    // says it is something else, so it does not take the other entry's words.
    std::string before = text.substr(i >= 40 ? i - 40 : 0, i >= 40 ? 40 : i);
    bool negative = before.find("not specified") != std::string::npos ||
                    before.find("other than") != std::string::npos ||
                    before.find("not controlled") != std::string::npos;
    if (controllist::IsAnnexICodeSyntax(cand) && !negative) out.push_back(cand);
    i = j;
  }
  return out;
}

bool IsNotUsed(const std::string& heading) {
  return heading.rfind("Not used", 0) == 0 && heading.size() < 12;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? sep : "") + v[i];
  return out;
}

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

}  // namespace

std::vector<std::string> QueryWords(std::string_view query) {
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && !StopWords().count(cur)) words.push_back(cur);
    cur.clear();
  };
  for (char c : query) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      cur.push_back(static_cast<char>(std::tolower(u)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::vector<std::string> WordForms(const std::string& word) {
  std::vector<std::string> forms = {word};
  auto ends = [&](std::string_view tail) {
    return word.size() > tail.size() &&
           word.compare(word.size() - tail.size(), tail.size(), tail.data(), tail.size()) == 0;
  };
  bool digits = std::any_of(word.begin(), word.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (digits || word.size() <= 3) return forms;
  if (ends("ies")) {
    forms.push_back(word.substr(0, word.size() - 3) + "y");
  } else if (ends("ses") || ends("xes") || ends("ches") || ends("shes")) {
    forms.push_back(word.substr(0, word.size() - 2));
  } else if (ends("is")) {
    forms.push_back(word.substr(0, word.size() - 2) + "es");
  } else if (ends("us")) {
    // "bus", "virus", "status": no regular plural to derive
  } else if (ends("s") && !ends("ss")) {
    forms.push_back(word.substr(0, word.size() - 1));
  } else if (ends("y") && !ends("ay") && !ends("ey") && !ends("oy")) {
    forms.push_back(word.substr(0, word.size() - 1) + "ies");
  } else if (ends("s") || ends("x") || ends("ch") || ends("sh")) {
    forms.push_back(word + "es");
  } else {
    forms.push_back(word + "s");
  }
  return forms;
}

Result<Vocabulary> ParseSynonyms(std::string_view text, const std::string& name) {
  JsonReader r(name, StatusCode::kDataLoss);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(text));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != "dualuse.classify-synonyms/1") {
    return r.Fail("$.schema", "expected \"dualuse.classify-synonyms/1\"");
  }
  DU_ASSIGN_OR_RETURN(const json* arr, r.Array(doc, "$", "synonyms", true));
  Vocabulary vocab;
  std::vector<Synonym>& out = vocab.synonyms;
  DU_ASSIGN_OR_RETURN(const json* groups, r.Array(doc, "$", "groups", false));
  for (size_t i = 0; groups && i < groups->size(); ++i) {
    const json& j = (*groups)[i];
    std::string place = "$.groups[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(place, "expected an object");
    GroupHint g;
    DU_ASSIGN_OR_RETURN(std::string letter,
                        r.Enum(j, place, "group", {"A", "B", "C", "D", "E"}, true));
    g.group = letter[0];
    DU_ASSIGN_OR_RETURN(g.terms, r.StrArray(j, place, "terms", true));
    for (auto& t : g.terms) {
      std::string norm = NormalizedPhraseText(t);
      if (norm.size() < 3) return r.Fail(place + ".terms", "expected words");
      t = norm.substr(1, norm.size() - 2);
    }
    vocab.groups.push_back(std::move(g));
  }
  DU_ASSIGN_OR_RETURN(const json* cyber,
                      r.Object(doc, "$", "cyber_surveillance_candidates", false));
  if (cyber) {
    const std::string place = "$.cyber_surveillance_candidates";
    CyberSurveillanceHint& h = vocab.cyber_surveillance;
    DU_ASSIGN_OR_RETURN(h.terms, r.StrArray(*cyber, place, "terms", true));
    DU_ASSIGN_OR_RETURN(h.advice, r.Str(*cyber, place, "advice", true));
    DU_ASSIGN_OR_RETURN(h.basis, r.StrArray(*cyber, place, "basis", true));
    DU_ASSIGN_OR_RETURN(h.tree, r.Str(*cyber, place, "tree", true));
    DU_RETURN_IF_ERROR(r.Str(*cyber, place, "source", true).status());
    if (h.terms.empty()) return r.Fail(place + ".terms", "expected at least one term");
    for (size_t k = 0; k < h.terms.size(); ++k) {
      std::string norm = NormalizedPhraseText(h.terms[k]);
      if (norm.size() < 3) {
        return r.Fail(place + ".terms[" + std::to_string(k) + "]", "expected a word");
      }
      h.terms[k] = norm.substr(1, norm.size() - 2);
    }
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const json& j = (*arr)[i];
    std::string place = "$.synonyms[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(place, "expected an object");
    Synonym s;
    DU_ASSIGN_OR_RETURN(s.terms, r.StrArray(j, place, "terms", true));
    DU_ASSIGN_OR_RETURN(s.entries, r.StrArray(j, place, "entries", true));
    DU_ASSIGN_OR_RETURN(s.expand, r.StrArray(j, place, "expand", false));
    if (s.terms.empty()) return r.Fail(place + ".terms", "expected at least one term");
    for (size_t k = 0; k < s.terms.size(); ++k) {
      std::string norm = NormalizedPhraseText(s.terms[k]);
      if (norm.size() < 3) {
        return r.Fail(place + ".terms[" + std::to_string(k) + "]", "expected a word");
      }
      s.terms[k] = norm.substr(1, norm.size() - 2);
    }
    for (size_t k = 0; k < s.entries.size(); ++k) {
      if (!controllist::IsAnnexICodeSyntax(s.entries[k])) {
        return r.Fail(place + ".entries[" + std::to_string(k) + "]",
                      "\"" + s.entries[k] + "\" is not an Annex I code (expected e.g. 5A001.f.2)");
      }
    }
    out.push_back(std::move(s));
  }
  return vocab;
}

Result<Vocabulary> LoadSynonyms(const std::string& path) {
  DU_ASSIGN_OR_RETURN(std::string text, ReadFileText(path, StatusCode::kDataLoss));
  return ParseSynonyms(text, path);
}

SearchIndex::~SearchIndex() {
  if (query_) sqlite3_finalize(query_);
  if (snippet_) sqlite3_finalize(snippet_);
  if (db_) sqlite3_close(db_);
}

Result<std::unique_ptr<SearchIndex>> SearchIndex::Build(
    std::shared_ptr<const controllist::ControlList> list, const std::string& synonyms_path) {
  if (!list) return Status::InvalidArgument("search index: no control list");
  std::string path = synonyms_path.empty() ? ResourcePath("classify/synonyms.json") : synonyms_path;
  DU_ASSIGN_OR_RETURN(Vocabulary vocab, LoadSynonyms(path));
  std::unique_ptr<SearchIndex> index(new SearchIndex());
  index->list_ = std::move(list);
  index->vocab_ = std::move(vocab);
  // Lay terms per entry code.
  std::map<std::string, std::vector<std::string>> lay;
  for (size_t i = 0; i < index->vocab_.synonyms.size(); ++i) {
    const Synonym& s = index->vocab_.synonyms[i];
    for (size_t k = 0; k < s.entries.size(); ++k) {
      if (!index->list_->Find(s.entries[k])) {
        return Status::DataLoss(path + ": $.synonyms[" + std::to_string(i) + "].entries[" +
                                std::to_string(k) + "]: " + s.entries[k] +
                                " is not an entry of the loaded Annex I");
      }
      auto& v = lay[s.entries[k]];
      v.insert(v.end(), s.terms.begin(), s.terms.end());
      v.insert(v.end(), s.expand.begin(), s.expand.end());
    }
  }

  if (sqlite3_open_v2(":memory:", &index->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    return Status::Internal("search index: cannot open an in-memory SQLite database");
  }
  sqlite3* db = index->db_;
  auto exec = [db](const char* sql) -> Status {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::Internal(std::string("search index: ") + m);
    }
    return Status::Ok();
  };
  // Columns: code (not indexed), heading, body (notes), context (ancestor headings),
  // lay (synonyms), refs (what the heading points to).
  DU_RETURN_IF_ERROR(
      exec("CREATE VIRTUAL TABLE docs USING fts5(code UNINDEXED, heading, body, context, lay, "
           "refs, tokenize = 'unicode61')"));
  DU_RETURN_IF_ERROR(exec("BEGIN"));
  {
    Stmt ins(db,
             "INSERT INTO docs(code, heading, body, context, lay, refs) VALUES (?, ?, ?, ?, ?, ?)");
    if (!ins.ok()) return Status::Internal("search index: cannot prepare insert");
    for (const auto& e : index->list_->entries()) {
      if (IsNotUsed(e.heading)) continue;
      std::string body;
      for (const auto& n : e.notes)
        body += n.text + "\n";
      std::string context;
      for (std::string p = e.parent; !p.empty();) {
        const controllist::ControlEntry* pe = index->list_->Find(p);
        if (!pe) break;
        context += pe->heading + "\n";
        p = pe->parent;
      }
      std::string lay_text;
      if (auto it = lay.find(e.code); it != lay.end()) lay_text = Join(it->second, "\n");
      std::string refs;
      for (const std::string& ref : ReferencedCodes(e.heading)) {
        const controllist::ControlEntry* re = index->list_->FindNearest(ref);
        if (!re || re->code == e.code) continue;
        refs += re->heading + "\n";
        // Lay terms of the referenced entry and of its sub-items.
        for (const auto& [code, terms] : lay) {
          if (code == re->code || code.rfind(re->code + ".", 0) == 0)
            refs += Join(terms, "\n") + "\n";
        }
      }
      const std::string* fields[] = {&e.code, &e.heading, &body, &context, &lay_text, &refs};
      for (int i = 0; i < 6; ++i) {
        sqlite3_bind_text(ins.get(), i + 1, fields[i]->c_str(), static_cast<int>(fields[i]->size()),
                          SQLITE_TRANSIENT);
      }
      if (sqlite3_step(ins.get()) != SQLITE_DONE) {
        return Status::Internal("search index: insert failed: " + std::string(sqlite3_errmsg(db)));
      }
      sqlite3_reset(ins.get());
    }
  }
  DU_RETURN_IF_ERROR(exec("COMMIT"));
  // BM25 column weights: heading 4, notes 1, ancestor context 0.6, lay terms 3,
  // referenced entries 0.5.
  const char* sql =
      "SELECT code, -bm25(docs, 0.0, 4.0, 1.0, 0.6, 3.0, 0.5) AS score, rowid "
      "FROM docs WHERE docs MATCH ? "
      "ORDER BY bm25(docs, 0.0, 4.0, 1.0, 0.6, 3.0, 0.5) LIMIT ?";
  // Passages only for the hits shown (snippets are the costly part).
  const char* snippet_sql =
      "SELECT snippet(docs, 1, '[', ']', '...', 24), snippet(docs, 2, '[', ']', '...', 24) "
      "FROM docs WHERE docs MATCH ? AND rowid = ?";
  if (sqlite3_prepare_v2(db, sql, -1, &index->query_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, snippet_sql, -1, &index->snippet_, nullptr) != SQLITE_OK) {
    return Status::Internal("search index: cannot prepare query: " +
                            std::string(sqlite3_errmsg(db)));
  }
  return index;
}

Result<std::vector<SearchHit>> SearchIndex::Search(std::string_view query, int limit) const {
  if (limit <= 0) return Status::InvalidArgument("search: limit must be positive");
  std::vector<SearchHit> hits;
  std::set<std::string> seen;
  // A query that is an Annex I code: that entry first.
  std::string trimmed(query);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
    trimmed.pop_back();
  }
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
    trimmed.erase(trimmed.begin());
  }
  if (!trimmed.empty() && trimmed.back() == '.') trimmed.pop_back();
  if (const controllist::ControlEntry* e = list_->FindNearest(trimmed)) {
    hits.push_back({e->code, e->heading, e->heading, 0, e->cyber_surveillance, {}});
    seen.insert(e->code);
    if (static_cast<int>(hits.size()) >= limit) return hits;
  }

  std::vector<std::string> words = QueryWords(query);
  // Lay terms: whole-word phrases of the query.
  std::string phrase_text = NormalizedPhraseText(query);
  std::map<std::string, std::vector<std::string>> via;  // code -> terms
  for (const auto& s : vocab_.synonyms) {
    for (const auto& t : s.terms) {
      if (phrase_text.find(" " + t + " ") == std::string::npos) continue;
      for (const auto& x : s.expand) {
        for (auto& w : QueryWords(x))
          words.push_back(w);
      }
      for (const auto& c : s.entries)
        via[c].push_back(t);
      break;
    }
  }
  // The kind of item the query names (Annex I group letter), if any.
  std::set<char> groups;
  for (const auto& g : vocab_.groups) {
    for (const auto& t : g.terms) {
      if (phrase_text.find(" " + t + " ") != std::string::npos) groups.insert(g.group);
    }
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.empty()) {
    if (!hits.empty()) return hits;
    return Status::InvalidArgument("search: the query \"" + std::string(query) +
                                   "\" has no searchable word");
  }
  // Whole words, in the singular and the plural: "expression" must not find
  // "expressed in kW" (a stemmer conflates them), but "cameras" finds "camera".
  std::string match;
  for (const auto& w : words) {
    for (const auto& form : WordForms(w))
      match += (match.empty() ? "\"" : " OR \"") + form + "\"";
  }

  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_reset(query_);
  sqlite3_bind_text(query_, 1, match.c_str(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  // Candidates beyond `limit`, re-ranked by the group boost below.
  const int candidates = std::max(60, 8 * limit);
  sqlite3_bind_int(query_, 2, candidates);
  std::vector<SearchHit> ranked;
  int rc;
  while ((rc = sqlite3_step(query_)) == SQLITE_ROW) {
    std::string code = reinterpret_cast<const char*>(sqlite3_column_text(query_, 0));
    if (seen.count(code)) continue;
    const controllist::ControlEntry* e = list_->Find(code);
    if (!e) continue;
    SearchHit h;
    h.code = code;
    h.heading = e->heading;
    h.score = sqlite3_column_double(query_, 1);
    h.rowid = sqlite3_column_int64(query_, 2);
    h.cyber_surveillance = e->cyber_surveillance;
    if (auto it = via.find(code); it != via.end()) h.via = it->second;
    if (groups.count(code[1])) h.score *= kGroupBoost;
    ranked.push_back(std::move(h));
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    std::string m = sqlite3_errmsg(db_);
    sqlite3_reset(query_);
    return Status::Internal("search: " + m);
  }
  sqlite3_reset(query_);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  for (auto& h : ranked) {
    if (static_cast<int>(hits.size()) >= limit) break;
    // The passage: where the heading or the notes match; the heading when the match
    // came only from context, lay terms or referenced entries.
    sqlite3_reset(snippet_);
    sqlite3_bind_text(snippet_, 1, match.c_str(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(snippet_, 2, h.rowid);
    h.passage = h.heading;
    if (sqlite3_step(snippet_) == SQLITE_ROW) {
      auto column = [&](int i) {
        const unsigned char* t = sqlite3_column_text(snippet_, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      std::string in_heading = column(0), in_notes = column(1);
      if (in_heading.find('[') != std::string::npos) {
        h.passage = in_heading;
      } else if (in_notes.find('[') != std::string::npos) {
        h.passage = in_notes;
      }
    }
    sqlite3_reset(snippet_);
    hits.push_back(std::move(h));
  }
  return hits;
}

std::optional<CyberSurveillanceHint> SearchIndex::CyberSurveillanceHintFor(
    std::string_view query) const {
  const std::string text = NormalizedPhraseText(query);
  CyberSurveillanceHint hint = vocab_.cyber_surveillance;
  hint.terms.clear();
  for (const std::string& t : vocab_.cyber_surveillance.terms) {
    if (text.find(" " + t + " ") != std::string::npos) hint.terms.push_back(t);
  }
  if (hint.terms.empty()) return std::nullopt;
  return hint;
}

nlohmann::ordered_json SearchAnswerToJson(std::string_view query, const std::string& annex_version,
                                          const std::vector<SearchHit>& hits,
                                          const std::optional<CyberSurveillanceHint>& hint) {
  nlohmann::ordered_json j;
  j["query"] = query;
  j["annex_version"] = annex_version;
  j["note"] = "Ranked hints from the Annex I text; the entry's text decides the classification.";
  j["cyber_surveillance_candidate"] = nullptr;
  if (hint) {
    j["cyber_surveillance_candidate"] = {{"terms", hint->terms},
                                         {"advice", hint->advice},
                                         {"basis", hint->basis},
                                         {"tree", hint->tree}};
  }
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (size_t i = 0; i < hits.size(); ++i)
    arr.push_back(SearchHitToJson(hits[i], i + 1));
  j["results"] = arr;
  return j;
}

nlohmann::ordered_json SearchHitToJson(const SearchHit& hit, size_t rank) {
  return {{"rank", rank},           {"code", hit.code},
          {"score", hit.score},     {"heading", hit.heading},
          {"passage", hit.passage}, {"cyber_surveillance", hit.cyber_surveillance},
          {"via", hit.via}};
}

}  // namespace dualuse::classify
