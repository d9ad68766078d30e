#include "handlers.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "access_policy.h"
#include "dualuse/base/date.h"
#include "dualuse/lists/catalogue.h"
#include "dualuse/messages/catalogue.h"
#include "dualuse/messages/refusal.h"
#include "dualuse/rules/codec.h"
#include "dualuse/service/assess.h"
#include "dualuse/service/assessment_record.h"
#include "dualuse/service/replay.h"
#include "dualuse/service/screening_record.h"
#include "yente.h"

namespace dualuse::server::internal {
namespace {

using nlohmann::json;

constexpr size_t kMaxNameBytes = 1000;

Status Bad(const std::string& m) { return Status::InvalidArgument(m); }

std::string Param(const Call& c, const std::string& key, const std::string& fallback = "") {
  auto it = c.params.find(key);
  return it == c.params.end() ? fallback : it->second;
}

Result<double> NumberParam(const Call& c, const std::string& key, double fallback, double lo,
                           double hi) {
  std::string v = Param(c, key);
  if (v.empty()) return fallback;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(d >= lo && d <= hi)) {
    return Bad("query parameter '" + key + "': expected a number in [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "], got '" + v + "'");
  }
  return d;
}

// The numeric id of a path like /records/{id}; NotFound past int64.
Result<int64_t> PathId(const Call& c, const char* what) {
  const std::string& text = c.matches.at(0);
  errno = 0;
  long long v = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return Status::NotFound(std::string(what) + " " + text + " does not exist");
  return static_cast<int64_t>(v);
}

// Optional string member; 400 when present with another type.
Result<std::string> OptString(const json& j, const std::string& key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Bad(where + "." + key + ": expected a string");
  return it->get<std::string>();
}

Result<std::pair<std::string, screening::PartyQuery>> ParseParty(const json& j,
                                                                 const std::string& where) {
  if (!j.is_object()) return Bad(where + ": expected an object with a \"name\"");
  screening::PartyQuery q;
  DU_ASSIGN_OR_RETURN(q.name, OptString(j, "name", where));
  if (q.name.empty()) return Bad(where + ".name: expected a non-empty string");
  if (q.name.size() > kMaxNameBytes) return Bad(where + ".name: longer than 1000 bytes");
  DU_ASSIGN_OR_RETURN(std::string schema, OptString(j, "schema", where));
  if (!schema.empty() && !lists::ParseSchema(schema, &q.schema)) {
    return Bad(where + ".schema: \"" + schema +
               "\" is not one of Person, Organization, Company, LegalEntity, Vessel");
  }
  DU_ASSIGN_OR_RETURN(q.country, OptString(j, "country", where));
  DU_ASSIGN_OR_RETURN(q.birth_date, OptString(j, "birth_date", where));
  if (auto it = j.find("aliases"); it != j.end() && !it->is_null()) {
    if (it->is_string()) {
      std::string s = it->get<std::string>();
      size_t start = 0;
      while (start <= s.size()) {
        size_t end = s.find(';', start);
        if (end == std::string::npos) end = s.size();
        std::string a = s.substr(start, end - start);
        if (!a.empty()) q.aliases.push_back(a);
        start = end + 1;
      }
    } else if (it->is_array()) {
      for (const json& a : *it) {
        if (!a.is_string()) return Bad(where + ".aliases: expected strings");
        q.aliases.push_back(a.get<std::string>());
      }
    } else {
      return Bad(where + ".aliases: expected an array of strings or a ';'-separated string");
    }
  }
  std::string id;
  if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
    id = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return std::make_pair(id, q);
}

// Spec section 5's match object, plus the list version and effect.
json HitJson(const screening::ScreeningHit& h) {
  return {{"list", h.list},
          {"list_version", h.list_version},
          {"entity_id", h.entity_id},
          {"schema", lists::SchemaName(h.schema)},
          {"name", h.name},
          {"matched_name", h.matched_name},
          {"score", h.score},
          {"match", h.match},
          {"programs", h.programs},
          {"explanation", h.explanation},
          {"effect", lists::ListEffectName(h.effect)},
          {"jurisdiction", h.jurisdiction},
          {"source", h.source},
          // The publisher's listing date (null when the file does not give it).
          {"listed_on", h.listed_on.empty() ? json(nullptr) : json(h.listed_on)}};
}

json ParsedOrText(const std::string& text);

json RecordSummary(const store::Record& r) {
  json inputs = ParsedOrText(r.inputs);
  auto field = [&](const char* k) {
    return inputs.is_object() && inputs.contains(k) ? inputs[k] : json(nullptr);
  };
  return {{"id", r.id},
          {"recorded_at", r.recorded_at},
          {"actor", r.actor},
          {"role", field("role")},
          {"kind", r.kind},
          {"method", field("method")},
          {"path", field("path")},
          {"subject", r.subject},
          {"hash", r.hash}};
}

json AlertJson(const store::Alert& a) {
  return {{"id", a.id},
          {"created_at", a.created_at},
          {"subject", a.subject},
          {"kind", a.kind},
          {"state", a.state},
          {"record_id", a.record_id},
          {"list", a.list},
          {"list_version", a.list_version},
          {"entity_id", a.entity_id},
          {"entity_name", a.entity_name},
          {"matched_name", a.matched_name},
          {"score", a.score},
          {"effect", a.effect},
          {"jurisdiction", a.jurisdiction},
          {"programs", ParsedOrText(a.programs)},
          {"details", ParsedOrText(a.details)},
          {"decided_by", a.decided_by},
          {"decided_at", a.decided_at},
          {"reason", a.reason},
          {"decision_record", a.decision_record},
          {"also_listed", ParsedOrText(a.also_listed)}};
}

json ParsedOrText(const std::string& text) {
  if (text.empty()) return nullptr;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Rebuilds the call a record came from (its inputs: method, path, body).
Call CallFromRecord(const store::Record& r, const Principal& who) {
  json inputs = ParsedOrText(r.inputs);
  Call c;
  c.principal = who;
  c.method = inputs.is_object() ? inputs.value("method", "POST") : "POST";
  c.target = inputs.is_object() ? inputs.value("path", "") : "";
  c.body = inputs.is_object() && inputs.contains("body") ? inputs["body"] : json(nullptr);
  std::string path = c.target, query;
  if (size_t q = path.find('?'); q != std::string::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string kv = query.substr(start, end - start);
    size_t eq = kv.find('=');
    if (!kv.empty()) {
      c.params.emplace(UrlDecode(kv.substr(0, eq)),
                       eq == std::string::npos ? "" : UrlDecode(kv.substr(eq + 1)));
    }
    start = end + 1;
  }
  if (path.rfind("/match/", 0) == 0) c.matches.push_back(path.substr(7));
  return c;
}

}  // namespace

Status NotReady(const std::string& what) {
  return Status::Unavailable(what + " is not available in this server (not wired or not loaded)")
      .WithCode("not_ready");
}

json ErrorBody(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

ApiError ErrorFor(const Status& s) { return HttpErrorFor(s); }

// The access policy (access_policy.h) for one record: a record the caller
// may not read is answered as one that does not exist.
Status CheckReadable(store::Store& store, const Principal& who, const store::Record& r) {
  std::string organisation;
  if (!who.organisation.empty() && r.actor != who.name) {
    if (auto u = store.GetUserByName(r.actor); u.ok()) organisation = u->organisation;
  }
  if (MayRead(who, r, organisation)) return Status::Ok();
  return Status::NotFound("record " + std::to_string(r.id) + ": no such record");
}

Handlers::Handlers(Backends backends, const ServerOptions& options)
    : b_(backends), stale_after_days_(options.stale_after_days), max_batch_(options.max_batch) {}

json Handlers::Health() const {
  size_t lists = b_.screener ? b_.screener->ListVersions().size() : 0;
  return {{"status", "ok"},
          {"version", "0.1.0"},
          {"store", b_.store->Backend()},
          {"screener", b_.screener != nullptr},
          {"assessor", b_.assessor != nullptr},
          {"lists", lists}};
}

Result<Reply> Handlers::Me(const Call& c) const {
  Reply r;
  r.body = {{"name", c.principal.name}, {"role", RoleName(c.principal.role)}};
  return r;
}

Result<Reply> Handlers::Screen(const Call& c) const {
  if (!c.body.is_object()) return Bad("$: expected an object with \"name\" or \"parties\"");
  bool batch = c.body.contains("parties");
  std::vector<std::pair<std::string, screening::PartyQuery>> parties;
  if (batch) {
    const json& arr = c.body["parties"];
    if (!arr.is_array() || arr.empty()) return Bad("$.parties: expected a non-empty array");
    if (static_cast<int>(arr.size()) > max_batch_) {
      return Status::InvalidArgument("at most " + std::to_string(max_batch_) +
                                     " parties per request")
          .WithCode("too_many_queries");
    }
    for (size_t i = 0; i < arr.size(); ++i) {
      DU_ASSIGN_OR_RETURN(auto p, ParseParty(arr[i], "$.parties[" + std::to_string(i) + "]"));
      parties.push_back(std::move(p));
    }
  } else {
    DU_ASSIGN_OR_RETURN(auto p, ParseParty(c.body, "$"));
    parties.push_back(std::move(p));
  }
  if (!b_.screener) return NotReady("screening");
  std::vector<screening::ScreeningResult> found;
  found.reserve(parties.size());
  std::vector<service::ScreenedParty> screened;
  for (const auto& [id, q] : parties)
    found.push_back(b_.screener->Screen(q));
  for (size_t i = 0; i < parties.size(); ++i)
    screened.push_back({parties[i].second, &found[i]});
  // The review items, and what the queue already holds about each match: a
  // dismissal that still holds or a known false positive is shown with it.
  std::vector<store::AlertInput> items = service::ScreeningReviewItems(screened, b_.screener);
  std::vector<std::vector<std::optional<store::AlertStanding>>> prior(parties.size());
  if (!items.empty() && b_.store) {
    DU_ASSIGN_OR_RETURN(prior, service::PriorReviews(*b_.store, screened, items));
  }
  json results = json::array();
  for (size_t i = 0; i < parties.size(); ++i) {
    const screening::ScreeningResult& r = found[i];
    json matches = json::array();
    for (size_t m = 0; m < r.matches.size(); ++m) {
      json hit = HitJson(r.matches[m]);
      if (m < prior[i].size() && prior[i][m])
        hit["review"] = service::PriorReviewJson(*prior[i][m]);
      matches.push_back(std::move(hit));
    }
    results.push_back({{"id", parties[i].first},
                       {"query", parties[i].second.name},
                       {"status", screening::ScreeningStatusName(r.status)},
                       {"matches", matches}});
  }
  Reply reply;
  reply.kind = store::kKindScreening;
  reply.with_record_id = true;
  reply.subject = parties.front().second.name;
  reply.alerts = std::move(items);
  reply.list_versions = b_.screener->ListVersions();
  if (batch) {
    reply.body = {{"results", results}, {"list_versions", reply.list_versions}};
  } else {
    reply.body = results[0];
    reply.body["list_versions"] = reply.list_versions;
  }
  return reply;
}

// yente.h: every filter before the results are cut to `limit`; an invalid
// query answered with its own error. Review items for the matches returned.
Result<Reply> Handlers::Match(const Call& c) const {
  YenteApi yente(b_.screener, b_.lists, max_batch_, stale_after_days_);
  DU_ASSIGN_OR_RETURN(MatchAnswer m, yente.Match(c));
  Reply reply;
  reply.kind = kKindMatch;
  reply.subject = m.subject;
  std::vector<service::ScreenedParty> parties;
  parties.reserve(m.screened.size());
  for (const auto& [name, result] : m.screened) {
    screening::PartyQuery q;
    q.name = name;
    parties.push_back({std::move(q), &result});
  }
  reply.alerts = service::ScreeningReviewItems(parties, b_.screener);
  reply.list_versions = m.list_versions;
  reply.body = std::move(m.body);
  return reply;
}

Result<Reply> Handlers::Assess(const Call& c) const { return AssessRequest(c, true); }

// A refused request (kInvalidArgument) in the reader's language
// (messages/refusal.h); other errors unchanged.
static Status RefusedInLang(const Status& s, const std::string& lang, const std::string& name) {
  if (s.code() != StatusCode::kInvalidArgument) return s;
  auto cat = messages::Catalogue::Default();
  if (!cat.ok()) return s;
  return Status::InvalidArgument(messages::RefusalText(**cat, lang, s.message(), name));
}

// The assessment use case as `dualuse assess` runs it (service/assess.h); the
// parties are registered as counterparties (not on a replay) and the review
// items go into the record's transaction.
Result<Reply> Handlers::AssessRequest(const Call& c, bool register_parties) const {
  if (!c.body.is_object()) return Bad("$: expected a dualuse.assessment/1 object");
  if (!b_.assessor) return NotReady("the assessment engine");
  Result<service::PreparedAssessment> prepared_or =
      b_.assessor->Prepare(c.body, "request", b_.store);
  if (!prepared_or.ok()) return RefusedInLang(prepared_or.error(), c.lang, "request");
  service::PreparedAssessment prepared = std::move(*prepared_or);
  prepared.request.lang = c.lang;
  DU_ASSIGN_OR_RETURN(rules::Determination det, b_.assessor->Decide(prepared, b_.store));
  service::AssessmentRecordPlan plan =
      service::PlanAssessmentRecord(prepared.request, det, "", "", c.principal.name,
                                    service::ListedEntityHashes(b_.assessor->screener()));
  if (b_.assessor->screener()) {
    for (service::PlannedAlert& pa : plan.alerts) {
      if (!pa.alert.entity_id.empty()) {
        service::ListedEntityIdentity(*b_.assessor->screener(), &pa.alert);
      }
    }
  }
  Reply reply;
  reply.kind = store::kKindAssessment;
  reply.with_record_id = true;
  reply.subject = plan.record.subject;
  reply.law_version = plan.record.law_version;
  reply.list_versions = det.data_versions.lists;
  if (register_parties) {
    DU_ASSIGN_OR_RETURN(auto alerts, service::RegisterParties(*b_.store, {&plan}));
    reply.alerts = std::move(alerts.at(0));
  }
  reply.body = json::parse(rules::ToJsonString(det));
  return reply;
}

Result<Reply> Handlers::Lists(const Call&) const {
  std::vector<ListStatusEntry> entries;
  if (b_.lists) {
    DU_ASSIGN_OR_RETURN(entries, b_.lists->Lists());
  }
  if (entries.empty() && b_.screener) {  // lists given as files (--list), or no registry
    for (const auto& [id, version] : b_.screener->ListVersions()) {
      ListStatusEntry e;
      e.id = id;
      e.version = version;
      e.stale_after_days = stale_after_days_;
      entries.push_back(e);
    }
  } else if (entries.empty()) {
    return NotReady("list data");
  }
  Date today = Date::Today();
  json lists = json::array();
  for (const ListStatusEntry& e : entries) {
    json entry = {{"id", e.id},
                  {"name", e.name},
                  {"version", e.version},
                  {"imported_at", e.imported_at},
                  {"entity_count", e.entity_count >= 0 ? json(e.entity_count) : json(nullptr)},
                  {"stale_after_days", e.stale_after_days}};
    if (auto d = Date::Parse(e.version)) {
      long age = today.DaysSinceEpoch() - d->DaysSinceEpoch();
      entry["age_days"] = age;
      entry["stale"] = age > e.stale_after_days;
    } else {
      entry["age_days"] = nullptr;
      entry["stale"] = true;  // an undated list cannot be shown as fresh
    }
    lists.push_back(entry);
  }
  Reply r;
  r.body = {{"lists", lists}, {"today", today.ToString()}};
  return r;
}

Result<Reply> Handlers::Records(const Call& c) const {
  store::RecordQuery q;
  q.actor = Param(c, "actor");
  q.kind = Param(c, "kind");
  q.text = Param(c, "q");
  q.subject = Param(c, "subject");
  q.from = Param(c, "from");
  q.to = Param(c, "to");
  for (const std::string* d : {&q.from, &q.to}) {
    if (!d->empty() && !Date::Parse(*d))
      return Bad("query parameters from/to: expected YYYY-MM-DD");
  }
  DU_ASSIGN_OR_RETURN(double before, NumberParam(c, "before", 0, 0, 9e15));
  DU_ASSIGN_OR_RETURN(double limit, NumberParam(c, "limit", 50, 1, 500));
  q.before_id = static_cast<int64_t>(before);
  q.limit = static_cast<int64_t>(limit);
  q.newest_first = true;
  RestrictToReadable(c.principal, &q);
  DU_ASSIGN_OR_RETURN(auto rows, b_.store->Records(q));
  json out = json::array();
  for (const store::Record& r : rows)
    out.push_back(RecordSummary(r));
  Reply reply;
  reply.body = {{"records", out}};
  return reply;
}

Result<Reply> Handlers::RecordById(const Call& c) const {
  DU_ASSIGN_OR_RETURN(int64_t id, PathId(c, "record"));
  DU_ASSIGN_OR_RETURN(store::Record rec, b_.store->GetRecord(id));
  DU_RETURN_IF_ERROR(CheckReadable(*b_.store, c.principal, rec));
  json body = RecordSummary(rec);
  body["prev_hash"] = rec.prev_hash;
  body["law_version"] = rec.law_version;
  body["list_versions"] = ParsedOrText(rec.list_versions);
  body["inputs"] = ParsedOrText(rec.inputs);
  body["outputs"] = ParsedOrText(rec.outputs);
  Reply reply;
  reply.body = std::move(body);
  return reply;
}

Result<Reply> Handlers::Replay(const Call& c) const {
  DU_ASSIGN_OR_RETURN(int64_t id, PathId(c, "record"));
  DU_ASSIGN_OR_RETURN(store::Record rec, b_.store->GetRecord(id));
  DU_RETURN_IF_ERROR(CheckReadable(*b_.store, c.principal, rec));
  if (rec.kind == store::kKindAssessment) return ReplayAssessment(id);
  Call again = CallFromRecord(rec, c.principal);
  Result<Reply> replayed = Status::InvalidArgument(
      "record " + std::to_string(id) + " is a '" + rec.kind +
      "' record; only screening, match and assessment records made over HTTP can be replayed");
  bool http = again.target == "/screen" || again.target == "/assess" ||
              again.target.rfind("/match/", 0) == 0;
  if (http && rec.kind == store::kKindScreening) replayed = Screen(again);
  if (http && rec.kind == kKindMatch) replayed = Match(again);
  DU_RETURN_IF_ERROR(replayed.status());
  json original = ParsedOrText(rec.outputs);
  json now = replayed->body;
  // What the review queue held about a match ("review") is the queue's state
  // at the time, not the screening's answer: left out of the comparison.
  auto answer = [](json j) {
    auto strip = [](json& result) {
      if (!result.is_object() || !result.contains("matches")) return;
      for (json& m : result["matches"]) {
        if (m.is_object()) m.erase("review");
      }
    };
    strip(j);
    if (j.is_object() && j.contains("results") && j["results"].is_array()) {
      for (json& r : j["results"])
        strip(r);
    }
    return j;
  };
  Reply reply;
  reply.kind = kKindReplay;
  reply.subject = "replay of record " + std::to_string(id);
  reply.list_versions = replayed->list_versions;
  reply.law_version = replayed->law_version;
  reply.body = {{"record_id", id},
                {"kind", rec.kind},
                {"original", original},
                {"replay", now},
                {"same", answer(original) == answer(now)}};
  return reply;
}

// An assessment record, whichever door made it, is replayed by the use case
// `dualuse replay` runs (service/replay.h): the answer is its result, with
// the fields every replay answers (original, replay: the re-run with the
// recorded versions, same: it reproduces the record).
Result<Reply> Handlers::ReplayAssessment(int64_t id) const {
  service::ReplayOptions options;
  options.data_dir = b_.data_dir;
  DU_ASSIGN_OR_RETURN(service::ReplayResult r, service::Replay(*b_.store, id, options));
  json body = json::parse(r.ToJson(), nullptr, false);
  if (!body.is_object()) return Status::Internal("replay: the result is not a JSON object");
  body["record_id"] = id;
  body["kind"] = store::kKindAssessment;
  body["original"] = body["recorded"];
  body["replay"] = body["then"];
  body["same"] = r.reproduced;
  Reply reply;
  reply.kind = kKindReplay;
  reply.subject = "replay of record " + std::to_string(id);
  const json versions =
      body["then"].is_object() ? body["then"].value("data_versions", json()) : json();
  if (versions.is_object()) {
    reply.law_version = versions.value("law", "");
    if (versions.contains("lists") && versions["lists"].is_object()) {
      reply.list_versions = versions["lists"];
    }
  }
  reply.body = std::move(body);
  return reply;
}

Result<Reply> Handlers::Reviews(const Call& c) const {
  std::string state = Param(c, "state", "open");
  if (state == "all") state.clear();
  static const std::set<std::string> kStates = {"", "open", "confirmed", "dismissed",
                                                "pending_dismissal"};
  if (!kStates.count(state)) {
    return Bad(
        "query parameter 'state': expected open, pending_dismissal, confirmed, dismissed or all");
  }
  DU_ASSIGN_OR_RETURN(auto alerts, b_.store->Alerts(state));
  json out = json::array();
  std::map<int64_t, bool> readable;  // raising record -> may the caller read it
  for (auto it = alerts.rbegin(); it != alerts.rend(); ++it) {
    // An alert shows what its raising record holds: the same policy.
    if (c.principal.role != Role::kAdmin && c.principal.role != Role::kReviewer) {
      auto [at, fresh] = readable.emplace(it->record_id, false);
      if (fresh && it->record_id != 0) {
        auto rec = b_.store->GetRecord(it->record_id);
        at->second = rec.ok() && CheckReadable(*b_.store, c.principal, *rec).ok();
      }
      if (!at->second) continue;
    }
    out.push_back(AlertJson(*it));
  }
  Reply reply;
  reply.body = {{"items", out}};
  return reply;
}

Result<Reply> Handlers::Decide(const Call& c) const {
  DU_ASSIGN_OR_RETURN(int64_t id, PathId(c, "alert"));
  if (!c.body.is_object()) return Bad("$: expected {\"decision\": ..., \"reason\": ...}");
  DU_ASSIGN_OR_RETURN(std::string decision, OptString(c.body, "decision", "$"));
  DU_ASSIGN_OR_RETURN(std::string reason, OptString(c.body, "reason", "$"));
  if (decision != "confirmed" && decision != "dismissed") {
    return Bad("$.decision: expected \"confirmed\" or \"dismissed\"");
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Bad("$.reason: a reason is required for the audit trail");
  }
  store::RecordInput rec;
  rec.kind = store::kKindReviewDecision;
  rec.actor = c.principal.name;
  rec.subject = "alert " + std::to_string(id);
  rec.inputs = json{
      {"method", c.method},
      {"path", c.target},
      {"role", RoleName(c.principal.role)},
      {"body",
       c.body}}.dump(-1, ' ', false, json::error_handler_t::replace);
  rec.outputs = json{{"alert", id}, {"decision", decision}, {"reason", reason}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  DU_ASSIGN_OR_RETURN(store::Record written, b_.store->DecideAlert(id, decision == "confirmed",
                                                                   reason, c.principal.name, rec));
  DU_ASSIGN_OR_RETURN(store::Alert alert, b_.store->GetAlert(id));
  Reply reply;
  reply.kind = store::kKindReviewDecision;
  reply.record_id = written.id;
  reply.body = AlertJson(alert);
  return reply;
}

json GoodGuyJson(const store::GoodGuy& g) {
  return {{"id", g.id},
          {"counterparty", g.counterparty},
          {"counterparty_id", g.counterparty_id ? json(g.counterparty_id) : json(nullptr)},
          {"list", g.list},
          {"entity_id", g.entity_id},
          {"reason", g.reason},
          {"reviewer", g.reviewer},
          {"created_at", g.created_at},
          {"record_id", g.record_id},
          {"removed_by", g.removed_by},
          {"removed_at", g.removed_at},
          {"removed_record", g.removed_record}};
}

Result<Reply> Handlers::GoodGuys(const Call& c) const {
  std::string all = Param(c, "all", "false");
  if (all != "true" && all != "false") {
    return Bad("query parameter 'all': expected true or false");
  }
  DU_ASSIGN_OR_RETURN(auto entries, b_.store->GoodGuys(all == "true"));
  json out = json::array();
  for (const auto& g : entries)
    out.push_back(GoodGuyJson(g));
  Reply reply;
  reply.body = {{"good_guys", out}};
  return reply;
}

Result<Reply> Handlers::AddGoodGuy(const Call& c) const {
  if (!c.body.is_object()) {
    return Bad("$: expected {\"counterparty\", \"entity_id\", \"reason\"[, \"list\"]}");
  }
  store::GoodGuyInput in;
  DU_ASSIGN_OR_RETURN(in.counterparty, OptString(c.body, "counterparty", "$"));
  DU_ASSIGN_OR_RETURN(in.list, OptString(c.body, "list", "$"));
  DU_ASSIGN_OR_RETURN(in.entity_id, OptString(c.body, "entity_id", "$"));
  DU_ASSIGN_OR_RETURN(in.reason, OptString(c.body, "reason", "$"));
  for (const auto& [key, v] : c.body.items()) {
    if (key != "counterparty" && key != "list" && key != "entity_id" && key != "reason") {
      return Bad("$." + key + ": unknown member");
    }
  }
  DU_ASSIGN_OR_RETURN(store::GoodGuy g, b_.store->AddGoodGuy(in, c.principal.name));
  Reply reply;
  reply.status = 201;
  reply.kind = store::kKindGoodGuy;
  reply.record_id = g.record_id;
  reply.body = GoodGuyJson(g);
  return reply;
}

Result<Reply> Handlers::RemoveGoodGuy(const Call& c) const {
  DU_ASSIGN_OR_RETURN(int64_t id, PathId(c, "good guy"));
  if (!c.body.is_object()) return Bad("$: expected {\"reason\": ...}");
  DU_ASSIGN_OR_RETURN(std::string reason, OptString(c.body, "reason", "$"));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Bad("$.reason: a reason is required for the audit trail");
  }
  DU_ASSIGN_OR_RETURN(store::GoodGuy g, b_.store->RemoveGoodGuy(id, reason, c.principal.name));
  Reply reply;
  reply.kind = store::kKindGoodGuy;
  reply.record_id = g.removed_record;
  reply.body = GoodGuyJson(g);
  return reply;
}

Result<Reply> Handlers::Users(const Call&) const {
  DU_ASSIGN_OR_RETURN(auto users, b_.store->Users());
  json out = json::array();
  for (const auto& u : users) {
    out.push_back({{"name", u.name},
                   {"role", u.role},
                   {"created_at", u.created_at},
                   {"disabled", u.disabled}});
  }
  Reply reply;
  reply.body = {{"users", out}};
  return reply;
}

}  // namespace dualuse::server::internal
