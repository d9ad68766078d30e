#include "dualuse/store/recording.h"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace dualuse::store {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// Request party "type" (spec section 2) to the register's schema names.
std::string SchemaOf(const std::string& type) {
  if (type == "organization") return "Organization";
  if (type == "person") return "Person";
  if (type == "vessel") return "Vessel";
  return "LegalEntity";
}

}  // namespace

Result<std::optional<std::string>> LatestRecordOutputs(Store& store, const std::string& kind,
                                                       const std::string& subject) {
  RecordQuery q;
  q.kind = kind;
  q.subject = subject;
  q.newest_first = true;
  q.limit = 1;
  DU_ASSIGN_OR_RETURN(std::vector<Record> found, store.Records(q));
  if (found.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(found.front().outputs));
}

std::string DefaultActor() {
  if (const char* a = std::getenv("DUALUSE_ACTOR"); a && *a) return a;
  if (const char* u = std::getenv("USER"); u && *u) return std::string("cli:") + u;
  if (const char* l = getlogin(); l && *l) return std::string("cli:") + l;
  return "cli";
}

Result<AssessmentRecorded> RecordAssessment(Store& store, const std::string& request_json,
                                            const std::string& determination_json,
                                            const std::string& actor,
                                            const RecordingOptions& options) {
  Json req = Json::parse(request_json, nullptr, false);
  Json det = Json::parse(determination_json, nullptr, false);
  if (!req.is_object()) return Status::InvalidArgument("record: request: expected a JSON object");
  if (!det.is_object()) {
    return Status::InvalidArgument("record: determination: expected a JSON object");
  }
  // Register the parties.
  std::vector<CounterpartyInput> parties;
  if (auto it = req.find("parties"); it != req.end() && it->is_array()) {
    for (const Json& p : *it) {
      if (!p.is_object() || Str(p, "name").empty()) continue;
      CounterpartyInput c;
      c.name = Str(p, "name");
      c.country = Str(p, "country");
      c.schema = SchemaOf(Str(p, "type"));
      c.birth_date = Str(p, "birth_date");
      if (auto a = p.find("aliases"); a != p.end() && a->is_array()) {
        for (const Json& s : *a) {
          if (s.is_string()) c.aliases.push_back(s.get<std::string>());
        }
      }
      if (auto ids = p.find("identifiers"); ids != p.end() && ids->is_array()) {
        c.identifiers = ids->dump();
      }
      parties.push_back(std::move(c));
    }
  }
  AssessmentRecorded out;
  if (!parties.empty()) {
    DU_ASSIGN_OR_RETURN(std::vector<UpsertOutcome> ups, store.UpsertCounterparties(parties));
    for (const auto& u : ups)
      out.counterparty_ids.push_back(u.id);
  }

  RecordInput in;
  in.kind = kKindAssessment;
  in.actor = actor;
  in.subject = Str(req, "reference");
  in.inputs = request_json;
  in.outputs = determination_json;
  Json versions = Json::object();
  if (auto dv = det.find("data_versions"); dv != det.end() && dv->is_object()) {
    in.law_version = Str(*dv, "law");
    if (auto l = dv->find("lists"); l != dv->end() && l->is_object()) versions = *l;
  }
  in.list_versions = versions.dump();

  // Review items: potential matches and hits per party, red flags.
  std::vector<AlertInput> alerts;
  if (auto sc = det.find("screening"); sc != det.end() && sc->is_array()) {
    for (const Json& ps : *sc) {
      if (!ps.is_object()) continue;
      std::string status = Str(ps, "status");
      if (status != "potential_match" && status != "hit") continue;
      int party = ps.value("party", -1);
      int64_t cp = party >= 0 && static_cast<size_t>(party) < out.counterparty_ids.size()
                       ? out.counterparty_ids[static_cast<size_t>(party)]
                       : 0;
      auto m = ps.find("matches");
      if (m == ps.end() || !m->is_array()) continue;
      for (const Json& hit : *m) {
        if (!hit.is_object()) continue;
        AlertInput a;
        a.counterparty_id = cp;
        a.kind = hit.value("match", false) ? "hit" : "potential_match";
        a.list = Str(hit, "list");
        a.entity_id = Str(hit, "entity_id");
        a.list_version =
            hit.contains("list_version") ? Str(hit, "list_version") : Str(versions, a.list.c_str());
        a.entity_hash = options.entity_hash ? options.entity_hash(a.list, a.entity_id)
                                            : "version:" + a.list_version;
        a.entity_name = Str(hit, "name");
        a.matched_name = Str(hit, "matched_name");
        a.score = hit.value("score", 0.0);
        a.effect = Str(hit, "effect");
        a.jurisdiction = Str(hit, "jurisdiction");
        if (auto pr = hit.find("programs"); pr != hit.end() && pr->is_array()) {
          a.programs = pr->dump();
        }
        a.details =
            Json{{"source", "assessment"}, {"role", Str(ps, "role")}, {"party", party}}.dump();
        alerts.push_back(std::move(a));
      }
    }
  }
  if (auto f = det.find("findings"); f != det.end() && f->is_array()) {
    for (const Json& finding : *f) {
      if (!finding.is_object() || Str(finding, "effect") != "red_flag") continue;
      AlertInput a;
      a.kind = "red_flag";
      a.subject = (in.subject.empty() ? "" : in.subject + ": ") + Str(finding, "summary");
      a.details = finding.dump();
      alerts.push_back(std::move(a));
    }
  }
  // One transaction: the record and its review items.
  std::vector<RecordInput> inputs = {in};
  DU_ASSIGN_OR_RETURN(std::vector<Record> recs, store.AppendWithAlerts(inputs, {alerts}));
  out.record = recs.at(0);
  // AppendWithAlerts raises only what is not suppressed; count what is open now.
  DU_ASSIGN_OR_RETURN(std::vector<Alert> open, store.Alerts("open"));
  for (const auto& a : open)
    out.alerts_raised += a.record_id == out.record.id ? 1 : 0;
  return out;
}

Result<Record> RecordScreening(Store& store, const std::string& queries_json,
                               const std::string& results_json,
                               const std::map<std::string, std::string>& list_versions,
                               const std::string& actor) {
  RecordInput in;
  in.kind = kKindScreening;
  in.actor = actor;
  in.inputs = queries_json;
  in.outputs = results_json;
  in.list_versions = Json(list_versions).dump();
  return store.Append(in);
}

Result<std::vector<Record>> RecordListImports(Store& store,
                                              const std::vector<std::string>& version_jsons,
                                              const std::string& actor) {
  std::vector<RecordInput> inputs;
  for (const std::string& version_json : version_jsons) {
    Json v = Json::parse(version_json, nullptr, false);
    if (!v.is_object()) return Status::InvalidArgument("record: list version: expected an object");
    std::string version = Str(v, "version");
    if (version.empty()) version = Str(v, "date");
    RecordInput in;
    in.kind = kKindListImport;
    in.actor = actor;
    in.subject = Str(v, "list_id") + "@" + version;
    in.inputs = version_json;
    in.outputs = Json{{"imported", true}}.dump();
    in.list_versions = Json{{Str(v, "list_id"), version}}.dump();
    inputs.push_back(std::move(in));
  }
  return store.AppendBatch(inputs);
}

Result<Record> RecordListImport(Store& store, const std::string& version_json,
                                const std::string& actor) {
  Json v = Json::parse(version_json, nullptr, false);
  if (!v.is_object()) return Status::InvalidArgument("record: list version: expected an object");
  RecordInput in;
  in.kind = kKindListImport;
  in.actor = actor;
  in.subject = Str(v, "list_id") + "@" + Str(v, "date");
  in.inputs = version_json;
  in.outputs = Json{{"imported", true}}.dump();
  in.list_versions = Json{{Str(v, "list_id"), Str(v, "date")}}.dump();
  return store.Append(in);
}

}  // namespace dualuse::store
