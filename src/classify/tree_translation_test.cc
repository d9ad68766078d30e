// TranslateTree on the bundled trees and their Dutch overlays
// (data/classify/decision-trees/nl/), and on broken overlays.
#include "dualuse/classify/tree_translation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

namespace dualuse::classify {
namespace {

const std::string kSource = DUALUSE_SOURCE_DIR;
const std::string kTrees = kSource + "/data/classify/decision-trees";

std::vector<DecisionTree> Trees() {
  auto list = controllist::ControlList::Load(kSource + "/data/law/annex-i");
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  auto r = LoadDecisionTrees(kTrees, list.ok() ? list->get() : nullptr);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<DecisionTree>{};
}

// Every Dutch overlay translates every text of its tree (TranslateTree
// refuses a partial one), changes no id, value, outcome or hash, and differs
// from the English text wherever the English is a sentence.
TEST(TreeTranslation, DutchOverlaysAreCompleteAndChangeOnlyTexts) {
  int translated = 0;
  for (const DecisionTree& t : Trees()) {
    auto nl = TranslateTree(t, "nl", kTrees);
    ASSERT_TRUE(nl.ok()) << nl.error().message();
    if (!std::filesystem::exists(kTrees + "/nl/" + t.id + ".json")) continue;
    ++translated;
    EXPECT_NE(nl->title, t.title);
    EXPECT_EQ(nl->sha256, t.sha256);
    EXPECT_EQ(nl->version, t.version);
    ASSERT_EQ(nl->nodes.size(), t.nodes.size());
    for (size_t i = 0; i < t.nodes.size(); ++i) {
      const TreeNode& e = t.nodes[i];
      const TreeNode& n = nl->nodes[i];
      EXPECT_EQ(n.id, e.id);
      EXPECT_EQ(n.outcome, e.outcome);
      EXPECT_EQ(n.entries, e.entries);
      EXPECT_NE(n.text, e.text) << t.id << " " << e.id;
      if (!e.help.empty()) {
        EXPECT_NE(n.help, e.help) << t.id << " " << e.id;
      }
      if (!e.rationale.empty()) {
        EXPECT_NE(n.rationale, e.rationale) << t.id << " " << e.id;
      }
      ASSERT_EQ(n.answers.size(), e.answers.size());
      for (size_t k = 0; k < e.answers.size(); ++k) {
        EXPECT_EQ(n.answers[k].value, e.answers[k].value);
        EXPECT_EQ(n.answers[k].next, e.answers[k].next);
      }
    }
  }
  EXPECT_GE(translated, 1);
  // English and a language without overlays: the tree itself.
  for (const char* lang : {"en", "fr"}) {
    auto same = TranslateTree(Trees().front(), lang, kTrees);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->title, Trees().front().title);
  }
}

TEST(TreeTranslation, RefusesAnOverlayThatDoesNotFit) {
  namespace fs = std::filesystem;
  std::vector<DecisionTree> trees = Trees();
  auto it = std::find_if(trees.begin(), trees.end(),
                         [](const DecisionTree& t) { return t.id == "art-2-20"; });
  ASSERT_NE(it, trees.end());
  std::string dir =
      (fs::temp_directory_path() / ("dualuse-trees-" + std::to_string(getpid()))).string();
  fs::create_directories(dir + "/nl");
  nlohmann::json good = nlohmann::json::parse(std::ifstream(kTrees + "/nl/art-2-20.json"));
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> change;
    const char* want;
  };
  const Case cases[] = {
      {"node missing", [](nlohmann::json& j) { j["nodes"].erase("covert"); },
       "$.nodes.covert: expected the node's translation"},
      {"unknown node",
       [](nlohmann::json& j) {
         j["nodes"]["nope"] = {{"text", "x"}};
       },
       "$.nodes.nope: the tree has no such node"},
      {"answer missing", [](nlohmann::json& j) { j["nodes"]["covert"]["answers"].erase("no"); },
       "$.nodes.covert.answers: expected the 2 answers"},
      {"help the tree lacks", [](nlohmann::json& j) { j["nodes"]["covert"]["help"] = "x"; },
       "$.nodes.covert.help: the tree has no such text"},
      {"wrong tree", [](nlohmann::json& j) { j["tree"] = "5A001.j"; }, "$.tree: expected"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = good;
    c.change(j);
    std::ofstream(dir + "/nl/art-2-20.json") << j.dump();
    auto r = TranslateTree(*it, "nl", dir);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_NE(r.error().message().find(c.want), std::string::npos)
        << c.what << ": " << r.error().message();
    EXPECT_NE(r.error().message().find("art-2-20.json"), std::string::npos);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dualuse::classify
