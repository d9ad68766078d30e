#include "dualuse/service/recording.h"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace dualuse::service {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<std::optional<std::string>> LatestRecordOutputs(store::Store& store, const std::string& kind,
                                                       const std::string& subject) {
  store::RecordQuery q;
  q.kind = kind;
  q.subject = subject;
  q.newest_first = true;
  q.limit = 1;
  DU_ASSIGN_OR_RETURN(std::vector<store::Record> found, store.Records(q));
  if (found.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(found.front().outputs));
}

std::string DefaultActor() {
  if (const char* a = std::getenv("DUALUSE_ACTOR"); a && *a) return a;
  if (const char* u = std::getenv("USER"); u && *u) return std::string("cli:") + u;
  if (const char* l = getlogin(); l && *l) return std::string("cli:") + l;
  return "cli";
}

Result<store::Record> RecordScreening(store::Store& store, const std::string& queries_json,
                                      const std::string& results_json,
                                      const std::map<std::string, std::string>& list_versions,
                                      const std::string& actor,
                                      const std::vector<store::AlertInput>& review_items) {
  store::RecordInput in;
  in.kind = store::kKindScreening;
  in.actor = actor;
  in.inputs = queries_json;
  in.outputs = results_json;
  in.list_versions = Json(list_versions).dump();
  DU_ASSIGN_OR_RETURN(std::vector<store::Record> written,
                      store.AppendWithAlerts({in}, {review_items}));
  return std::move(written.at(0));
}

Result<store::Record> RecordListImport(store::Store& store, const std::string& version_json,
                                       const std::string& actor) {
  Json v = Json::parse(version_json, nullptr, false);
  if (!v.is_object()) return Status::InvalidArgument("record: list version: expected an object");
  store::RecordInput in;
  in.kind = store::kKindListImport;
  in.actor = actor;
  in.subject = Str(v, "list_id") + "@" + Str(v, "date");
  in.inputs = version_json;
  in.outputs = Json{{"imported", true}}.dump();
  in.list_versions = Json{{Str(v, "list_id"), Str(v, "date")}}.dump();
  return store.Append(in);
}

Result<std::vector<store::Record>> RecordListImports(store::Store& store,
                                                     const std::vector<std::string>& version_jsons,
                                                     const std::string& actor) {
  std::vector<store::RecordInput> inputs;
  for (const std::string& version_json : version_jsons) {
    Json v = Json::parse(version_json, nullptr, false);
    if (!v.is_object()) return Status::InvalidArgument("record: list version: expected an object");
    std::string version = Str(v, "version");
    if (version.empty()) version = Str(v, "date");
    store::RecordInput in;
    in.kind = store::kKindListImport;
    in.actor = actor;
    in.subject = Str(v, "list_id") + "@" + version;
    in.inputs = version_json;
    in.outputs = Json{{"imported", true}}.dump();
    in.list_versions = Json{{Str(v, "list_id"), version}}.dump();
    inputs.push_back(std::move(in));
  }
  return store.AppendBatch(inputs);
}

}  // namespace dualuse::service
