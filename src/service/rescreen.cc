#include "dualuse/service/rescreen.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "dualuse/base/sha256.h"

namespace dualuse::service {
namespace {

using Json = nlohmann::json;

// Schema names as the register stores them (entity.h SchemaName spelling),
// kept here so the store does not link the lists module.
lists::Schema SchemaFromName(const std::string& s) {
  if (s == "Person") return lists::Schema::kPerson;
  if (s == "Organization") return lists::Schema::kOrganization;
  if (s == "Company") return lists::Schema::kCompany;
  if (s == "Vessel") return lists::Schema::kVessel;
  if (s == "Aircraft") return lists::Schema::kAircraft;
  return lists::Schema::kLegalEntity;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Screens `queries` with `threads` workers; results in input order.
std::vector<screening::ScreeningResult> ScreenAll(const screening::PartyScreener& screener,
                                                  const std::vector<screening::PartyQuery>& queries,
                                                  unsigned threads,
                                                  const std::function<void(size_t)>& tick) {
  std::vector<screening::ScreeningResult> out(queries.size());
  std::atomic<size_t> next{0}, done{0};
  auto work = [&] {
    while (true) {
      size_t i = next.fetch_add(64);
      if (i >= queries.size()) return;
      size_t end = std::min(queries.size(), i + 64);
      for (size_t k = i; k < end; ++k)
        out[k] = screener.Screen(queries[k]);
      done += end - i;
    }
  };
  threads = std::max(1u, threads);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work);
  std::thread last(work);
  while (done.load() < queries.size()) {
    if (tick) tick(done.load());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  last.join();
  for (auto& t : pool)
    t.join();
  if (tick) tick(queries.size());
  return out;
}

}  // namespace

const char* EffectWord(lists::ListEffect e) {
  switch (e) {
    case lists::ListEffect::kAssetFreeze:
      return "asset_freeze";
    case lists::ListEffect::kDeniedParty:
      return "denied_party";
    case lists::ListEffect::kLicenceRequirement:
      return "licence_requirement";
    case lists::ListEffect::kBlocking:
      return "blocking";
    case lists::ListEffect::kOther:
      return "other";
  }
  return "other";
}

std::string EntityContentHash(const lists::Entity& e) {
  Json names = Json::array();
  std::vector<std::string> ns;
  for (const auto& n : e.names) {
    ns.push_back(Json{n.full, static_cast<int>(n.strength), n.original_script}.dump());
  }
  std::vector<std::string> ids;
  for (const auto& i : e.identifiers)
    ids.push_back(Json{i.type, i.value, i.country}.dump());
  Json j = {{"list", e.list},
            {"id", e.id},
            {"schema", static_cast<int>(e.schema)},
            {"names", Sorted(ns)},
            {"birth_dates", Sorted(e.birth_dates)},
            {"countries", Sorted(e.countries)},
            {"identifiers", Sorted(ids)},
            {"programs", Sorted(e.programs)}};
  return Sha256Hex(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

screening::PartyQuery QueryFor(const store::Counterparty& c) {
  screening::PartyQuery q;
  q.name = c.name;
  q.aliases = c.aliases;
  q.schema = SchemaFromName(c.schema);
  q.country = c.country;
  q.birth_date = c.birth_date;
  Json ids = Json::parse(c.identifiers, nullptr, false);
  if (ids.is_array()) {
    for (const Json& i : ids) {
      if (!i.is_object()) continue;
      lists::Identifier id;
      id.type = i.value("type", "");
      id.value = i.value("value", "");
      id.country = i.value("country", "");
      q.identifiers.push_back(std::move(id));
    }
  }
  return q;
}

std::vector<store::AlertInput> AlertsFor(
    const store::Counterparty& c, const screening::ScreeningResult& result,
    const std::function<std::string(const std::string&, const std::string&)>& entity_hash,
    const std::string& source) {
  std::vector<store::AlertInput> out;
  for (const auto& hit : result.matches) {
    store::AlertInput a;
    a.counterparty_id = c.id;
    a.kind = hit.match ? "hit" : "potential_match";
    a.list = hit.list;
    a.list_version = hit.list_version;
    a.entity_id = hit.entity_id;
    a.entity_hash = entity_hash ? entity_hash(hit.list, hit.entity_id) : "";
    if (a.entity_hash.empty()) a.entity_hash = "version:" + hit.list_version;
    a.entity_name = hit.name;
    a.matched_name = hit.matched_name;
    a.score = hit.score;
    a.effect = EffectWord(hit.effect);
    a.jurisdiction = hit.jurisdiction;
    a.programs = Json(hit.programs).dump(-1, ' ', false, Json::error_handler_t::replace);
    a.details = Json{{"source", source}, {"explanation", hit.explanation}}.dump(
        -1, ' ', false, Json::error_handler_t::replace);
    out.push_back(std::move(a));
  }
  return out;
}

Result<RescreenReport> Rescreen(store::Store& store, const std::vector<ListUpdate>& updates,
                                const screening::PartyScreener* all_lists,
                                const MiniScreenerFactory& make_mini,
                                const RescreenOptions& options) {
  RescreenReport rep;
  auto clock = std::chrono::steady_clock::now();
  auto lap = [&](const char* phase) {
    auto now = std::chrono::steady_clock::now();
    rep.timings.push_back({phase, std::chrono::duration<double>(now - clock).count()});
    clock = now;
  };
  DU_ASSIGN_OR_RETURN(std::vector<store::Counterparty> cps, store.Counterparties());
  lap("load");
  rep.counterparties = cps.size();

  // Entity hashes of the changed entities, for the mini-list hits.
  std::map<std::pair<std::string, std::string>, std::string> changed_hash;
  for (const auto& u : updates) {
    for (const auto& e : u.changed)
      changed_hash[{u.list, e.id}] = EntityContentHash(e);
    rep.changed_entities += u.changed.size();
  }
  auto mini_hash = [&](const std::string& list, const std::string& id) {
    auto it = changed_hash.find({list, id});
    return it == changed_hash.end() ? std::string() : it->second;
  };

  std::vector<size_t> fresh, known;
  for (size_t i = 0; i < cps.size(); ++i) {
    (cps[i].screened_hash != cps[i].content_hash ? fresh : known).push_back(i);
  }
  if (all_lists) rep.new_counterparties = fresh.size();
  size_t total = (rep.changed_entities > 0 ? known.size() : 0) + (all_lists ? fresh.size() : 0);
  size_t base = 0;
  auto tick = [&](size_t done) {
    if (options.progress) options.progress(base + done, total);
  };

  // 1. Changed entities against the counterparties screened before.
  if (rep.changed_entities > 0 && !known.empty()) {
    if (!make_mini)
      return Status::InvalidArgument("rescreen: no screener for the changed entities");
    DU_ASSIGN_OR_RETURN(std::unique_ptr<screening::PartyScreener> mini, make_mini(updates));
    lap("index_changed");
    std::vector<screening::PartyQuery> queries;
    queries.reserve(known.size());
    for (size_t i : known)
      queries.push_back(QueryFor(cps[i]));
    auto results = ScreenAll(*mini, queries, options.threads, tick);
    base += queries.size();
    rep.queries += queries.size();
    for (size_t k = 0; k < known.size(); ++k) {
      for (auto& a : AlertsFor(cps[known[k]], results[k], mini_hash, "rescreen:list_update")) {
        rep.proposed.push_back(std::move(a));
      }
    }
    lap("screen_changed");
  }
  // 2. New and changed counterparties against every list.
  store::RescreenWrite w;
  if (all_lists && !fresh.empty()) {
    std::vector<screening::PartyQuery> queries;
    for (size_t i : fresh)
      queries.push_back(QueryFor(cps[i]));
    auto results = ScreenAll(*all_lists, queries, options.threads, tick);
    rep.queries += queries.size();
    for (size_t k = 0; k < fresh.size(); ++k) {
      for (auto& a :
           AlertsFor(cps[fresh[k]], results[k], options.entity_hash, "rescreen:new_counterparty")) {
        rep.proposed.push_back(std::move(a));
      }
      w.screened.push_back({cps[fresh[k]].id, cps[fresh[k]].content_hash});
    }
    lap("screen_new");
  }

  w.alerts = rep.proposed;
  Json in_lists = Json::array();
  Json versions = Json::object();
  for (const auto& u : updates) {
    w.list_versions.push_back({u.list, u.new_version});
    in_lists.push_back({{"list", u.list},
                        {"from", u.old_version},
                        {"to", u.new_version},
                        {"changed_entities", u.changed.size()},
                        {"removed_entities", u.removed}});
    versions[u.list] = u.new_version;
  }
  if (all_lists) {
    for (const auto& [list, v] : all_lists->ListVersions()) {
      if (!versions.contains(list)) versions[list] = v;
    }
  }
  w.record.kind = store::kKindRescreen;
  w.record.actor = options.actor;
  w.record.subject = "rescreen";
  w.record.inputs = Json{{"lists", in_lists},
                         {"counterparties", rep.counterparties},
                         {"new_counterparties", all_lists ? fresh.size() : 0}}
                        .dump();
  w.record.outputs = Json{{"queries", rep.queries}, {"proposed", rep.proposed.size()}}.dump();
  w.record.list_versions = versions.dump();
  DU_ASSIGN_OR_RETURN(store::RescreenCommit c, store.CommitRescreen(w));
  lap("commit");
  rep.record_id = c.record.id;
  for (const auto& [o, id] : c.outcomes) {
    rep.raised += o == store::AlertOutcome::kRaised;
    rep.suppressed += o == store::AlertOutcome::kSuppressedDismissed ||
                      o == store::AlertOutcome::kKnownFalsePositive;
    rep.duplicates += o == store::AlertOutcome::kDuplicate || o == store::AlertOutcome::kAttached;
  }
  return rep;
}

}  // namespace dualuse::service
