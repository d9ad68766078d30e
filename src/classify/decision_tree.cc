#include "dualuse/classify/decision_tree.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include "classify/json_reader.h"
#include "dualuse/base/clock.h"
#include "dualuse/base/resources.h"
#include "dualuse/base/sha256.h"

namespace dualuse::classify {

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

const std::vector<std::string> kOutcomes = {
    "listed", "not_listed", "refer", "cyber_surveillance_item", "not_cyber_surveillance_item"};

// Codes in `cites` may also be articles ("Art 2(20)") or tree ids; only strings
// shaped like Annex I codes are checked against the list.
bool LooksLikeCode(const std::string& s) {
  return s.size() >= 5 && s[0] >= '0' && s[0] <= '9' && s[1] >= 'A' && s[1] <= 'E';
}

bool ValidTimestamp(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (s.size() != 20 || s[10] != 'T' || s[19] != 'Z') return false;
  if (!Date::Parse(s.substr(0, 10))) return false;
  for (int i : {11, 12, 14, 15, 17, 18}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return s[13] == ':' && s[16] == ':' && s.substr(11, 2) < "24" && s.substr(14, 2) < "60" &&
         s.substr(17, 2) < "61";
}

ojson RecordJson(const ClassificationRecord& r, bool with_id) {
  ojson j;
  j["schema"] = "dualuse.classification/1";
  if (with_id) j["id"] = r.id;
  j["tree"] = {{"id", r.tree},
               {"title", r.tree_title},
               {"version", r.tree_version},
               {"sha256", r.tree_sha256},
               {"covers", r.tree_covers},
               {"law_version", r.law_version}};
  j["annex_version"] = r.annex_version;
  j["item"] = {{"id", r.item_id}, {"description", r.item_description}};
  j["result"] = r.result_node;
  j["outcome"] = r.outcome;
  j["entries"] = r.entries;
  if (r.cyber_surveillance) {
    j["cyber_surveillance"] = *r.cyber_surveillance;
  } else {
    j["cyber_surveillance"] = nullptr;
  }
  j["refer_to"] = r.refer_to;
  j["rationale"] = r.rationale;
  ojson answers = ojson::array();
  for (const auto& a : r.answers) {
    answers.push_back({{"question_id", a.question_id},
                       {"question", a.question},
                       {"answer", a.value},
                       {"label", a.label}});
  }
  j["answers"] = answers;
  j["who"] = r.who;
  j["when"] = r.when;
  return j;
}

std::string RecordId(const ClassificationRecord& r) {
  return "CR-" + Sha256Hex(RecordJson(r, false).dump()).substr(0, 16);
}

}  // namespace

const TreeNode* DecisionTree::Find(std::string_view id) const {
  auto it = index.find(std::string(id));
  return it == index.end() ? nullptr : &nodes[it->second];
}

std::vector<std::string> DecisionTree::Leaves() const {
  std::vector<std::string> out;
  for (const auto& n : nodes) {
    if (n.kind == "result") out.push_back(n.id);
  }
  return out;
}

std::vector<std::vector<std::pair<std::string, std::string>>> DecisionTree::PathsTo(
    std::string_view leaf) const {
  std::vector<std::vector<std::pair<std::string, std::string>>> out;
  std::vector<std::pair<std::string, std::string>> path;
  // The graph is acyclic (checked at parse time), so plain DFS terminates.
  std::function<void(const TreeNode&)> walk = [&](const TreeNode& n) {
    if (n.id == leaf) {
      out.push_back(path);
      return;
    }
    for (const auto& a : n.answers) {
      const TreeNode* next = Find(a.next);
      if (!next) continue;
      path.emplace_back(n.id, a.value);
      walk(*next);
      path.pop_back();
    }
  };
  if (const TreeNode* s = Find(start)) walk(*s);
  return out;
}

Result<DecisionTree> ParseDecisionTree(std::string_view text, const std::string& name,
                                       const controllist::ControlList* list) {
  JsonReader r(name, StatusCode::kDataLoss);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(text));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != "dualuse.decision-tree/1") {
    return r.Fail("$.schema", "expected \"dualuse.decision-tree/1\"");
  }
  DecisionTree t;
  t.sha256 = Sha256Hex(text);
  DU_ASSIGN_OR_RETURN(t.id, r.Str(doc, "$", "id", true));
  DU_ASSIGN_OR_RETURN(t.title, r.Str(doc, "$", "title", true));
  DU_ASSIGN_OR_RETURN(t.version, r.Str(doc, "$", "version", true));
  DU_ASSIGN_OR_RETURN(t.law_version, r.Str(doc, "$", "law_version", true));
  DU_ASSIGN_OR_RETURN(t.covers, r.StrArray(doc, "$", "covers", false));
  DU_ASSIGN_OR_RETURN(t.sources, r.StrArray(doc, "$", "sources", true));
  if (t.sources.empty()) return r.Fail("$.sources", "expected at least one source");
  DU_ASSIGN_OR_RETURN(t.verification, r.Enum(doc, "$", "verification", {"V", "S", "K"}, true));
  DU_ASSIGN_OR_RETURN(t.start, r.Str(doc, "$", "start", true));
  DU_ASSIGN_OR_RETURN(const json* nodes, r.Array(doc, "$", "nodes", true));
  if (nodes->empty()) return r.Fail("$.nodes", "expected at least one node");

  auto check_code = [&](const std::string& code, const std::string& place) -> Status {
    if (!LooksLikeCode(code)) return Status::Ok();
    if (!controllist::IsAnnexICodeSyntax(code)) {
      return r.Fail(place, "\"" + code + "\" is not an Annex I code (expected e.g. 5A001.j)");
    }
    if (list && !list->Find(code)) {
      return r.Fail(place, code + " is not an entry of the loaded Annex I");
    }
    return Status::Ok();
  };
  for (size_t i = 0; i < t.covers.size(); ++i) {
    DU_RETURN_IF_ERROR(check_code(t.covers[i], "$.covers[" + std::to_string(i) + "]"));
  }

  for (size_t i = 0; i < nodes->size(); ++i) {
    const json& j = (*nodes)[i];
    std::string place = "$.nodes[" + std::to_string(i) + "]";
    if (!j.is_object()) return r.Fail(place, "expected an object");
    TreeNode n;
    DU_ASSIGN_OR_RETURN(n.id, r.Str(j, place, "id", true));
    if (t.index.count(n.id)) return r.Fail(place + ".id", "\"" + n.id + "\" is used twice");
    DU_ASSIGN_OR_RETURN(n.kind, r.Enum(j, place, "kind", {"question", "result"}, true));
    DU_ASSIGN_OR_RETURN(n.text, r.Str(j, place, "text", true));
    DU_ASSIGN_OR_RETURN(n.help, r.Str(j, place, "help", false));
    DU_ASSIGN_OR_RETURN(n.cites, r.StrArray(j, place, "cites", false));
    for (size_t k = 0; k < n.cites.size(); ++k) {
      DU_RETURN_IF_ERROR(check_code(n.cites[k], place + ".cites[" + std::to_string(k) + "]"));
    }
    if (n.kind == "question") {
      DU_ASSIGN_OR_RETURN(const json* answers, r.Array(j, place, "answers", true));
      if (answers->size() < 2) return r.Fail(place + ".answers", "expected at least two answers");
      std::set<std::string> values;
      for (size_t k = 0; k < answers->size(); ++k) {
        const json& a = (*answers)[k];
        std::string ap = place + ".answers[" + std::to_string(k) + "]";
        if (!a.is_object()) return r.Fail(ap, "expected an object");
        TreeAnswer ans;
        DU_ASSIGN_OR_RETURN(ans.value, r.Str(a, ap, "value", true));
        DU_ASSIGN_OR_RETURN(ans.label, r.Str(a, ap, "label", false));
        if (ans.label.empty()) ans.label = ans.value;
        DU_ASSIGN_OR_RETURN(ans.next, r.Str(a, ap, "next", true));
        if (!values.insert(ans.value).second) {
          return r.Fail(ap + ".value", "\"" + ans.value + "\" is used twice in this question");
        }
        n.answers.push_back(std::move(ans));
      }
    } else {
      DU_ASSIGN_OR_RETURN(n.outcome, r.Enum(j, place, "outcome", kOutcomes, true));
      DU_ASSIGN_OR_RETURN(n.entries, r.StrArray(j, place, "entries", false));
      for (size_t k = 0; k < n.entries.size(); ++k) {
        std::string ep = place + ".entries[" + std::to_string(k) + "]";
        if (!controllist::IsAnnexICodeSyntax(n.entries[k])) {
          return r.Fail(ep, "\"" + n.entries[k] + "\" is not an Annex I code");
        }
        DU_RETURN_IF_ERROR(check_code(n.entries[k], ep));
      }
      if (n.outcome == "listed" && n.entries.empty()) {
        return r.Fail(place + ".entries", "a \"listed\" result needs at least one entry");
      }
      if (n.outcome != "listed" && !n.entries.empty()) {
        return r.Fail(place + ".entries", "only a \"listed\" result names entries");
      }
      DU_ASSIGN_OR_RETURN(n.cyber_surveillance, r.Bool(j, place, "cyber_surveillance", false));
      if (n.outcome == "cyber_surveillance_item" && n.cyber_surveillance != true) {
        return r.Fail(place + ".cyber_surveillance", "expected true for this outcome");
      }
      if (n.outcome == "not_cyber_surveillance_item" && n.cyber_surveillance != false) {
        return r.Fail(place + ".cyber_surveillance", "expected false for this outcome");
      }
      DU_ASSIGN_OR_RETURN(n.refer_to, r.StrArray(j, place, "refer_to", false));
      if (n.outcome == "refer" && n.refer_to.empty()) {
        return r.Fail(place + ".refer_to", "a \"refer\" result needs refer_to");
      }
      for (size_t k = 0; k < n.refer_to.size(); ++k) {
        DU_RETURN_IF_ERROR(
            check_code(n.refer_to[k], place + ".refer_to[" + std::to_string(k) + "]"));
      }
      DU_ASSIGN_OR_RETURN(n.rationale, r.Str(j, place, "rationale", true));
      if (j.contains("answers")) return r.Fail(place + ".answers", "a result has no answers");
    }
    t.index.emplace(n.id, t.nodes.size());
    t.nodes.push_back(std::move(n));
  }
  if (!t.Find(t.start)) return r.Fail("$.start", "\"" + t.start + "\" is not a node id");
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    for (size_t k = 0; k < t.nodes[i].answers.size(); ++k) {
      if (!t.Find(t.nodes[i].answers[k].next)) {
        return r.Fail("$.nodes[" + std::to_string(i) + "].answers[" + std::to_string(k) + "].next",
                      "\"" + t.nodes[i].answers[k].next + "\" is not a node id");
      }
    }
  }
  // Acyclic and fully reachable: iterative DFS with colours.
  std::vector<int> colour(t.nodes.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::pair<size_t, size_t>> stack = {{t.index[t.start], 0}};
  colour[stack.back().first] = 1;
  while (!stack.empty()) {
    auto& [node, next_answer] = stack.back();
    const TreeNode& n = t.nodes[node];
    if (next_answer == n.answers.size()) {
      colour[node] = 2;
      stack.pop_back();
      continue;
    }
    size_t child = t.index[n.answers[next_answer++].next];
    if (colour[child] == 1) {
      return r.Fail("$.nodes[" + std::to_string(node) + "]",
                    "answers lead back to \"" + t.nodes[child].id + "\" (expected no cycles)");
    }
    if (colour[child] == 0) {
      colour[child] = 1;
      stack.emplace_back(child, 0);
    }
  }
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    if (colour[i] == 0) {
      return r.Fail("$.nodes[" + std::to_string(i) + "]",
                    "\"" + t.nodes[i].id + "\" cannot be reached from the start");
    }
  }
  return t;
}

Result<DecisionTree> LoadDecisionTree(const std::string& path,
                                      const controllist::ControlList* list) {
  DU_ASSIGN_OR_RETURN(std::string text, ReadFileText(path, StatusCode::kNotFound));
  return ParseDecisionTree(text, path, list);
}

Result<std::vector<DecisionTree>> LoadDecisionTrees(const std::string& dir_in,
                                                    const controllist::ControlList* list) {
  namespace fs = std::filesystem;
  std::string dir = dir_in.empty() ? ResourcePath("classify/decision-trees") : dir_in;
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path().string());
  }
  if (ec) return Status::DataLoss(dir + ": cannot be listed: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<DecisionTree> trees;
  std::set<std::string> ids;
  for (const auto& f : files) {
    DU_ASSIGN_OR_RETURN(DecisionTree t, LoadDecisionTree(f, list));
    if (!ids.insert(t.id).second) {
      return Status::DataLoss(f + ": $.id: tree id \"" + t.id + "\" is used by another file");
    }
    trees.push_back(std::move(t));
  }
  if (trees.empty()) return Status::DataLoss(dir + ": no decision trees (*.json)");
  return trees;
}

const DecisionTree* FindTree(const std::vector<DecisionTree>& trees, std::string_view name) {
  for (const auto& t : trees) {
    if (t.id == name) return &t;
  }
  std::string code(name);
  while (!code.empty()) {
    for (const auto& t : trees) {
      if (std::find(t.covers.begin(), t.covers.end(), code) != t.covers.end()) return &t;
    }
    size_t dot = code.rfind('.');
    if (dot == std::string::npos) break;
    code.resize(dot);
  }
  return nullptr;
}

Result<ClassificationRecord> RunTree(const DecisionTree& tree, const AskFn& ask,
                                     const RecordContext& ctx) {
  ClassificationRecord rec;
  rec.tree = tree.id;
  rec.tree_title = tree.title;
  rec.tree_version = tree.version;
  rec.tree_sha256 = tree.sha256;
  rec.tree_covers = tree.covers;
  rec.law_version = tree.law_version;
  rec.annex_version = ctx.annex_version;
  rec.item_id = ctx.item_id;
  rec.item_description = ctx.item_description;
  rec.who = ctx.who;
  rec.when = ctx.when.empty() ? Clock::NowUtc() : ctx.when;
  if (!ValidTimestamp(rec.when)) {
    return Status::InvalidArgument("when: \"" + rec.when +
                                   "\" is not a UTC timestamp (expected YYYY-MM-DDTHH:MM:SSZ)");
  }
  const TreeNode* n = tree.Find(tree.start);
  // Acyclic: at most nodes.size() steps.
  for (size_t steps = 0; n && n->kind == "question" && steps <= tree.nodes.size(); ++steps) {
    DU_ASSIGN_OR_RETURN(std::string value, ask(*n));
    const TreeAnswer* chosen = nullptr;
    for (const auto& a : n->answers) {
      if (a.value == value) chosen = &a;
    }
    if (!chosen) {
      std::vector<std::string> values;
      for (const auto& a : n->answers)
        values.push_back(a.value);
      return Status::InvalidArgument(n->id + ": \"" + value + "\" is not an answer (expected " +
                                     JoinAlternatives(values) + ")");
    }
    rec.answers.push_back({n->id, n->text, chosen->value, chosen->label});
    rec.rationale.push_back(n->text + " -> " + chosen->label);
    n = tree.Find(chosen->next);
  }
  if (!n || n->kind != "result") return Status::Internal("decision tree " + tree.id + " is broken");
  rec.result_node = n->id;
  rec.outcome = n->outcome;
  rec.entries = n->entries;
  rec.cyber_surveillance = n->cyber_surveillance;
  rec.refer_to = n->refer_to;
  rec.rationale.push_back(n->text + ": " + n->rationale);
  rec.id = RecordId(rec);
  return rec;
}

Result<ClassificationRecord> RunTreeWithAnswers(const DecisionTree& tree,
                                                std::string_view answers_json,
                                                const std::string& name, RecordContext ctx) {
  JsonReader r(name, StatusCode::kInvalidArgument);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(answers_json));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", false));
  if (!schema.empty() && schema != "dualuse.classify-answers/1") {
    return r.Fail("$.schema", "expected \"dualuse.classify-answers/1\"");
  }
  DU_ASSIGN_OR_RETURN(std::string tree_id, r.Str(doc, "$", "tree", false));
  if (!tree_id.empty() && tree_id != tree.id) {
    return r.Fail("$.tree", "answers are for tree \"" + tree_id + "\", not \"" + tree.id + "\"");
  }
  DU_ASSIGN_OR_RETURN(const json* answers, r.Object(doc, "$", "answers", true));
  for (auto it = answers->begin(); it != answers->end(); ++it) {
    if (!it->is_string()) return r.Fail("$.answers." + it.key(), "expected a string");
    if (!tree.Find(it.key())) {
      return r.Fail("$.answers." + it.key(), "not a question of tree " + tree.id);
    }
  }
  DU_ASSIGN_OR_RETURN(std::string who, r.Str(doc, "$", "who", false));
  if (ctx.who.empty()) ctx.who = who;
  DU_ASSIGN_OR_RETURN(std::string when, r.Str(doc, "$", "when", false));
  if (ctx.when.empty()) ctx.when = when;
  DU_ASSIGN_OR_RETURN(const json* item, r.Object(doc, "$", "item", false));
  if (item) {
    DU_ASSIGN_OR_RETURN(std::string id, r.Str(*item, "$.item", "id", false));
    DU_ASSIGN_OR_RETURN(std::string desc, r.Str(*item, "$.item", "description", false));
    if (ctx.item_id.empty()) ctx.item_id = id;
    if (ctx.item_description.empty()) ctx.item_description = desc;
  }
  if (!ctx.when.empty() && !ValidTimestamp(ctx.when)) {
    return r.Fail("$.when", "\"" + ctx.when +
                                "\" is not a UTC timestamp (expected "
                                "YYYY-MM-DDTHH:MM:SSZ)");
  }
  AskFn ask = [&](const TreeNode& q) -> Result<std::string> {
    auto it = answers->find(q.id);
    std::vector<std::string> values;
    for (const auto& a : q.answers)
      values.push_back(a.value);
    if (it == answers->end()) {
      return r.Fail("$.answers." + q.id,
                    "missing (\"" + q.text + "\": expected " + JoinAlternatives(values) + ")");
    }
    std::string v = it->get<std::string>();
    for (const auto& a : values) {
      if (a == v) return v;
    }
    return r.Fail("$.answers." + q.id,
                  "\"" + v + "\" is not an answer (expected " + JoinAlternatives(values) + ")");
  };
  return RunTree(tree, ask, ctx);
}

std::string RecordToJson(const ClassificationRecord& r) { return RecordJson(r, true).dump(2); }

std::string RecordToText(const ClassificationRecord& r) {
  std::string out = "Classification record " + r.id + "\n";
  out += "Tree:      " + r.tree + " (" + r.tree_title + ", version " + r.tree_version + ")\n";
  out += "Law:       " + r.law_version + "; Annex I data " + r.annex_version + "\n";
  if (!r.item_description.empty() || !r.item_id.empty()) {
    out += "Item:      " + (r.item_id.empty() ? "" : "[" + r.item_id + "] ") + r.item_description +
           "\n";
  }
  out += "Outcome:   " + r.outcome;
  if (!r.entries.empty()) {
    out += " (";
    for (size_t i = 0; i < r.entries.size(); ++i)
      out += (i ? ", " : "") + r.entries[i];
    out += ")";
  }
  out += "\n";
  if (r.cyber_surveillance) {
    out += std::string("Art. 2(20): ") +
           (*r.cyber_surveillance ? "cyber-surveillance item" : "not a cyber-surveillance item") +
           "\n";
  }
  if (!r.refer_to.empty()) {
    out += "See also:  ";
    for (size_t i = 0; i < r.refer_to.size(); ++i)
      out += (i ? ", " : "") + r.refer_to[i];
    out += "\n";
  }
  out += "Rationale:\n";
  for (const auto& line : r.rationale)
    out += "  - " + line + "\n";
  out += "By " + (r.who.empty() ? std::string("(not given)") : r.who) + " at " + r.when + "\n";
  return out;
}

Result<ClassificationRecord> RecordFromJson(std::string_view text, const std::string& name) {
  JsonReader r(name, StatusCode::kInvalidArgument);
  DU_ASSIGN_OR_RETURN(json doc, r.Parse(text));
  DU_ASSIGN_OR_RETURN(std::string schema, r.Str(doc, "$", "schema", true));
  if (schema != "dualuse.classification/1") {
    return r.Fail("$.schema", "expected \"dualuse.classification/1\"");
  }
  ClassificationRecord rec;
  DU_ASSIGN_OR_RETURN(rec.id, r.Str(doc, "$", "id", true));
  DU_ASSIGN_OR_RETURN(const json* tree, r.Object(doc, "$", "tree", true));
  DU_ASSIGN_OR_RETURN(rec.tree, r.Str(*tree, "$.tree", "id", true));
  DU_ASSIGN_OR_RETURN(rec.tree_title, r.Str(*tree, "$.tree", "title", false));
  DU_ASSIGN_OR_RETURN(rec.tree_version, r.Str(*tree, "$.tree", "version", true));
  DU_ASSIGN_OR_RETURN(rec.tree_sha256, r.Str(*tree, "$.tree", "sha256", false));
  DU_ASSIGN_OR_RETURN(rec.law_version, r.Str(*tree, "$.tree", "law_version", false));
  DU_ASSIGN_OR_RETURN(rec.tree_covers, r.StrArray(*tree, "$.tree", "covers", false));
  DU_ASSIGN_OR_RETURN(rec.annex_version, r.Str(doc, "$", "annex_version", false));
  DU_ASSIGN_OR_RETURN(const json* item, r.Object(doc, "$", "item", false));
  if (item) {
    DU_ASSIGN_OR_RETURN(rec.item_id, r.Str(*item, "$.item", "id", false));
    DU_ASSIGN_OR_RETURN(rec.item_description, r.Str(*item, "$.item", "description", false));
  }
  DU_ASSIGN_OR_RETURN(rec.result_node, r.Str(doc, "$", "result", true));
  DU_ASSIGN_OR_RETURN(rec.outcome, r.Enum(doc, "$", "outcome", kOutcomes, true));
  DU_ASSIGN_OR_RETURN(rec.entries, r.StrArray(doc, "$", "entries", true));
  for (size_t i = 0; i < rec.entries.size(); ++i) {
    if (!controllist::IsAnnexICodeSyntax(rec.entries[i])) {
      return r.Fail("$.entries[" + std::to_string(i) + "]",
                    "\"" + rec.entries[i] + "\" is not an Annex I code (expected e.g. 5A001.j)");
    }
  }
  if (rec.outcome == "listed" && rec.entries.empty()) {
    return r.Fail("$.entries", "a \"listed\" outcome needs at least one entry");
  }
  DU_ASSIGN_OR_RETURN(rec.cyber_surveillance, r.Bool(doc, "$", "cyber_surveillance", false));
  DU_ASSIGN_OR_RETURN(rec.refer_to, r.StrArray(doc, "$", "refer_to", false));
  DU_ASSIGN_OR_RETURN(rec.rationale, r.StrArray(doc, "$", "rationale", true));
  DU_ASSIGN_OR_RETURN(const json* answers, r.Array(doc, "$", "answers", true));
  for (size_t i = 0; i < answers->size(); ++i) {
    std::string place = "$.answers[" + std::to_string(i) + "]";
    const json& a = (*answers)[i];
    if (!a.is_object()) return r.Fail(place, "expected an object");
    GivenAnswer g;
    DU_ASSIGN_OR_RETURN(g.question_id, r.Str(a, place, "question_id", true));
    DU_ASSIGN_OR_RETURN(g.question, r.Str(a, place, "question", false));
    DU_ASSIGN_OR_RETURN(g.value, r.Str(a, place, "answer", true));
    DU_ASSIGN_OR_RETURN(g.label, r.Str(a, place, "label", false));
    rec.answers.push_back(std::move(g));
  }
  DU_ASSIGN_OR_RETURN(rec.who, r.Str(doc, "$", "who", false));
  DU_ASSIGN_OR_RETURN(rec.when, r.Str(doc, "$", "when", true));
  if (!ValidTimestamp(rec.when)) {
    return r.Fail("$.when", "expected a UTC timestamp YYYY-MM-DDTHH:MM:SSZ");
  }
  if (RecordId(rec) != rec.id) {
    return r.Fail("$.id", "\"" + rec.id + "\" does not match the record's content (expected " +
                              RecordId(rec) + "; the record was changed after it was made)");
  }
  return rec;
}

std::optional<std::string> MatchAnswer(const TreeNode& question, std::string_view typed) {
  std::string t;
  for (char c : typed) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  auto lower = [](std::string s) {
    for (char& c : s)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::erase_if(s, [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    return s;
  };
  // Short and Dutch forms of yes and no.
  static const std::pair<const char*, const char*> kShort[] = {
      {"y", "yes"}, {"j", "yes"}, {"ja", "yes"}, {"n", "no"}, {"nee", "no"}};
  for (const auto& [word, value] : kShort) {
    if (t == word) t = value;
  }
  for (size_t i = 0; i < question.answers.size(); ++i) {
    const TreeAnswer& a = question.answers[i];
    if (t == std::to_string(i + 1) || t == lower(a.value) || t == lower(a.label)) return a.value;
  }
  return std::nullopt;
}

}  // namespace dualuse::classify
