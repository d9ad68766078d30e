#include "dualuse/service/replay.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "dualuse/lists/registry.h"
#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"
#include "dualuse/screening/engine.h"

namespace dualuse::service {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::set<std::string> FindingKeys(const Json& d) {
  std::set<std::string> out;
  if (auto f = d.find("findings"); f != d.end() && f->is_array()) {
    for (const Json& x : *f) {
      if (!x.is_object()) continue;
      out.insert(Str(x, "rule") + " " + Str(x, "effect") +
                 (Str(x, "item").empty() ? "" : " item " + Str(x, "item")) +
                 (Str(x, "party").empty() ? "" : " party " + Str(x, "party")));
    }
  }
  return out;
}

std::map<std::string, std::string> Authorisations(const Json& d) {
  std::map<std::string, std::string> out;
  if (auto a = d.find("authorisations"); a != d.end() && a->is_array()) {
    for (const Json& x : *a) {
      if (x.is_object())
        out[Str(x, "id")] = x.value("applicable", false) ? "applicable" : "not applicable";
    }
  }
  return out;
}

std::map<std::string, std::string> Screening(const Json& d) {
  std::map<std::string, std::string> out;
  if (auto a = d.find("screening"); a != d.end() && a->is_array()) {
    for (const Json& x : *a) {
      if (!x.is_object()) continue;
      std::string s = Str(x, "status");
      if (auto m = x.find("matches"); m != x.end() && m->is_array()) {
        std::set<std::string> ids;
        for (const Json& h : *m) {
          if (h.is_object()) ids.insert(Str(h, "list") + ":" + Str(h, "entity_id"));
        }
        for (const auto& id : ids)
          s += " " + id;
      }
      out["party " + Str(x, "party")] = s;
    }
  }
  return out;
}

template <typename M>
void DiffMaps(const char* what, const M& a, const M& b, std::vector<std::string>* out) {
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end()) {
      out->push_back(std::string(what) + " " + k + ": " + v + " -> (absent)");
    } else if (it->second != v) {
      out->push_back(std::string(what) + " " + k + ": " + v + " -> " + it->second);
    }
  }
  for (const auto& [k, v] : b) {
    if (!a.count(k)) out->push_back(std::string(what) + " " + k + ": (absent) -> " + v);
  }
}

}  // namespace

std::vector<std::string> DiffDeterminations(const std::string& a_json, const std::string& b_json) {
  Json a = Json::parse(a_json, nullptr, false);
  Json b = Json::parse(b_json, nullptr, false);
  std::vector<std::string> out;
  if (!a.is_object() || !b.is_object()) {
    out.push_back("determination: not comparable (not JSON objects)");
    return out;
  }
  for (const char* k : {"verdict", "regime", "licence_required", "review_required"}) {
    if (Str(a, k) != Str(b, k))
      out.push_back(std::string(k) + ": " + Str(a, k) + " -> " + Str(b, k));
  }
  std::set<std::string> fa = FindingKeys(a), fb = FindingKeys(b);
  for (const auto& f : fa) {
    if (!fb.count(f)) out.push_back("finding removed: " + f);
  }
  for (const auto& f : fb) {
    if (!fa.count(f)) out.push_back("finding added: " + f);
  }
  DiffMaps("authorisation", Authorisations(a), Authorisations(b), &out);
  DiffMaps("screening", Screening(a), Screening(b), &out);
  std::map<std::string, std::string> la, lb;
  auto lists = [](const Json& d, std::map<std::string, std::string>* m) {
    if (auto dv = d.find("data_versions"); dv != d.end() && dv->is_object()) {
      (*m)["law"] = Str(*dv, "law");
      if (auto l = dv->find("lists"); l != dv->end() && l->is_object()) {
        for (auto it = l->begin(); it != l->end(); ++it) {
          (*m)["list " + it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
        }
      }
    }
  };
  lists(a, &la);
  lists(b, &lb);
  DiffMaps("data version", la, lb, &out);
  return out;
}

Result<std::string> RecordedRequestText(const store::Record& rec, const std::string& name) {
  Json inputs = Json::parse(rec.inputs, nullptr, false);
  if (!inputs.is_object()) return Status::DataLoss(name + ": inputs: expected a JSON object");
  // The HTTP server records the call: {"method", "path", "role", "body"}.
  auto body = inputs.find("body");
  auto path = inputs.find("path");
  if (!inputs.contains("schema") && body != inputs.end() && path != inputs.end() &&
      path->is_string()) {
    if (!body->is_object()) {
      return Status::DataLoss(name + ": inputs.body: expected the assessment request");
    }
    return body->dump();
  }
  return rec.inputs;  // `dualuse assess` records the request itself
}

Result<ReplayResult> Replay(store::Store& store, int64_t record_id, const ReplayOptions& options) {
  DU_ASSIGN_OR_RETURN(store::Record rec, store.GetRecord(record_id));
  std::string name = "record " + std::to_string(record_id);
  if (rec.kind != store::kKindAssessment) {
    return Status::InvalidArgument(name + ": is a " + rec.kind + " record, not an assessment");
  }
  Json recorded = Json::parse(rec.outputs, nullptr, false);
  if (!recorded.is_object()) return Status::DataLoss(name + ": outputs: expected a determination");
  DU_ASSIGN_OR_RETURN(std::string request_text, RecordedRequestText(rec, name));
  DU_ASSIGN_OR_RETURN(rules::AssessmentRequest req, rules::ParseRequestText(request_text, name));
  // The texts in the language they were recorded in ("lang", absent for en).
  if (std::string lang = Str(recorded, "lang"); !lang.empty()) req.lang = lang;
  std::optional<Date> as_of = Date::Parse(Str(recorded, "as_of"));
  if (!as_of) return Status::DataLoss(name + ": outputs.as_of: expected YYYY-MM-DD");
  DU_ASSIGN_OR_RETURN(std::unique_ptr<rules::Engine> engine, rules::Engine::CreateDefault());

  ReplayResult r;
  r.record_id = record_id;
  r.as_of = as_of->ToString();
  r.recorded_json = recorded.dump();
  lists::ListRegistry reg(options.data_dir);

  // Then: the recorded list versions.
  std::vector<lists::ListVersion> then_lists;
  Json versions = Json::object();
  if (auto dv = recorded.find("data_versions"); dv != recorded.end() && dv->is_object()) {
    if (auto l = dv->find("lists"); l != dv->end() && l->is_object()) versions = *l;
    std::string law = Str(*dv, "law");
    if (!law.empty() && law != engine->law().version()) {
      r.notes.push_back("law data: recorded " + law + ", now " + engine->law().version() +
                        " (the bundled law data covers every regime by date)");
    }
  }
  for (auto it = versions.begin(); it != versions.end(); ++it) {
    std::string ref = it.key() + "@" + (it->is_string() ? it->get<std::string>() : it->dump());
    auto found = reg.Find(ref);
    if (!found.ok()) {
      r.notes.push_back("list " + ref + " is not in the list registry of " + options.data_dir +
                        ": replayed without it");
      continue;
    }
    DU_ASSIGN_OR_RETURN(lists::ListVersion v, reg.Load(*found));
    then_lists.push_back(std::move(v));
  }
  std::unique_ptr<screening::ListScreener> then_screener;
  if (!then_lists.empty()) {
    DU_ASSIGN_OR_RETURN(then_screener, screening::ListScreener::Build(std::move(then_lists)));
  }
  DU_ASSIGN_OR_RETURN(rules::Determination then, engine->Assess(req, *as_of, then_screener.get()));
  r.then_json = rules::ToJsonString(then);

  // Today: today's law and lists.
  Date today = options.today.value_or(Date::Today());
  DU_ASSIGN_OR_RETURN(std::vector<lists::ListVersion> now_lists, reg.LoadAllCurrent(today));
  std::unique_ptr<screening::ListScreener> now_screener;
  if (!now_lists.empty()) {
    DU_ASSIGN_OR_RETURN(now_screener, screening::ListScreener::Build(std::move(now_lists)));
  }
  DU_ASSIGN_OR_RETURN(rules::Determination now, engine->Assess(req, today, now_screener.get()));
  r.today_json = rules::ToJsonString(now);

  r.differences_from_record = DiffDeterminations(r.recorded_json, r.then_json);
  r.reproduced = r.differences_from_record.empty();
  r.differences_today = DiffDeterminations(r.then_json, r.today_json);
  return r;
}

std::string ReplayResult::ToJson() const {
  Json j = Json::object();
  j["record"] = record_id;
  j["as_of"] = as_of;
  j["reproduced"] = reproduced;
  j["differences_from_record"] = differences_from_record;
  j["differences_today"] = differences_today;
  j["notes"] = notes;
  j["recorded"] = Json::parse(recorded_json, nullptr, false);
  j["then"] = Json::parse(then_json, nullptr, false);
  j["today"] = Json::parse(today_json, nullptr, false);
  return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string ReplayResult::ToText() const {
  Json then = Json::parse(then_json, nullptr, false);
  Json today = Json::parse(today_json, nullptr, false);
  std::string s = "record " + std::to_string(record_id) + " (assessment as of " + as_of + ")\n";
  s += "replayed with the recorded versions: verdict " + Str(then, "verdict") +
       (reproduced ? " (same as recorded)\n" : " (differs from the record)\n");
  for (const auto& d : differences_from_record)
    s += "  recorded -> replayed: " + d + "\n";
  s += "under the law and lists in force today (" + Str(today, "as_of") + "): verdict " +
       Str(today, "verdict") + "\n";
  if (differences_today.empty()) s += "  no differences\n";
  for (const auto& d : differences_today)
    s += "  then -> today: " + d + "\n";
  for (const auto& n : notes)
    s += "note: " + n + "\n";
  return s;
}

}  // namespace dualuse::service
