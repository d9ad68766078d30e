#include "classify_routes.h"

#include <exception>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "dualuse/authority/criteria.h"
#include "dualuse/base/date.h"
#include "dualuse/base/resources.h"
#include "dualuse/classify/decision_tree.h"
#include "dualuse/classify/entry_info.h"
#include "dualuse/classify/search.h"
#include "dualuse/classify/tree_translation.h"
#include "dualuse/controllist/control_list.h"
#include "dualuse/messages/catalogue.h"
#include "handlers.h"
#include "request_limits.h"

namespace dualuse::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kKindClassification = "classification";

// Everything the routes read, loaded once (the search index is the costly part).
struct ClassifyData {
  std::shared_ptr<const controllist::ControlList> list;
  std::unique_ptr<classify::SearchIndex> index;
  std::vector<classify::DecisionTree> trees;
  classify::LawLists law;
  std::optional<classify::UsCcl> us;
  std::optional<classify::CnHints> cn;
  std::vector<std::string> notes;  // why US or CN data is missing
  std::shared_ptr<const authority::CriteriaCatalogue> criteria;
  Status criteria_status;
};

Result<std::unique_ptr<ClassifyData>> LoadData() {
  auto d = std::make_unique<ClassifyData>();
  DU_ASSIGN_OR_RETURN(d->list, controllist::ControlList::Load());
  DU_ASSIGN_OR_RETURN(d->index, classify::SearchIndex::Build(d->list));
  DU_ASSIGN_OR_RETURN(d->trees, classify::LoadDecisionTrees("", d->list.get()));
  d->law = classify::LoadLawLists("");
  if (auto us = classify::LoadUsCcl(ResourcePath("classify/us-ccl.json")); us.ok()) {
    d->us = std::move(us).value();
  } else {
    d->notes.push_back(us.error().message());
  }
  if (auto cn = classify::LoadCnHints(ResourcePath("classify/cn-hints.json"), d->list.get());
      cn.ok()) {
    d->cn = std::move(cn).value();
  } else {
    d->notes.push_back(cn.error().message());
  }
  if (auto c = authority::CriteriaCatalogue::Load(); c.ok()) {
    d->criteria = *c;
  } else {
    d->criteria_status = c.error();
  }
  return d;
}

class DataHolder {
 public:
  // The data, or kUnavailable with error code not_ready (retried on the next request).
  Result<const ClassifyData*> Get() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!data_) {
      auto loaded = LoadData();
      if (!loaded.ok()) {
        return Status::Unavailable("classification data: " + loaded.error().message())
            .WithCode("not_ready");
      }
      data_ = std::move(loaded).value();
    }
    return data_.get();
  }

 private:
  std::mutex mu_;
  std::unique_ptr<ClassifyData> data_;
};

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  res.status = status;
  res.set_content(Dump(internal::ErrorBody(code, message)), "application/json");
}

void SendStatus(httplib::Response& res, const Status& s) {
  internal::ApiError e = internal::ErrorFor(s);
  SendError(res, e.status, e.code, e.message);
}

json TreeSummary(const classify::DecisionTree& t) {
  return {{"id", t.id},
          {"title", t.title},
          {"version", t.version},
          {"covers", t.covers},
          {"results", t.Leaves().size()},
          {"verification", t.verification}};
}

json TreeToJson(const classify::DecisionTree& t) {
  json nodes = json::array();
  for (const auto& n : t.nodes) {
    json node = {{"id", n.id}, {"kind", n.kind}, {"text", n.text}, {"cites", n.cites}};
    if (!n.help.empty()) node["help"] = n.help;
    if (n.kind == "question") {
      json answers = json::array();
      for (const auto& a : n.answers)
        answers.push_back({{"value", a.value}, {"label", a.label}, {"next", a.next}});
      node["answers"] = answers;
    } else {
      node["outcome"] = n.outcome;
      node["entries"] = n.entries;
      node["refer_to"] = n.refer_to;
      node["cyber_surveillance"] = n.cyber_surveillance ? json(*n.cyber_surveillance) : json();
      node["rationale"] = n.rationale;
    }
    nodes.push_back(std::move(node));
  }
  return {{"id", t.id},
          {"title", t.title},
          {"version", t.version},
          {"law_version", t.law_version},
          {"covers", t.covers},
          {"sources", t.sources},
          {"verification", t.verification},
          {"sha256", t.sha256},
          {"start", t.start},
          {"nodes", nodes}};
}

// A stored record: the classification record and where the store keeps it.
json StoredRecord(const store::Record& r) {
  return {{"id", r.subject},
          {"record_id", r.id},
          {"recorded_at", r.recorded_at},
          {"actor", r.actor},
          {"record", json::parse(r.outputs, nullptr, false)}};
}

std::string QueryParam(const httplib::Request& req, const std::string& key) {
  return req.has_param(key) ? req.get_param_value(key) : "";
}

bool IsTreeId(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
             std::string::npos;
}

bool IsRecordId(const std::string& id) {
  return id.size() == 19 && id.rfind("CR-", 0) == 0 &&
         id.find_first_not_of("0123456789abcdef", 3) == std::string::npos;
}

struct Answer {
  int status = 200;
  json body;
  std::string kind = internal::kKindAccess;
  std::string subject;
  std::string outputs = "{}";
  std::string law_version;
};

using Action = std::function<Result<Answer>(const httplib::Request&, const Principal&)>;

}  // namespace

void RegisterClassifyRoutes(RouteTable* routes, store::Store* store,
                            ClassifyAuthenticate authenticate) {
  auto holder = std::make_shared<DataHolder>();
  // Every route appends its record synchronously (and some read records):
  // on the worker pool, not on an event-loop thread.
  // authenticate -> authorise -> run -> append the record -> answer.
  auto wrap = [store, authenticate](bool officer_or_admin, Action route) {
    return [store, authenticate, officer_or_admin, route](const httplib::Request& req,
                                                          httplib::Response& res) {
      std::optional<Principal> who = authenticate(req, res);
      if (!who) return;
      if (officer_or_admin && who->role != Role::kOfficer && who->role != Role::kAdmin) {
        return SendError(res, 403, "forbidden",
                         std::string("role '") + RoleName(who->role) + "' may not " + req.method +
                             " " + req.path);
      }
      Result<Answer> a = Status::Internal("not run");
      try {
        a = route(req, *who);
      } catch (const std::exception& e) {
        a = Status::Internal(e.what());
      }
      if (!a.ok()) return SendStatus(res, a.error());
      store::RecordInput rec;
      rec.kind = a->kind;
      rec.actor = who->name;
      rec.subject = a->subject;
      json inputs = {{"method", req.method},
                     {"path", req.target.empty() ? req.path : req.target},
                     {"role", RoleName(who->role)}};
      if (req.method == "POST") {
        Result<json> body = ParseBoundedJson(req.body, RequestLimits{}.max_json_depth);
        if (body.ok()) inputs["body"] = std::move(*body);
      }
      rec.inputs = Dump(inputs);
      rec.outputs = a->outputs;
      rec.law_version = a->law_version;
      Result<store::Record> stored = store->Append(rec);
      if (!stored.ok()) {
        return SendError(res, 503, "store_unavailable",
                         "the record could not be written: " + stored.error().message());
      }
      if (a->kind == kKindClassification) a->body["record_id"] = stored->id;
      res.set_header("X-Dualuse-Record", std::to_string(stored->id));
      res.status = a->status;
      res.set_content(Dump(a->body), "application/json");
    };
  };
  auto add = [routes, &wrap](const char* method, const std::string& pattern, bool officer_or_admin,
                             Action route) {
    routes->Add(method, pattern, officer_or_admin ? kRoleOfficerOrAdmin : kRoleAny,
                wrap(officer_or_admin, std::move(route)), HttpServer::Runs::kOnWorker);
  };
  auto get = [&add](const std::string& pattern, bool officer_or_admin, Action route) {
    add("GET", pattern, officer_or_admin, std::move(route));
  };
  auto post = [&add](const std::string& pattern, bool officer_or_admin, Action route) {
    add("POST", pattern, officer_or_admin, std::move(route));
  };

  get("/classify/search", false,
      [holder](const httplib::Request& req, const Principal&) -> Result<Answer> {
        DU_ASSIGN_OR_RETURN(const ClassifyData* d, holder->Get());
        std::string q = QueryParam(req, "q");
        int limit = 10;
        if (std::string l = QueryParam(req, "limit"); !l.empty()) {
          if (l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos ||
              std::stoi(l) < 1 || std::stoi(l) > 100) {
            return Status::InvalidArgument("limit: expected 1 to 100");
          }
          limit = std::stoi(l);
        }
        DU_ASSIGN_OR_RETURN(auto hits, d->index->Search(q, limit));
        Answer a;
        a.subject = q;
        a.body = json(classify::SearchAnswerToJson(q, d->list->version(), hits,
                                                   d->index->CyberSurveillanceHintFor(q)));
        return a;
      });

  get(R"(/classify/entries/([^/]+))", false,
      [holder](const httplib::Request& req, const Principal&) -> Result<Answer> {
        DU_ASSIGN_OR_RETURN(const ClassifyData* d, holder->Get());
        classify::DescribeOptions o;
        if (std::string as_of = QueryParam(req, "as_of"); !as_of.empty()) {
          auto date = Date::Parse(as_of);
          if (!date) return Status::InvalidArgument("as_of: expected YYYY-MM-DD");
          o.date = *date;
        }
        o.law = &d->law;
        if (d->us) o.us = &*d->us;
        if (d->cn) o.cn = &*d->cn;
        std::string code = req.matches[1];
        if (!code.empty() && code.back() == '.') code.pop_back();
        DU_ASSIGN_OR_RETURN(auto info, classify::DescribeEntry(*d->list, code, o));
        for (const auto& n : d->notes)
          info.notes_on_sources.push_back(n);
        Answer a;
        a.subject = code;
        a.body = json::parse(classify::EntryInfoToJson(info));
        return a;
      });

  get("/classify/trees", false,
      [holder](const httplib::Request& req, const Principal&) -> Result<Answer> {
        DU_ASSIGN_OR_RETURN(const ClassifyData* d, holder->Get());
        std::string lang =
            messages::LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
        json trees = json::array();
        for (const auto& t : d->trees) {
          DU_ASSIGN_OR_RETURN(classify::DecisionTree shown, classify::TranslateTree(t, lang));
          trees.push_back(TreeSummary(shown));
        }
        Answer a;
        a.body = {{"annex_version", d->list->version()}, {"trees", trees}};
        return a;
      });

  get(R"(/classify/trees/([^/]+))", false,
      [holder](const httplib::Request& req, const Principal&) -> Result<Answer> {
        DU_ASSIGN_OR_RETURN(const ClassifyData* d, holder->Get());
        std::string id = req.matches[1];
        if (!IsTreeId(id)) return Status::InvalidArgument("tree: expected a tree id");
        for (const auto& t : d->trees) {
          if (t.id == id) {
            // The questions in the reader's language where the tree has a
            // translation (classify/tree_translation.h); the logic, version
            // and SHA-256 are the tree's, and records keep its English texts.
            std::string lang =
                messages::LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
            DU_ASSIGN_OR_RETURN(classify::DecisionTree shown, classify::TranslateTree(t, lang));
            Answer a;
            a.subject = id;
            a.body = TreeToJson(shown);
            if (shown.title != t.title) a.body["lang"] = lang;
            return a;
          }
        }
        return Status::NotFound("no decision tree \"" + id + "\"");
      });

  post("/classify/records", true,
       [holder](const httplib::Request& req, const Principal& who) -> Result<Answer> {
         DU_ASSIGN_OR_RETURN(const ClassifyData* d, holder->Get());
         DU_ASSIGN_OR_RETURN(json body, ParseBoundedJson(req.body, RequestLimits{}.max_json_depth));
         if (!body.is_object()) {
           return Status::InvalidArgument("request body: $: expected a JSON object");
         }
         if (!body.contains("tree") || !body["tree"].is_string()) {
           return Status::InvalidArgument("request body: $.tree: expected a tree id");
         }
         std::string tree_id = body["tree"];
         const classify::DecisionTree* tree = classify::FindTree(d->trees, tree_id);
         if (!tree) {
           return Status::InvalidArgument("request body: $.tree: \"" + tree_id +
                                          "\" is not a decision tree");
         }
         classify::RecordContext ctx;
         ctx.who = who.name;  // the token's user, whatever the body says
         ctx.annex_version = d->list->version();
         DU_ASSIGN_OR_RETURN(auto rec,
                             classify::RunTreeWithAnswers(*tree, req.body, "request body", ctx));
         Answer a;
         a.status = 201;
         a.kind = kKindClassification;
         a.subject = rec.id;
         a.outputs = classify::RecordToJson(rec);
         a.law_version = tree->law_version;
         a.body = {{"id", rec.id}, {"record", json::parse(a.outputs)}};
         return a;
       });

  get(R"(/classify/records/([^/]+))", false,
      [store](const httplib::Request& req, const Principal&) -> Result<Answer> {
        store::RecordQuery q;
        q.kind = kKindClassification;
        q.subject = req.matches[1];
        if (!IsRecordId(q.subject)) {
          return Status::InvalidArgument("id: expected CR- and 16 hex digits");
        }
        q.limit = 1;
        DU_ASSIGN_OR_RETURN(auto found, store->Records(q));
        if (found.empty()) {
          return Status::NotFound("no classification record " + q.subject);
        }
        // Checks the id against the content, as `classify apply` does.
        DU_RETURN_IF_ERROR(classify::RecordFromJson(found.front().outputs, q.subject).status());
        Answer a;
        a.subject = q.subject;
        a.body = StoredRecord(found.front());
        return a;
      });

  get("/criteria", false, [holder](const httplib::Request&, const Principal&) -> Result<Answer> {
    DU_ASSIGN_OR_RETURN(const ClassifyData* d, holder->Get());
    if (!d->criteria)
      return Status::Unavailable(d->criteria_status.message()).WithCode("not_ready");
    json criteria = json::array();
    for (const auto& c : d->criteria->criteria()) {
      criteria.push_back(
          {{"id", c.id},
           {"group", c.group},
           {"title", c.title},
           {"text", c.text},
           {"on_clear_risk",
            c.on_clear_risk == authority::OnClearRisk::kDeny ? "deny" : "consider_denial"},
           {"source", c.source},
           {"verification", c.verification}});
    }
    Answer a;
    a.body = {{"criteria", criteria}};
    return a;
  });
}

}  // namespace dualuse::server
