#include "yente.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <set>

#include "dualuse/base/date.h"
#include "dualuse/lists/catalogue.h"

namespace dualuse::server::internal {
namespace {

using nlohmann::json;

constexpr size_t kMaxNameBytes = 1000;

// Collections: every list loaded (yente's "default" and its siblings).
const std::set<std::string>& Collections() {
  static const std::set<std::string> k = {"default", "all", "sanctions", "dualuse"};
  return k;
}

Status Bad(const std::string& m) { return Status::InvalidArgument(m); }

std::vector<std::string> Params(const Call& c, const std::string& key) {
  std::vector<std::string> out;
  auto [lo, hi] = c.params.equal_range(key);
  for (auto it = lo; it != hi; ++it)
    out.push_back(it->second);
  return out;
}

// The one value of query parameter `key`; "" when absent.
Result<std::string> OneParam(const Call& c, const std::string& key) {
  auto [lo, hi] = c.params.equal_range(key);
  if (lo == hi) return std::string();
  if (std::next(lo) != hi) return Bad("query parameter '" + key + "': given more than once");
  return lo->second;
}

Result<double> NumberParam(const Call& c, const std::string& key, double fallback) {
  DU_ASSIGN_OR_RETURN(std::string v, OneParam(c, key));
  if (v.empty()) return fallback;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(d >= 0 && d <= 1)) {
    return Bad("query parameter '" + key + "': expected a number in [0, 1], got '" + v + "'");
  }
  return d;
}

Result<int> LimitParam(const Call& c) {
  DU_ASSIGN_OR_RETURN(std::string v, OneParam(c, "limit"));
  if (v.empty()) return kYenteMatchPage;
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (end == v.c_str() || *end != '\0' || n < 0 || n > kYenteMaxMatches) {
    return Bad("query parameter 'limit': expected an integer in [0, " +
               std::to_string(kYenteMaxMatches) + "], got '" + v + "'");
  }
  return static_cast<int>(n);
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

// yente's EntityExample property values: a string or a list of strings.
std::vector<std::string> PropValues(const json& props, const std::string& key) {
  std::vector<std::string> out;
  auto it = props.find(key);
  if (it == props.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const json& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

Result<screening::PartyQuery> QueryFromExample(const json& ex, const std::string& where) {
  if (!ex.is_object()) return Bad(where + ": expected an entity example object");
  screening::PartyQuery q;
  auto schema = ex.find("schema");
  if (schema == ex.end() || !schema->is_string()) return Bad(where + ".schema: required string");
  if (!lists::ParseSchema(schema->get<std::string>(), &q.schema)) {
    return Bad(where + ".schema: unsupported schema \"" + schema->get<std::string>() + "\"");
  }
  auto props = ex.find("properties");
  if (props == ex.end() || !props->is_object()) {
    return Bad(where + ".properties: required object");
  }
  std::vector<std::string> names = PropValues(*props, "name");
  std::vector<std::string> firsts = PropValues(*props, "firstName");
  std::vector<std::string> lasts = PropValues(*props, "lastName");
  std::string first = firsts.empty() ? "" : firsts.front();
  std::string last = lasts.empty() ? "" : lasts.front();
  if (names.empty() && !(first + last).empty()) {
    names.push_back(first.empty() ? last : last.empty() ? first : first + " " + last);
  }
  if (names.empty()) return Bad(where + ".properties.name: at least one name is required");
  q.name = names.front();
  if (q.name.size() > kMaxNameBytes) return Bad(where + ".properties.name: too long");
  q.aliases.assign(names.begin() + 1, names.end());
  for (const std::string& a : PropValues(*props, "alias"))
    q.aliases.push_back(a);
  auto dates = PropValues(*props, "birthDate");
  if (dates.empty()) dates = PropValues(*props, "incorporationDate");
  if (!dates.empty()) q.birth_date = dates.front();
  for (const char* k : {"country", "nationality", "citizenship", "jurisdiction"}) {
    auto v = PropValues(*props, k);
    if (!v.empty() && q.country.empty()) {
      q.country = v.front();
      std::transform(q.country.begin(), q.country.end(), q.country.begin(),
                     [](unsigned char ch) { return std::toupper(ch); });
    }
  }
  for (const auto& [prop, type] :
       std::vector<std::pair<std::string, std::string>>{{"idNumber", "national_id"},
                                                        {"passportNumber", "passport"},
                                                        {"registrationNumber", "registration"},
                                                        {"taxNumber", "tax"},
                                                        {"imoNumber", "imo"}}) {
    for (const std::string& v : PropValues(*props, prop))
      q.identifiers.push_back({type, v, ""});
  }
  return q;
}

// The query echoed back, properties normalised to lists as yente does. For
// an example that could not be read, what of it has the EntityExample shape.
json EchoExample(const json& ex) {
  json props = json::object();
  json id = nullptr, schema = "";
  if (ex.is_object()) {
    if (auto p = ex.find("properties"); p != ex.end() && p->is_object()) {
      for (const auto& [k, v] : p->items())
        props[k] = v.is_array() ? v : json::array({v});
    }
    if (auto i = ex.find("id"); i != ex.end() && i->is_string()) id = *i;
    if (auto s = ex.find("schema"); s != ex.end() && s->is_string()) schema = *s;
  }
  return {{"id", id}, {"schema", schema}, {"properties", props}};
}

// FtM property of an identifier type (lists/list.cc's types).
std::string IdentifierProperty(const std::string& type) {
  static const std::map<std::string, std::string> k = {{"passport", "passportNumber"},
                                                       {"national_id", "idNumber"},
                                                       {"imo", "imoNumber"},
                                                       {"mmsi", "mmsi"},
                                                       {"swift_bic", "swiftBic"},
                                                       {"tax_id", "taxNumber"},
                                                       {"tax", "taxNumber"},
                                                       {"registration", "registrationNumber"},
                                                       {"lei", "leiCode"}};
  auto it = k.find(type);
  return it == k.end() ? "idNumber" : it->second;
}

void AddValue(json* props, const std::string& key, const std::string& value) {
  if (value.empty()) return;
  json& list = (*props)[key];
  if (!list.is_array()) list = json::array();
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

json MatchResult(const lists::Entity* entity, const screening::ScreeningHit& h, double threshold) {
  json out;
  if (entity) {
    out = EntityResponse(*entity);
  } else {  // a screener that cannot look entities up: what the hit says
    json props = {{"name", {h.name}}};
    if (!h.programs.empty()) props["program"] = h.programs;
    out = {{"id", NamespacedId(h.list, h.entity_id)},
           {"caption", h.name},
           {"schema", lists::SchemaName(h.schema)},
           {"properties", props},
           {"datasets", {h.list}},
           {"referents", {h.entity_id}},
           {"target", true},
           {"first_seen", nullptr},
           {"last_seen", nullptr},
           {"last_change", nullptr}};
  }
  std::string detail;
  for (const std::string& e : h.explanation)
    detail += (detail.empty() ? "" : "; ") + e;
  if (!h.matched_name.empty() && h.matched_name != h.name) {
    detail = "matched \"" + h.matched_name + "\"" + (detail.empty() ? "" : "; ") + detail;
  }
  out["score"] = h.score;
  out["match"] = h.score >= threshold;
  out["features"] = {{"name_match", h.score}};
  out["explanations"] = {{"name_match", {{"score", h.score}, {"detail", detail}}}};
  out["token"] = nullptr;
  return out;
}

json ErrorEntry(const json& example, const Status& s) {
  ApiError e = ErrorFor(s);
  return {{"status", e.status},
          {"results", json::array()},
          {"total", {{"value", 0}, {"relation", "eq"}}},
          {"query", EchoExample(example)},
          {"error", {{"code", e.code}, {"message", e.message}}}};
}

// The lists a /match call screens: the dataset of the path (a list, or a
// collection of all), narrowed by include_dataset, minus exclude_dataset.
// A dataset name that is not loaded is an error, not a silent empty filter.
Result<std::vector<std::string>> DatasetScope(const Call& c, const std::string& dataset,
                                              const std::map<std::string, std::string>& loaded) {
  if (!Collections().count(dataset) && !loaded.count(dataset)) {
    return Status::NotFound("no dataset '" + dataset + "'").WithCode("dataset_not_found");
  }
  std::vector<std::string> include = Params(c, "include_dataset");
  std::vector<std::string> exclude = Params(c, "exclude_dataset");
  for (const auto* names : {&include, &exclude}) {
    for (const std::string& n : *names) {
      if (!loaded.count(n) && !Collections().count(n)) {
        return Bad(std::string("query parameter '") +
                   (names == &include ? "include_dataset" : "exclude_dataset") + "': no dataset '" +
                   n + "' (GET /catalog lists them)");
      }
    }
  }
  std::vector<std::string> scope;
  for (const auto& [id, version] : loaded) {
    if (!Collections().count(dataset) && id != dataset) continue;
    bool included = include.empty();
    for (const std::string& n : include)
      included = included || n == id || Collections().count(n);
    if (!included) continue;
    bool excluded = false;
    for (const std::string& n : exclude)
      excluded = excluded || n == id || Collections().count(n);
    if (!excluded) scope.push_back(id);
  }
  if (scope.empty()) {
    return Bad("include_dataset/exclude_dataset leave no dataset of '" + dataset +
               "' to screen against");
  }
  return scope;
}

}  // namespace

std::string NamespacedId(const std::string& list, const std::string& publisher_id) {
  return list + "-" + publisher_id;
}

std::vector<std::string> TopicsOf(const lists::Entity& e) {
  switch (e.effect) {
    case lists::ListEffect::kAssetFreeze:
    case lists::ListEffect::kBlocking:
      return {"sanction"};
    case lists::ListEffect::kDeniedParty:
    case lists::ListEffect::kLicenceRequirement:
      return {"export.control"};
    case lists::ListEffect::kOther:
      break;
  }
  return {};
}

json EntityResponse(const lists::Entity& e) {
  const bool person = e.schema == lists::Schema::kPerson;
  json props = json::object();
  AddValue(&props, "name", e.caption);
  for (const lists::EntityName& n : e.names) {
    if (n.full == e.caption) continue;
    AddValue(&props, n.strength == lists::NameStrength::kWeak ? "weakAlias" : "alias", n.full);
  }
  for (const std::string& d : e.birth_dates)
    AddValue(&props, person ? "birthDate" : "incorporationDate", d);
  for (const std::string& c : e.countries)
    AddValue(&props, person ? "nationality" : "country", Lower(c));
  for (const lists::Identifier& id : e.identifiers)
    AddValue(&props, IdentifierProperty(id.type), id.value);
  for (const std::string& p : e.programs)
    AddValue(&props, "program", p);
  for (const std::string& t : TopicsOf(e))
    AddValue(&props, "topics", t);
  AddValue(&props, "notes", e.remarks);
  if (auto cat = lists::Catalogue(); cat.ok()) {
    if (const lists::ListInfo* info = (*cat)->Find(e.list))
      AddValue(&props, "sourceUrl", info->url);
  }
  return {{"id", NamespacedId(e.list, e.id)},
          {"caption", e.caption},
          {"schema", lists::SchemaName(e.schema)},
          {"properties", props},
          {"datasets", {e.list}},
          {"referents", {e.id}},
          {"target", true},
          {"first_seen", nullptr},
          {"last_seen", nullptr},
          {"last_change", nullptr}};
}

Result<MatchAnswer> YenteApi::Match(const Call& c) const {
  const std::string dataset = c.matches.empty() ? "default" : c.matches[0];
  if (!c.body.is_object() || !c.body.contains("queries") || !c.body["queries"].is_object()) {
    return Bad("$.queries: expected an object of named entity examples");
  }
  const json& queries = c.body["queries"];
  if (queries.empty()) return Bad("No queries provided.");
  if (static_cast<int>(queries.size()) > max_batch_) {
    return Status::InvalidArgument(
               "Too many queries in one batch (limit: " + std::to_string(max_batch_) + ")")
        .WithCode("too_many_queries");
  }
  for (const char* key : {"weights", "config"}) {
    auto it = c.body.find(key);
    if (it != c.body.end() && !it->is_null() && !(it->is_object() && it->empty())) {
      return Bad(std::string("$.") + key + ": not supported by the " + kAlgorithmName +
                 " algorithm (GET /algorithms)");
    }
  }
  DU_ASSIGN_OR_RETURN(int limit, LimitParam(c));
  DU_ASSIGN_OR_RETURN(double threshold, NumberParam(c, "threshold", kYenteThreshold));
  // yente: cutoff defaults to the threshold and never exceeds it.
  DU_ASSIGN_OR_RETURN(double cutoff, NumberParam(c, "cutoff", threshold));
  cutoff = std::min(cutoff, threshold);
  DU_ASSIGN_OR_RETURN(std::string algorithm, OneParam(c, "algorithm"));
  if (!algorithm.empty() && algorithm != "best" && algorithm != kAlgorithmName) {
    return Bad("Invalid algorithm: " + algorithm + " (this server has " + kAlgorithmName +
               ", also named \"best\"; GET /algorithms)");
  }
  DU_ASSIGN_OR_RETURN(std::string changed_since, OneParam(c, "changed_since"));
  if (!changed_since.empty()) {
    return Bad("query parameter 'changed_since': not supported (the lists carry no change dates)");
  }
  const std::vector<std::string> exclude_schema = Params(c, "exclude_schema");
  const std::vector<std::string> topics = Params(c, "topics");
  const std::vector<std::string> exclude_ids = Params(c, "exclude_entity_ids");
  if (exclude_ids.size() > kYenteMaxExcludedIds) {
    return Bad("query parameter 'exclude_entity_ids': at most " +
               std::to_string(kYenteMaxExcludedIds) + " ids");
  }
  if (!screener_) return NotReady("screening");
  MatchAnswer answer;
  answer.list_versions = screener_->ListVersions();
  DU_ASSIGN_OR_RETURN(std::vector<std::string> scope,
                      DatasetScope(c, dataset, answer.list_versions));

  screening::ScreenOptions options;
  options.lists = scope;
  options.min_score = cutoff;
  // Every result at or above the cutoff, so that `total` counts them all;
  // the candidates are those of `limit` (yente's count, per list).
  options.limit = std::numeric_limits<size_t>::max();
  options.candidates =
      static_cast<size_t>(std::max(20, std::min(limit * 10, std::max(kYenteMaxMatches, limit))));
  options.accept = [&](const lists::Entity& e) {
    if (Contains(exclude_schema, lists::SchemaName(e.schema))) return false;
    if (Contains(exclude_ids, e.id) || Contains(exclude_ids, NamespacedId(e.list, e.id)))
      return false;
    if (!topics.empty()) {
      bool any = false;
      for (const std::string& t : TopicsOf(e))
        any = any || Contains(topics, t);
      if (!any) return false;
    }
    return true;
  };

  json responses = json::object();
  for (const auto& [key, ex] : queries.items()) {
    Result<screening::PartyQuery> q = QueryFromExample(ex, "$.queries." + key);
    if (!q.ok()) {
      responses[key] = ErrorEntry(ex, q.error());
      continue;
    }
    if (answer.subject.empty()) answer.subject = q->name;
    screening::ScreeningResult r = screener_->ScreenWith(*q, options);
    int total = 0;
    for (screening::ScreeningHit& h : r.matches) {
      h.match = h.score >= threshold;
      total += h.match;
    }
    if (r.matches.size() > static_cast<size_t>(limit)) r.matches.resize(limit);
    r.status = screening::ScreeningStatus::kClear;
    json results = json::array();
    for (const screening::ScreeningHit& h : r.matches) {
      results.push_back(MatchResult(screener_->FindEntity(h.list, h.entity_id), h, threshold));
      if (h.match) {
        r.status = screening::ScreeningStatus::kHit;
      } else if (r.status == screening::ScreeningStatus::kClear) {
        r.status = screening::ScreeningStatus::kPotentialMatch;
      }
    }
    responses[key] = {{"status", 200},
                      {"results", results},
                      {"total", {{"value", total}, {"relation", "eq"}}},
                      {"query", EchoExample(ex)}};
    answer.screened.emplace_back(q->name, std::move(r));
  }
  if (answer.subject.empty()) answer.subject = "no valid query";
  answer.body = {{"responses", responses},
                 {"matcher",
                  {{"name_match",
                    {{"description", "dualuse name matcher: aligned name parts, see explanations"},
                     {"coefficient", 1.0},
                     {"url", nullptr}}}}},
                 {"limit", limit}};
  return answer;
}

Result<Reply> YenteApi::Entity(const Call& c) const {
  if (!screener_) return NotReady("screening");
  const std::string id = c.matches.empty() ? "" : c.matches[0];
  const std::map<std::string, std::string> versions = screener_->ListVersions();
  const lists::Entity* found = nullptr;
  for (const auto& [list, version] : versions) {
    const std::string prefix = list + "-";
    if (id.size() > prefix.size() && id.compare(0, prefix.size(), prefix) == 0) {
      found = screener_->FindEntity(list, id.substr(prefix.size()));
      if (found) break;
    }
  }
  if (!found) {  // a publisher's id (the entity's referent), if one list has it
    std::vector<std::string> holders;
    for (const auto& [list, version] : versions) {
      if (const lists::Entity* e = screener_->FindEntity(list, id)) {
        found = e;
        holders.push_back(NamespacedId(list, id));
      }
    }
    if (holders.size() > 1) {
      std::string all;
      for (const std::string& h : holders)
        all += (all.empty() ? "" : ", ") + h;
      return Status::NotFound("'" + id + "' is a publisher's id on " +
                              std::to_string(holders.size()) + " lists; ask for one of " + all)
          .WithCode("entity_not_found");
    }
  }
  if (!found) return Status::NotFound("No such entity: '" + id + "'").WithCode("entity_not_found");
  Reply reply;
  reply.body = EntityResponse(*found);
  auto v = versions.find(found->list);
  if (v != versions.end()) reply.list_versions = {{v->first, v->second}};
  return reply;
}

Result<Reply> YenteApi::Catalog(const Call&) const {
  if (!screener_) return NotReady("screening");
  const std::map<std::string, std::string> versions = screener_->ListVersions();
  std::map<std::string, ListStatusEntry> status;
  if (lists_) {
    if (auto entries = lists_->Lists(); entries.ok()) {
      for (const ListStatusEntry& e : *entries)
        status[e.id] = e;
    }
  }
  const lists::ListCatalogue* catalogue = nullptr;
  if (auto cat = lists::Catalogue(); cat.ok()) catalogue = *cat;
  const Date today = Date::Today();
  json datasets = json::array(), current = json::array(), children = json::array();
  std::string newest;
  for (const auto& [id, version] : versions) {
    const lists::ListInfo* info = catalogue ? catalogue->Find(id) : nullptr;
    int stale_after = stale_after_days_;
    if (auto s = status.find(id); s != status.end()) stale_after = s->second.stale_after_days;
    if (info) stale_after = info->stale_after_days;
    json age = nullptr;
    bool stale = true;  // an undated list cannot be shown as fresh
    if (auto d = Date::Parse(version)) {
      long days = today.DaysSinceEpoch() - d->DaysSinceEpoch();
      age = days;
      stale = days > stale_after;
    }
    json publisher = nullptr;
    if (info) publisher = {{"name", info->publisher}, {"url", info->url}};
    // dualuse: what a listing means for an export from the Union
    // (data/lists-sources.json); null for a list not in the catalogue.
    json effect = nullptr, jurisdiction = nullptr;
    if (info) effect = lists::ListEffectName(info->effect), jurisdiction = info->jurisdiction;
    datasets.push_back({{"name", id},
                        {"title", info ? info->name : id},
                        {"summary", info ? json(info->basis) : json(nullptr)},
                        {"url", info ? json(info->url) : json(nullptr)},
                        {"version", version},
                        {"updated_at", version},
                        {"publisher", publisher},
                        {"children", json::array()},
                        {"load", true},
                        {"namespace", false},
                        {"index_version", version},
                        {"index_current", true},
                        {"entity_count", screener_->EntityCount(id)},
                        {"age_days", age},
                        {"stale", stale},
                        {"effect", effect},
                        {"jurisdiction", jurisdiction}});
    current.push_back(id);
    children.push_back(id);
    newest = std::max(newest, version);
  }
  for (const std::string& name : Collections()) {
    datasets.push_back({{"name", name},
                        {"title", "Every list loaded (" + name + ")"},
                        {"summary", nullptr},
                        {"url", nullptr},
                        {"version", newest},
                        {"updated_at", newest},
                        {"publisher", nullptr},
                        {"children", children},
                        {"load", false},
                        {"namespace", false},
                        {"index_version", newest},
                        {"index_current", true},
                        {"entity_count", nullptr},
                        {"age_days", nullptr},
                        {"stale", false}});
  }
  Reply reply;
  reply.body = {{"datasets", datasets},
                {"current", current},
                {"outdated", json::array()},
                {"index_stale", false}};
  reply.list_versions = versions;
  return reply;
}

Result<Reply> YenteApi::Algorithms(const Call&) const {
  const json features = {
      {"name_match",
       {{"description",
         "Name parts aligned after normalisation (transliteration, case and diacritics folded, "
         "legal forms canonicalised), with birth-date and country qualifiers; weak aliases capped "
         "below the match threshold"},
        {"coefficient", 1.0},
        {"url", nullptr}}}};
  json algorithm = {{"name", kAlgorithmName},
                    {"description", "dualuse's screening matcher (docs/screening.md)"},
                    {"features", features},
                    {"docs",
                     {{"name", kAlgorithmName},
                      {"description", "dualuse's screening matcher (docs/screening.md)"},
                      {"features", features},
                      {"config", json::object()}}}};
  Reply reply;
  reply.body = {{"algorithms", json::array({algorithm})},
                {"default", kAlgorithmName},
                {"best", kAlgorithmName}};
  return reply;
}

}  // namespace dualuse::server::internal
