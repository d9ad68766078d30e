// TranslateTree: a decision tree's texts from a language overlay.
#include "dualuse/classify/tree_translation.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dualuse/base/resources.h"

namespace dualuse::classify {

namespace {

using Json = nlohmann::json;

// The string at `key` of `obj` into `out` when `english` is non-empty (then
// it is required); refuses a translation of a text the tree does not have.
Status Text(const Json& obj, const char* key, const std::string& english, const std::string& where,
            std::string* out) {
  auto it = obj.find(key);
  if (english.empty()) {
    if (it != obj.end()) return Status::DataLoss(where + "." + key + ": the tree has no such text");
    return Status::Ok();
  }
  if (it == obj.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Status::DataLoss(where + "." + key + ": expected the translation (a non-empty string)");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

}  // namespace

Result<DecisionTree> TranslateTree(const DecisionTree& tree, std::string_view lang,
                                   const std::string& dir_in) {
  if (lang.empty() || lang == "en") return tree;
  std::string dir = dir_in.empty() ? ResourcePath("classify/decision-trees") : dir_in;
  std::string file = dir + "/" + std::string(lang) + "/" + tree.id + ".json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return tree;
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  Json j = Json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::DataLoss(file + ": expected a JSON object");
  if (j.value("tree", std::string()) != tree.id) {
    return Status::DataLoss(file + ": $.tree: expected \"" + tree.id + "\"");
  }
  if (j.value("lang", std::string()) != lang) {
    return Status::DataLoss(file + ": $.lang: expected \"" + std::string(lang) + "\"");
  }
  DecisionTree out = tree;
  DU_RETURN_IF_ERROR(Text(j, "title", tree.title, file + ": $", &out.title));
  auto nodes = j.find("nodes");
  if (nodes == j.end() || !nodes->is_object()) {
    return Status::DataLoss(file + ": $.nodes: expected an object of node id: texts");
  }
  for (auto it = nodes->begin(); it != nodes->end(); ++it) {
    bool known = false;
    for (const TreeNode& n : tree.nodes)
      known = known || n.id == it.key();
    if (!known) {
      return Status::DataLoss(file + ": $.nodes." + it.key() + ": the tree has no such node");
    }
  }
  for (TreeNode& n : out.nodes) {
    std::string where = file + ": $.nodes." + n.id;
    auto it = nodes->find(n.id);
    if (it == nodes->end() || !it->is_object()) {
      return Status::DataLoss(where + ": expected the node's translation (an object)");
    }
    const Json& t = *it;
    DU_RETURN_IF_ERROR(Text(t, "text", n.text, where, &n.text));
    DU_RETURN_IF_ERROR(Text(t, "help", n.help, where, &n.help));
    DU_RETURN_IF_ERROR(Text(t, "rationale", n.rationale, where, &n.rationale));
    if (n.answers.empty()) {
      if (t.contains("answers")) return Status::DataLoss(where + ".answers: the node has none");
      continue;
    }
    auto answers = t.find("answers");
    if (answers == t.end() || !answers->is_object()) {
      return Status::DataLoss(where + ".answers: expected an object of value: label");
    }
    if (answers->size() != n.answers.size()) {
      return Status::DataLoss(where + ".answers: expected the " + std::to_string(n.answers.size()) +
                              " answers of the node");
    }
    for (TreeAnswer& a : n.answers) {
      DU_RETURN_IF_ERROR(Text(*answers, a.value.c_str(), a.label, where + ".answers", &a.label));
    }
  }
  return out;
}

}  // namespace dualuse::classify
