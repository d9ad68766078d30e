#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <tuple>

#include "dualuse/screening/engine.h"
#include "screening/index.h"
#include "screening/match.h"
#include "screening/snapshot.h"
#include "screening/terms.h"

namespace dualuse::screening {

const char* ScreeningStatusName(ScreeningStatus s) {
  switch (s) {
    case ScreeningStatus::kClear:
      return "clear";
    case ScreeningStatus::kPotentialMatch:
      return "potential_match";
    case ScreeningStatus::kHit:
      return "hit";
  }
  return "clear";
}

namespace {

// The status a list of matches (best first) gives.
ScreeningStatus StatusOf(const std::vector<ScreeningHit>& hits) {
  ScreeningStatus status = ScreeningStatus::kClear;
  for (const ScreeningHit& h : hits) {
    if (h.match) return ScreeningStatus::kHit;
    status = ScreeningStatus::kPotentialMatch;
  }
  return status;
}

}  // namespace

namespace {

double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ThreadCpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double WallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct ListMeta {
  std::string id, version;
};

struct IndexedEntity {
  lists::Entity entity;
  uint32_t list = 0;
  NameClass cls = NameClass::kAny;
  // The schema used for matching: a LegalEntity whose name carries a legal
  // form ("... LLC") is an organisation.
  lists::Schema schema = lists::Schema::kLegalEntity;
  std::vector<std::string> countries;  // ISO alpha-2, upper case
};

struct IndexedName {
  uint32_t entity = 0;
  uint32_t name_index = 0;  // into entity.names
  lists::NameStrength strength = lists::NameStrength::kStrong;
  AnalyzedName an;
};

// Birth-date qualifier (logic-v2: dob_year_disjoint -0.15, dob_day_disjoint
// -0.25; here a full match raises slightly). Dates are "YYYY", "YYYY-MM" or
// "YYYY-MM-DD"; compared on the precision both sides have.
double DateAdjust(const std::string& q, const std::vector<std::string>& dates, std::string* note) {
  if (q.size() < 4 || dates.empty()) return 0.0;
  bool year = false, full = false;
  for (const std::string& d : dates) {
    if (d.size() < 4) continue;
    if (d.compare(0, 4, q, 0, 4) != 0) continue;
    year = true;
    const size_t common = std::min(d.size(), q.size());
    if (d.compare(0, common, q, 0, common) == 0) full = true;
  }
  if (full) {
    if (note) *note = "birth date agrees (" + q + ") +0.05";
    return 0.05;
  }
  if (year) {
    if (note) *note = "birth date differs within the year (" + q + ") -0.10";
    return -0.10;
  }
  if (note) *note = "birth year differs (" + q + " vs " + dates.front() + ") -0.15";
  return -0.15;
}

// Country qualifier (logic-v2: country_mismatch -0.2, the same here; a match
// raises slightly).
double CountryAdjust(const std::string& q, const std::vector<std::string>& countries,
                     std::string* note) {
  if (q.size() != 2 || countries.empty()) return 0.0;
  std::string up = q;
  for (char& c : up)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& c : countries) {
    if (c == up) {
      if (note) *note = "country agrees (" + up + ") +0.03";
      return 0.03;
    }
  }
  if (note) *note = "country differs (" + up + " vs " + countries.front() + ") -0.20";
  return -0.20;
}

}  // namespace

struct ListScreener::Impl {
  EngineOptions options;
  BuildStats stats;
  ScoreParams params;
  const NameTerms* terms = nullptr;
  std::vector<ListMeta> lists;
  SnapshotTable<IndexedEntity> entities;
  SnapshotTable<IndexedName> names;
  // A mapped snapshot the tables read from (lazily), kept while they live.
  std::shared_ptr<const void> snapshot;
  NameIndex index;
  // Per name id, its entity's matching schema and name class: the schema
  // check of every candidate reads these small arrays, not the entity.
  std::vector<lists::Schema> name_schema;
  std::vector<NameClass> name_cls;
  // Entity ids ordered by (list id, publisher id), for FindEntity.
  std::vector<uint32_t> by_id;
  std::vector<size_t> list_entities;  // entities per list

  // Query names analysed once per class and reused across candidates.
  struct QueryNames {
    const Impl* impl;
    const PartyQuery* query;
    std::vector<std::string> raw;
    std::vector<AnalyzedName> by_class[4];
    const std::vector<AnalyzedName>& Get(NameClass cls) {
      auto& v = by_class[static_cast<int>(cls)];
      if (v.empty()) {
        for (const std::string& n : raw)
          for (AnalyzedName& an : AnalyzeNameForms(n, cls, *impl->terms))
            v.push_back(std::move(an));
      }
      return v;
    }
  };

  // The tables derived from entities and names: per name schema and class,
  // entities per list, entities by id.
  void DeriveTables() {
    name_schema.clear();
    name_cls.clear();
    name_schema.reserve(names.size());
    name_cls.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      name_schema.push_back(entities[names[i].entity].schema);
      name_cls.push_back(entities[names[i].entity].cls);
    }
    list_entities.assign(lists.size(), 0);
    by_id.resize(entities.size());
    for (uint32_t i = 0; i < entities.size(); ++i) {
      by_id[i] = i;
      ++list_entities[entities[i].list];
    }
    std::sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) {
      const IndexedEntity &x = entities[a], &y = entities[b];
      const std::string &xl = lists[x.list].id, &yl = lists[y.list].id;
      if (xl != yl) return xl < yl;
      return x.entity.id < y.entity.id;
    });
  }

  NameClass ScoringClass(lists::Schema query, NameClass entity) const {
    NameClass q = ClassOf(query);
    if (q == NameClass::kAny) return entity;
    return q;
  }

  // Best name score of one entity-name for the query; fills matched details.
  double ScoreName(QueryNames& qn, uint32_t name_id, std::vector<std::string>* expl) const {
    if (!SchemataCompatible(qn.query->schema, name_schema[name_id])) return 0.0;
    const NameClass cls = ScoringClass(qn.query->schema, name_cls[name_id]);
    const IndexedName& nm = names[name_id];
    const std::vector<AnalyzedName>& qs = qn.Get(cls);
    double best = 0;
    size_t best_q = 0;
    for (size_t i = 0; i < qs.size(); ++i) {
      double s = ScoreNames(qs[i], nm.an, cls, params);
      if (s > best) {
        best = s;
        best_q = i;
      }
    }
    if (expl && best > 0) ScoreNames(qs[best_q], nm.an, cls, params, expl);
    return best;
  }

  // The candidates of ScreenWith: for each query name, the index's ranking
  // of every name it recalls, kept per list up to `per_list`, skipping
  // names of lists not asked for, of entities `accept` refuses and of
  // schemata the query cannot match, so that they take no list's place.
  std::vector<uint32_t> CandidatesPerList(QueryNames& qn, const ScreenOptions& opts,
                                          size_t per_list) const {
    std::vector<char> wanted(lists.size(), opts.lists.empty());
    for (const std::string& id : opts.lists) {
      for (size_t i = 0; i < lists.size(); ++i)
        if (lists[i].id == id) wanted[i] = 1;
    }
    std::vector<uint32_t> out;
    const NameClass qc = ClassOf(qn.query->schema);
    for (const AnalyzedName& an : qn.Get(qc == NameClass::kAny ? NameClass::kAny : qc)) {
      std::vector<size_t> taken(lists.size(), 0);
      for (uint32_t nid : index.Candidates(an, names.size())) {
        const IndexedEntity& ent = entities[names[nid].entity];
        if (!wanted[ent.list] || taken[ent.list] >= per_list) continue;
        if (!SchemataCompatible(qn.query->schema, name_schema[nid])) continue;
        if (opts.accept && !opts.accept(ent.entity)) continue;
        ++taken[ent.list];
        out.push_back(nid);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  ScreeningResult Run(const PartyQuery& query, bool exhaustive,
                      const ScreenOptions* opts = nullptr) const {
    QueryNames qn{this, &query, {}, {}};
    if (!query.name.empty()) qn.raw.push_back(query.name);
    for (const std::string& a : query.aliases)
      if (!a.empty()) qn.raw.push_back(a);
    ScreeningResult result;
    if (qn.raw.empty()) return result;

    // Candidate names.
    std::vector<uint32_t> cands;
    if (exhaustive) {
      cands.resize(names.size());
      for (uint32_t i = 0; i < names.size(); ++i)
        cands[i] = i;
    } else if (opts) {
      // yente's candidate count (routers/match.py): 10 x limit, at most
      // max(500, limit); here per list, and never fewer than Screen's.
      const size_t limit = std::min<size_t>(opts->limit, 100000);
      const size_t wanted =
          opts->candidates ? opts->candidates : std::min(limit * 10, std::max<size_t>(500, limit));
      const size_t per_list = std::max(options.max_candidates, wanted);
      cands = CandidatesPerList(qn, *opts, per_list);
    } else {
      const NameClass qc = ClassOf(query.schema);
      for (const AnalyzedName& an : qn.Get(qc == NameClass::kAny ? NameClass::kAny : qc)) {
        std::vector<uint32_t> c = index.Candidates(an, options.max_candidates);
        cands.insert(cands.end(), c.begin(), c.end());
      }
      std::sort(cands.begin(), cands.end());
      cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
    }

    // Entity scores: best strong name; weak aliases capped below the match
    // threshold (OFAC FAQ 91: a weak AKA alone does not make a match).
    struct Best {
      double score = 0;
      uint32_t name = 0;
      bool weak_capped = false;
    };
    std::vector<std::pair<uint32_t, Best>> ents;  // entity -> best
    for (uint32_t nid : cands) {
      // Entries not listed on the query's date (listed later, or delisted).
      if (!query.as_of.empty() && !lists::ListedOn(entities[names[nid].entity].entity, query.as_of))
        continue;
      double s = ScoreName(qn, nid, nullptr);
      if (s <= 0) continue;
      const IndexedName& nm = names[nid];
      bool capped = false;
      if (nm.strength == lists::NameStrength::kWeak && s >= options.match_threshold) {
        s = std::max(0.0, options.match_threshold - 0.01);
        capped = true;
      }
      auto it = std::find_if(ents.begin(), ents.end(),
                             [&](const auto& e) { return e.first == nm.entity; });
      if (it == ents.end()) {
        ents.push_back({nm.entity, Best{s, nid, capped}});
      } else if (s > it->second.score) {
        it->second = Best{s, nid, capped};
      }
    }
    // Qualifiers, thresholds.
    const double report_from =
        opts && opts->min_score >= 0 ? opts->min_score : options.review_threshold;
    std::vector<ScreeningHit> hits;
    for (auto& [eid, best] : ents) {
      const IndexedEntity& ent = entities[eid];
      if (exhaustive && opts) {
        if (!opts->lists.empty() && std::find(opts->lists.begin(), opts->lists.end(),
                                              lists[ent.list].id) == opts->lists.end())
          continue;
        if (opts->accept && !opts->accept(ent.entity)) continue;
      }
      double score = best.score;
      // Adjustments first; their notes only for the entities reported.
      const bool qualify = score >= report_from - 0.2;
      if (qualify) {
        score += DateAdjust(query.birth_date, ent.entity.birth_dates, nullptr);
        score += CountryAdjust(query.country, ent.countries, nullptr);
      }
      if (best.weak_capped) score = std::min(score, options.match_threshold - 0.01);
      score = std::clamp(score, 0.0, 1.0);
      if (score < report_from) continue;
      std::string date_note, country_note;
      if (qualify) {
        DateAdjust(query.birth_date, ent.entity.birth_dates, &date_note);
        CountryAdjust(query.country, ent.countries, &country_note);
      }
      ScreeningHit h;
      h.list = lists[ent.list].id;
      h.list_version = lists[ent.list].version;
      h.entity_id = ent.entity.id;
      h.schema = ent.entity.schema;
      h.name = ent.entity.caption;
      const IndexedName& nm = names[best.name];
      h.matched_name = ent.entity.names[nm.name_index].full;
      h.score = score;
      h.match = score >= options.match_threshold;
      h.programs = ent.entity.programs;
      ScoreName(qn, best.name, &h.explanation);
      if (nm.strength == lists::NameStrength::kWeak)
        h.explanation.push_back(best.weak_capped ? "weak alias: capped below the match threshold"
                                                 : "weak alias");
      if (!date_note.empty()) h.explanation.push_back(date_note);
      if (!country_note.empty()) h.explanation.push_back(country_note);
      h.effect = ent.entity.effect;
      h.jurisdiction = ent.entity.jurisdiction;
      h.source = ent.entity.source;
      h.listed_on = ent.entity.listed_on;
      h.delisted_on = ent.entity.delisted_on;
      hits.push_back(std::move(h));
    }
    std::sort(hits.begin(), hits.end(), [](const ScreeningHit& a, const ScreeningHit& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.list != b.list) return a.list < b.list;
      return a.entity_id < b.entity_id;
    });
    const size_t limit = opts ? opts->limit : options.limit;
    if (hits.size() > limit) hits.resize(limit);
    result.status = StatusOf(hits);
    result.matches = std::move(hits);
    return result;
  }
};

ListScreener::ListScreener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ListScreener::~ListScreener() = default;

Result<std::unique_ptr<ListScreener>> ListScreener::Build(std::vector<ListInput> lists,
                                                          EngineOptions options) {
  const double analyse_wall0 = WallNow(), analyse_cpu0 = CpuNow();
  DU_ASSIGN_OR_RETURN(const NameTerms* terms, DefaultNameTerms());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->terms = terms;
  for (ListInput& l : lists) {
    const uint32_t li = static_cast<uint32_t>(impl->lists.size());
    impl->lists.push_back({l.list_id, l.version});
    for (lists::Entity& e : l.entities) {
      IndexedEntity ie;
      ie.list = li;
      ie.cls = ClassOf(e.schema);
      for (const std::string& c : e.countries) {
        if (c.size() != 2) continue;
        std::string up = c;
        for (char& ch : up)
          ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        ie.countries.push_back(up);
      }
      ie.entity = std::move(e);
      ie.schema = ie.entity.schema;
      // The caption is a name too when the importer did not list it.
      bool has_caption = ie.entity.caption.empty();
      for (const lists::EntityName& n : ie.entity.names)
        if (n.full == ie.entity.caption) has_caption = true;
      if (!has_caption) {
        lists::EntityName n;
        n.full = ie.entity.caption;
        n.strength = lists::NameStrength::kPrimary;
        ie.entity.names.insert(ie.entity.names.begin(), n);
      }
      impl->entities.push_back(std::move(ie));
    }
  }
  // Analyse every name on all cores (ICU transliteration is the expensive
  // part) and index them in name order, pipelined: the names are cut into
  // chunks; worker threads analyse chunks in order; this thread indexes chunk
  // k as soon as it is analysed, and analyses a chunk itself while it waits.
  // The index is the same as analysing everything first and then indexing.
  struct Job {
    uint32_t entity, name_index;
    std::vector<AnalyzedName> forms;  // AnalyzeNameForms: each is indexed as a name
  };
  std::vector<Job> jobs;
  for (uint32_t eid = 0; eid < impl->entities.size(); ++eid) {
    const auto& names = impl->entities[eid].entity.names;
    for (uint32_t k = 0; k < names.size(); ++k)
      if (!names[k].full.empty()) jobs.push_back({eid, k, {}});
  }
  impl->names.reserve(jobs.size());
  auto index_form = [&](const Job& job, AnalyzedName an) {
    IndexedEntity& ie = impl->entities[job.entity];
    const uint32_t eid = job.entity;
    const lists::EntityName& n = ie.entity.names[job.name_index];
    IndexedName nm;
    nm.entity = eid;
    nm.name_index = job.name_index;
    nm.strength = n.strength;
    nm.an = std::move(an);
    if (nm.an.tokens.empty()) return;
    // Same normalised name twice on one entity: keep the stronger.
    for (size_t j = impl->names.size(); j-- > 0 && impl->names[j].entity == eid;) {
      if (impl->names[j].an.full == nm.an.full) {
        if (nm.strength < impl->names[j].strength) impl->names[j].strength = nm.strength;
        return;
      }
    }
    if (ie.schema == lists::Schema::kLegalEntity) {
      // A legal form, or a generic organisation word in the main name
      // ("... International"), makes an untyped entity an organisation.
      for (const NameToken& t : nm.an.tokens) {
        if (t.kind == TokenKind::kLegalForm ||
            (t.kind == TokenKind::kGeneric && n.strength == lists::NameStrength::kPrimary))
          ie.schema = lists::Schema::kCompany;
      }
    }
    const uint32_t nid = static_cast<uint32_t>(impl->names.size());
    impl->index.Add(nid, nm.an);
    impl->names.push_back(std::move(nm));
  };
  auto index_job = [&](Job& job) {
    for (AnalyzedName& an : job.forms)
      index_form(job, std::move(an));
    job.forms.clear();
  };
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr size_t kChunk = 256;
  const size_t chunks = (jobs.size() + kChunk - 1) / kChunk;
  std::unique_ptr<std::atomic<bool>[]> analysed(new std::atomic<bool>[chunks]);
  for (size_t c = 0; c < chunks; ++c)
    analysed[c].store(false, std::memory_order_relaxed);
  std::atomic<size_t> next{0};
  // Claims the next chunk and analyses it; false when none is left.
  auto analyse_one = [&] {
    const size_t c = next.fetch_add(1);
    if (c >= chunks) return false;
    for (size_t j = c * kChunk; j < std::min(jobs.size(), (c + 1) * kChunk); ++j) {
      const IndexedEntity& ie = impl->entities[jobs[j].entity];
      jobs[j].forms = AnalyzeNameForms(ie.entity.names[jobs[j].name_index].full, ie.cls, *terms);
    }
    analysed[c].store(true, std::memory_order_release);
    return true;
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&] {
      while (analyse_one()) {
      }
    });
  double index_wall = 0, index_cpu = 0;  // this thread's time spent indexing
  for (size_t c = 0; c < chunks; ++c) {
    while (!analysed[c].load(std::memory_order_acquire)) {
      if (!analyse_one()) std::this_thread::yield();
    }
    const double w0 = WallNow(), c0 = ThreadCpuNow();
    for (size_t j = c * kChunk; j < std::min(jobs.size(), (c + 1) * kChunk); ++j)
      index_job(jobs[j]);
    index_wall += WallNow() - w0;
    index_cpu += ThreadCpuNow() - c0;
  }
  for (std::thread& t : pool)
    t.join();
  const double finish_wall0 = WallNow(), finish_cpu0 = CpuNow();
  impl->index.Finish();
  impl->DeriveTables();
  const double end_wall = WallNow(), end_cpu = CpuNow();
  impl->stats.threads = threads;
  impl->stats.index_wall = index_wall + (end_wall - finish_wall0);
  impl->stats.index_cpu = index_cpu + (end_cpu - finish_cpu0);
  impl->stats.analyse_wall = (finish_wall0 - analyse_wall0) - index_wall;
  impl->stats.analyse_cpu = (finish_cpu0 - analyse_cpu0) - index_cpu;
  return std::unique_ptr<ListScreener>(new ListScreener(std::move(impl)));
}

Result<std::unique_ptr<ListScreener>> ListScreener::Build(std::vector<lists::ListVersion> lists,
                                                          EngineOptions options) {
  std::vector<ListInput> in;
  in.reserve(lists.size());
  for (lists::ListVersion& v : lists)
    in.push_back({v.list_id, v.version.empty() ? v.date : v.version, std::move(v.entities)});
  return Build(std::move(in), options);
}

ScreeningResult ListScreener::Screen(const PartyQuery& query) const {
  return impl_->Run(query, false);
}

ScreeningResult ListScreener::ScreenExhaustive(const PartyQuery& query) const {
  return impl_->Run(query, true);
}

ScreeningResult ListScreener::ScreenWith(const PartyQuery& query,
                                         const ScreenOptions& options) const {
  return impl_->Run(query, false, &options);
}

ScreeningResult ListScreener::ScreenWithExhaustive(const PartyQuery& query,
                                                   const ScreenOptions& options) const {
  return impl_->Run(query, true, &options);
}

const lists::Entity* ListScreener::FindEntity(const std::string& list,
                                              const std::string& id) const {
  const Impl& m = *impl_;
  auto it = std::lower_bound(m.by_id.begin(), m.by_id.end(), 0, [&](uint32_t e, int) {
    const IndexedEntity& x = m.entities[e];
    const std::string& xl = m.lists[x.list].id;
    if (xl != list) return xl < list;
    return x.entity.id < id;
  });
  if (it == m.by_id.end()) return nullptr;
  const IndexedEntity& found = m.entities[*it];
  if (m.lists[found.list].id != list || found.entity.id != id) return nullptr;
  return &found.entity;
}

size_t ListScreener::EntityCount(const std::string& list) const {
  size_t n = 0;
  for (size_t i = 0; i < impl_->lists.size(); ++i)
    if (impl_->lists[i].id == list) n += impl_->list_entities[i];
  return n;
}

std::vector<ScreeningResult> ListScreener::ScreenBatch(const std::vector<PartyQuery>& queries,
                                                       unsigned threads) const {
  std::vector<ScreeningResult> out(queries.size());
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(queries.size(), 1)));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= queries.size()) return;
      out[i] = Screen(queries[i]);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work);
  work();
  for (std::thread& t : pool)
    t.join();
  return out;
}

std::map<std::string, std::string> ListScreener::ListVersions() const {
  std::map<std::string, std::string> m;
  for (const ListMeta& l : impl_->lists)
    m[l.id] = l.version;
  return m;
}

// The body of a list snapshot (snapshot.h): the lists; the entities, with
// what matching derived from them, and the analysed names, each as a section
// (item count, byte length, the items, each item's offset in the section);
// the tables derived from them (per name schema and class, entities by id,
// entities per list); the index.
namespace {

bool DecodeIndexedEntity(SnapshotReader* r, IndexedEntity* ie, const void* context);
bool DecodeIndexedName(SnapshotReader* r, IndexedName* nm, const void* context);

}  // namespace

void ListScreener::EncodeBody(std::string* out) const {
  const Impl& m = *impl_;
  SnapshotWriter w(out);
  w.U32(static_cast<uint32_t>(m.lists.size()));
  for (const ListMeta& l : m.lists) {
    w.Str(l.id);
    w.Str(l.version);
  }
  // A section: count, length, items, offsets.
  auto section = [&](size_t count, auto&& encode_item) {
    w.U32(static_cast<uint32_t>(count));
    const size_t length_at = out->size();
    w.U64(0);
    const size_t start = out->size();
    std::vector<uint32_t> offsets(count);
    for (size_t i = 0; i < count; ++i) {
      offsets[i] = static_cast<uint32_t>(out->size() - start);
      encode_item(i);
    }
    const uint64_t length = out->size() - start;
    std::memcpy(out->data() + length_at, &length, 8);
    w.U32s(offsets);
  };
  section(m.entities.size(), [&](size_t i) {
    const IndexedEntity& ie = m.entities[i];
    EncodeEntity(ie.entity, &w);
    w.U32(ie.list);
    w.U8(static_cast<uint8_t>(ie.cls));
    w.U8(static_cast<uint8_t>(ie.schema));
    w.Strs(ie.countries);
  });
  section(m.names.size(), [&](size_t i) {
    const IndexedName& nm = m.names[i];
    w.U32(nm.entity);
    w.U32(nm.name_index);
    w.U8(static_cast<uint8_t>(nm.strength));
    EncodeAnalyzedName(nm.an, &w);
  });
  for (lists::Schema sc : m.name_schema)
    w.U8(static_cast<uint8_t>(sc));
  for (NameClass c : m.name_cls)
    w.U8(static_cast<uint8_t>(c));
  w.U32s(m.by_id);
  for (size_t n : m.list_entities)
    w.U32(static_cast<uint32_t>(n));
  m.index.Encode(&w);
}

namespace {

bool DecodeIndexedEntity(SnapshotReader* r, IndexedEntity* ie, const void* context) {
  const auto* impl = static_cast<const ListScreener::Impl*>(context);
  ie->entity = DecodeEntity(r);
  ie->list = r->U32();
  ie->cls = r->Enum<NameClass>(static_cast<uint8_t>(NameClass::kAny));
  ie->schema = r->Enum<lists::Schema>(static_cast<uint8_t>(lists::Schema::kAircraft));
  ie->countries = r->Strs();
  return r->ok() && ie->list < impl->lists.size();
}

bool DecodeIndexedName(SnapshotReader* r, IndexedName* nm, const void* context) {
  const auto* impl = static_cast<const ListScreener::Impl*>(context);
  nm->entity = r->U32();
  nm->name_index = r->U32();
  nm->strength = r->Enum<lists::NameStrength>(static_cast<uint8_t>(lists::NameStrength::kWeak));
  nm->an = DecodeAnalyzedName(r);
  return r->ok() && nm->entity < impl->entities.size() &&
         nm->name_index < impl->entities[nm->entity].entity.names.size();
}

}  // namespace

Result<std::unique_ptr<ListScreener>> ListScreener::DecodeBody(
    std::string_view body, EngineOptions options, const std::string& what,
    std::shared_ptr<const void> keep_alive) {
  DU_ASSIGN_OR_RETURN(const NameTerms* terms, DefaultNameTerms());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->terms = terms;
  SnapshotReader r(body);
  auto bad = [&](const char* part) {
    return Status::DataLoss(what + ": body byte " + std::to_string(r.pos()) + ": expected " + part +
                            " as the snapshot format writes them");
  };
  impl->lists.resize(r.Count(8));
  for (ListMeta& l : impl->lists) {
    l.id = r.Str();
    l.version = r.Str();
  }
  if (!r.ok()) return bad("the lists");
  const bool lazy = keep_alive != nullptr;
  // A section: its items' bytes and offsets.
  auto section = [&](size_t min_item, std::string_view* bytes, std::vector<uint32_t>* offsets) {
    const uint32_t count = r.Count(min_item);
    const uint64_t length = r.U64();
    if (!r.ok() || length > r.remaining()) {
      r.Fail();
      return;
    }
    *bytes = body.substr(r.pos(), length);
    r.Skip(length);
    *offsets = r.U32s();
    if (offsets->size() != count) r.Fail();
  };
  // Eagerly: every item decoded where its offset says and ending where the
  // next begins.
  auto decode_all = [&](std::string_view bytes, const std::vector<uint32_t>& offsets, auto* table,
                        auto decode) {
    for (size_t i = 0; i < offsets.size() && r.ok(); ++i) {
      const size_t end = i + 1 < offsets.size() ? offsets[i + 1] : bytes.size();
      if (end > bytes.size() || offsets[i] > end) {
        r.Fail();
        break;
      }
      SnapshotReader item(bytes.substr(offsets[i], end - offsets[i]));
      typename std::remove_reference_t<decltype(*table)>::value_type v;
      if (!decode(&item, &v, impl.get()) || !item.ok() || item.remaining() != 0) r.Fail();
      table->push_back(std::move(v));
    }
  };
  std::string_view entity_bytes, name_bytes;
  std::vector<uint32_t> entity_offsets, name_offsets;
  section(63, &entity_bytes, &entity_offsets);
  if (!r.ok()) return bad("the entities");
  if (lazy) {
    if (!impl->entities.SetLazy(entity_bytes, std::move(entity_offsets), DecodeIndexedEntity,
                                impl.get()))
      return bad("the entities' offsets");
  } else {
    decode_all(entity_bytes, entity_offsets, &impl->entities, DecodeIndexedEntity);
    if (!r.ok()) return bad("the entities");
  }
  section(26, &name_bytes, &name_offsets);
  if (!r.ok()) return bad("the analysed names");
  if (lazy) {
    if (!impl->names.SetLazy(name_bytes, std::move(name_offsets), DecodeIndexedName, impl.get()))
      return bad("the analysed names' offsets");
  } else {
    decode_all(name_bytes, name_offsets, &impl->names, DecodeIndexedName);
    if (!r.ok()) return bad("the analysed names");
  }
  if (!impl->names.empty() && impl->entities.empty()) return bad("entities for the names");
  const size_t n_names = impl->names.size(), n_entities = impl->entities.size();
  impl->name_schema.resize(r.remaining() >= n_names ? n_names : 0);
  for (lists::Schema& sc : impl->name_schema)
    sc = r.Enum<lists::Schema>(static_cast<uint8_t>(lists::Schema::kAircraft));
  impl->name_cls.resize(r.remaining() >= n_names ? n_names : 0);
  for (NameClass& c : impl->name_cls)
    c = r.Enum<NameClass>(static_cast<uint8_t>(NameClass::kAny));
  impl->by_id = r.U32s();
  impl->list_entities.resize(r.remaining() / 4 >= impl->lists.size() ? impl->lists.size() : 0);
  for (size_t& n : impl->list_entities)
    n = r.U32();
  if (!r.ok() || impl->name_schema.size() != n_names || impl->name_cls.size() != n_names ||
      impl->by_id.size() != n_entities || impl->list_entities.size() != impl->lists.size())
    return bad("the derived tables");
  // Entities by id: a permutation.
  std::vector<char> seen(n_entities, 0);
  for (uint32_t e : impl->by_id) {
    if (e >= n_entities || seen[e]) return bad("entities by id (a permutation)");
    seen[e] = 1;
  }
  size_t listed = 0;
  for (size_t n : impl->list_entities)
    listed += n;
  if (listed != n_entities) return bad("entities per list");
  impl->index.Decode(&r, n_names);
  if (!r.ok()) return bad("the index");
  if (r.remaining() != 0) return bad("nothing after the index");
  if (lazy) {
    impl->snapshot = std::move(keep_alive);
  } else {
    // Every derived table as Build derives it.
    const auto schema = impl->name_schema;
    const auto cls = impl->name_cls;
    const auto by_id = impl->by_id;
    const auto per_list = impl->list_entities;
    impl->DeriveTables();
    if (schema != impl->name_schema || cls != impl->name_cls || per_list != impl->list_entities)
      return bad("derived tables that agree with the entities");
    // by_id: ordered by (list id, publisher id); equal keys may come in any
    // order, so it is checked as an order, not compared.
    for (size_t i = 1; i < by_id.size(); ++i) {
      const IndexedEntity &x = impl->entities[by_id[i - 1]], &y = impl->entities[by_id[i]];
      const std::string &xl = impl->lists[x.list].id, &yl = impl->lists[y.list].id;
      if (std::tie(yl, y.entity.id) < std::tie(xl, x.entity.id))
        return bad("entities ordered by id");
    }
    impl->by_id = by_id;
  }
  return std::unique_ptr<ListScreener>(new ListScreener(std::move(impl)));
}

const EngineOptions& ListScreener::options() const { return impl_->options; }
const BuildStats& ListScreener::build_stats() const { return impl_->stats; }
size_t ListScreener::entity_count() const { return impl_->entities.size(); }
size_t ListScreener::name_count() const { return impl_->names.size(); }

double CompareNames(lists::Schema schema, std::string_view name1, std::string_view name2,
                    std::vector<std::string>* explanation) {
  auto terms = DefaultNameTerms();
  if (!terms) return 0.0;
  const NameClass cls = ClassOf(schema);
  // The best pair of forms (publisher's parts, alternative romanisations).
  const std::vector<AnalyzedName> a = AnalyzeNameForms(name1, cls, **terms);
  const std::vector<AnalyzedName> b = AnalyzeNameForms(name2, cls, **terms);
  const ScoreParams params;
  double best = 0;
  size_t bi = 0, bj = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) {
      const double s = ScoreNames(a[i], b[j], cls, params);
      if (s > best) {
        best = s;
        bi = i;
        bj = j;
      }
    }
  }
  if (explanation && !a.empty() && !b.empty()) ScoreNames(a[bi], b[bj], cls, params, explanation);
  return best;
}

}  // namespace dualuse::screening
