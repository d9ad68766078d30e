#include "dualuse/classify/decision_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace dualuse::classify {
namespace {

const std::string kSource = DUALUSE_SOURCE_DIR;

std::shared_ptr<const controllist::ControlList> List() {
  static auto list = [] {
    auto r = controllist::ControlList::Load(kSource + "/data/law/annex-i");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.value();
  }();
  return list;
}

const std::vector<DecisionTree>& Trees() {
  static auto trees = [] {
    auto r = LoadDecisionTrees(kSource + "/data/classify/decision-trees", List().get());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : std::vector<DecisionTree>{};
  }();
  return trees;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TEST(DecisionTrees, AllTreesLoad) {
  std::set<std::string> ids;
  for (const auto& t : Trees())
    ids.insert(t.id);
  for (const char* want : {"intrusion-software", "5A001.f", "5A001.j", "5D001.e", "5A004.b",
                           "cat5-part2", "art-2-20"}) {
    EXPECT_TRUE(ids.count(want)) << want;
  }
  EXPECT_EQ(FindTree(Trees(), "4D004")->id, "intrusion-software");
  EXPECT_EQ(FindTree(Trees(), "5A001.j.2.a")->id, "5A001.j");
  EXPECT_EQ(FindTree(Trees(), "5A002.a.1")->id, "cat5-part2");
  EXPECT_EQ(FindTree(Trees(), "9A012"), nullptr);
}

// One case per result node of every tree (tests/data/classify-tree-cases.json),
// written from the Annex I text; every result node must be covered.
TEST(DecisionTrees, EveryLeafHasACaseAndItHolds) {
  auto doc = nlohmann::json::parse(ReadAll(kSource + "/tests/data/classify-tree-cases.json"));
  std::map<std::string, std::set<std::string>> covered;
  int n = 0;
  for (const auto& c : doc["cases"]) {
    ++n;
    std::string tree_id = c["tree"];
    const DecisionTree* t = FindTree(Trees(), tree_id);
    ASSERT_NE(t, nullptr) << tree_id;
    nlohmann::json answers = {{"tree", tree_id}, {"answers", c["answers"]}, {"who", "test"}};
    RecordContext ctx;
    ctx.when = "2026-11-28T03:00:00Z";
    ctx.annex_version = List()->version();
    auto rec = RunTreeWithAnswers(*t, answers.dump(), "case.json", ctx);
    ASSERT_TRUE(rec.ok()) << tree_id << " " << c["leaf"] << ": " << rec.status().ToString();
    const ClassificationRecord& r = rec.value();
    std::string label =
        tree_id + " case " + std::to_string(n) + " -> " + c["leaf"].get<std::string>();
    EXPECT_EQ(r.result_node, c["leaf"].get<std::string>()) << label;
    EXPECT_EQ(r.outcome, c["outcome"].get<std::string>()) << label;
    EXPECT_EQ(r.entries, c["entries"].get<std::vector<std::string>>()) << label;
    if (c.contains("cyber_surveillance")) {
      ASSERT_TRUE(r.cyber_surveillance.has_value()) << label;
      EXPECT_EQ(*r.cyber_surveillance, c["cyber_surveillance"].get<bool>()) << label;
    }
    // Every answer given was used, in order, and the rationale has one line per answer + result.
    EXPECT_EQ(r.answers.size(), c["answers"].size()) << label;
    EXPECT_EQ(r.rationale.size(), r.answers.size() + 1) << label;
    EXPECT_EQ(r.who, "test");
    covered[tree_id].insert(r.result_node);
  }
  for (const auto& t : Trees()) {
    for (const auto& leaf : t.Leaves()) {
      EXPECT_TRUE(covered[t.id].count(leaf)) << t.id << ": no test case reaches " << leaf;
    }
  }
}

// Reference twin of the tree walk: every path PathsTo() enumerates ends at its leaf.
// "Yes" means the same direction in every question: towards the item being
// controlled (listed, a cyber-surveillance item, or another entry to examine).
// A "yes" never leads straight to a release and a "no" never straight to a
// listing, and answering "yes" to every yes/no question never ends in a
// release unless another kind of answer ("none of these") was chosen on the
// way. Someone clicking "Yes" throughout must not be told "not controlled".
TEST(DecisionTrees, YesAlwaysPointsTowardsControl) {
  auto positive = [](const TreeNode& n) {
    return n.outcome == "listed" || n.outcome == "cyber_surveillance_item";
  };
  auto release = [](const TreeNode& n) {
    return n.outcome == "not_listed" || n.outcome == "not_cyber_surveillance_item";
  };
  for (const DecisionTree& t : Trees()) {
    for (const TreeNode& q : t.nodes) {
      if (q.kind != "question") continue;
      for (const TreeAnswer& a : q.answers) {
        const TreeNode* next = t.Find(a.next);
        ASSERT_NE(next, nullptr);
        if (next->kind != "result") continue;
        if (a.value == "yes") {
          EXPECT_FALSE(release(*next)) << t.id << ": " << q.id << ": yes -> " << next->id;
        }
        if (a.value == "no") {
          EXPECT_FALSE(positive(*next)) << t.id << ": " << q.id << ": no -> " << next->id;
        }
      }
    }
    // Every walk that answers yes wherever yes is offered, and any answer elsewhere.
    struct Step {
      std::string node;
      bool only_yes;
    };
    std::vector<Step> todo = {{t.start, true}};
    int walked = 0;
    while (!todo.empty()) {
      Step s = todo.back();
      todo.pop_back();
      const TreeNode* n = t.Find(s.node);
      ASSERT_NE(n, nullptr);
      if (n->kind == "result") {
        ++walked;
        if (s.only_yes) {
          EXPECT_FALSE(release(*n)) << t.id << ": all yes ends at " << n->id;
        }
        continue;
      }
      auto yes = std::find_if(n->answers.begin(), n->answers.end(),
                              [](const TreeAnswer& a) { return a.value == "yes"; });
      if (yes != n->answers.end()) {
        todo.push_back({yes->next, s.only_yes});
      } else {
        for (const TreeAnswer& a : n->answers)
          todo.push_back({a.next, false});
      }
    }
    EXPECT_GT(walked, 0) << t.id;
  }
}

TEST(DecisionTrees, TypedAnswers) {
  TreeNode yes_no;
  yes_no.answers = {{"yes", "Yes", "a"}, {"no", "No", "b"}};
  TreeNode kind;
  kind.answers = {{"goods", "System, equipment or component", "a"}, {"software", "Software", "b"}};
  struct Case {
    const TreeNode* q;
    const char* typed;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {&yes_no, "1", "yes"},
      {&yes_no, "2", "no"},
      {&yes_no, "yes", "yes"},
      {&yes_no, "Y", "yes"},
      {&yes_no, " ja ", "yes"},
      {&yes_no, "J", "yes"},
      {&yes_no, "n", "no"},
      {&yes_no, "Nee", "no"},
      {&yes_no, "No\r", "no"},
      {&yes_no, "3", std::nullopt},
      {&yes_no, "maybe", std::nullopt},
      {&yes_no, "", std::nullopt},
      {&kind, "2", "software"},
      {&kind, "SOFTWARE", "software"},
      {&kind, "y", std::nullopt},
  };
  for (const auto& c : cases)
    EXPECT_EQ(MatchAnswer(*c.q, c.typed), c.want) << c.typed;
}

TEST(DecisionTrees, PathsReachTheirLeaves) {
  for (const auto& t : Trees()) {
    for (const auto& leaf : t.Leaves()) {
      auto paths = t.PathsTo(leaf);
      ASSERT_FALSE(paths.empty()) << t.id << " " << leaf;
      for (const auto& p : paths) {
        std::map<std::string, std::string> answers(p.begin(), p.end());
        AskFn ask = [&](const TreeNode& q) -> Result<std::string> { return answers.at(q.id); };
        auto rec = RunTree(t, ask, {"t", "2026-11-28T03:00:00Z", "", "", ""});
        ASSERT_TRUE(rec.ok());
        EXPECT_EQ(rec.value().result_node, leaf);
      }
    }
  }
}

TEST(ClassificationRecord, RoundTripAndTamperCheck) {
  const DecisionTree* t = FindTree(Trees(), "5A001.j");
  ASSERT_NE(t, nullptr);
  auto rec = RunTreeWithAnswers(
      *t,
      R"({"answers": {"kind": "goods", "carrier": "yes", "selectors": "yes", "purpose": "yes"},
          "who": "A. Officer", "when": "2026-11-28T03:04:05Z",
          "item": {"id": "1", "description": "IP monitoring centre"}})",
      "a.json", {});
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec.value().entries, std::vector<std::string>{"5A001.j"});
  EXPECT_EQ(rec.value().id.rfind("CR-", 0), 0u);
  std::string json = RecordToJson(rec.value());
  auto back = RecordFromJson(json, "r.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back.value().id, rec.value().id);
  EXPECT_EQ(RecordToJson(back.value()), json);
  EXPECT_NE(RecordToText(rec.value()).find("5A001.j"), std::string::npos);
  // A changed record no longer matches its id.
  auto doc = nlohmann::json::parse(json);
  doc["entries"] = {"5A001.f"};
  auto tampered = RecordFromJson(doc.dump(), "r.json");
  ASSERT_FALSE(tampered.ok());
  EXPECT_NE(tampered.error().message().find("r.json: $.id"), std::string::npos);
}

TEST(Answers, BadAnswersNamePlace) {
  const DecisionTree* t = FindTree(Trees(), "5A001.j");
  ASSERT_NE(t, nullptr);
  struct Case {
    const char* json;
    const char* contains;
  };
  const Case cases[] = {
      {"[", "a.json: $: expected valid JSON"},
      {R"({"answers": {"kind": "goods"}})", "a.json: $.answers.carrier: missing"},
      {R"({"answers": {"kind": "hardware"}})",
       "a.json: $.answers.kind: \"hardware\" is not an answer"},
      {R"({"answers": {"kind": 3}})", "a.json: $.answers.kind: expected a string"},
      {R"({"answers": {"nope": "yes"}})", "a.json: $.answers.nope: not a question"},
      {R"({"tree": "5A001.f", "answers": {}})", "a.json: $.tree"},
      {R"({"answers": {"kind": "software"}, "when": "yesterday"})", "a.json: $.when"},
      {R"({"answers": []})", "a.json: $.answers: expected an object"},
  };
  for (const auto& c : cases) {
    auto r = RunTreeWithAnswers(*t, c.json, "a.json", {});
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(c.contains), std::string::npos) << r.error().message();
  }
}

TEST(DecisionTrees, BadTreesAreRejected) {
  auto base = [](const std::string& nodes, const std::string& start = "q") {
    return std::string(R"({"schema": "dualuse.decision-tree/1", "id": "t", "title": "T",
      "version": "1", "law_version": "x", "sources": ["s"], "verification": "K", "start": ")") +
           start + R"(", "nodes": )" + nodes + "}";
  };
  struct Case {
    std::string json;
    const char* contains;
  };
  const std::vector<Case> cases = {
      {"{}", "$.schema"},
      {base("[]"), "$.nodes: expected at least one node"},
      {base(R"([{"id": "q", "kind": "question", "text": "?", "answers": [
          {"value": "a", "next": "x"}, {"value": "b", "next": "q"}]}])"),
       "$.nodes[0].answers[0].next"},
      {base(R"([{"id": "q", "kind": "question", "text": "?", "answers": [
          {"value": "a", "next": "r"}, {"value": "b", "next": "q"}]},
          {"id": "r", "kind": "result", "text": "r", "outcome": "not_listed", "rationale": "x"}])"),
       "expected no cycles"},
      {base(R"([{"id": "q", "kind": "question", "text": "?", "answers": [
          {"value": "a", "next": "r"}, {"value": "a", "next": "r"}]},
          {"id": "r", "kind": "result", "text": "r", "outcome": "not_listed", "rationale": "x"}])"),
       "used twice"},
      {base(R"([{"id": "q", "kind": "question", "text": "?", "answers": [
          {"value": "a", "next": "r"}, {"value": "b", "next": "r"}]},
          {"id": "r", "kind": "result", "text": "r", "outcome": "listed", "rationale": "x",
           "entries": ["5A999"]},
          {"id": "z", "kind": "result", "text": "z", "outcome": "not_listed", "rationale": "x"}])"),
       "5A999 is not an entry"},
      {base(R"([{"id": "q", "kind": "question", "text": "?", "answers": [
          {"value": "a", "next": "r"}, {"value": "b", "next": "r"}]},
          {"id": "r", "kind": "result", "text": "r", "outcome": "not_listed", "rationale": "x"},
          {"id": "z", "kind": "result", "text": "z", "outcome": "not_listed", "rationale": "x"}])"),
       "\"z\" cannot be reached"},
      {base(R"([{"id": "r", "kind": "result", "text": "r", "outcome": "maybe", "rationale": "x"}])",
            "r"),
       "$.nodes[0].outcome"},
  };
  for (const auto& c : cases) {
    auto r = ParseDecisionTree(c.json, "t.json", List().get());
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.error().message().find(c.contains), std::string::npos) << r.error().message();
  }
}

}  // namespace
}  // namespace dualuse::classify
