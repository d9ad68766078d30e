// Guided classification questions as data (data/classify/decision-trees/*.json).
//
// A tree is a directed acyclic graph of questions whose answers lead to a
// result: the Annex I entry that applies, a decontrol note that releases the
// item, a pointer to another tree, or the answer to the Article 2(20) test
// ("cyber-surveillance item") of Regulation (EU) 2021/821. Running a tree
// gives a ClassificationRecord (who answered what, when, with which tree and
// Annex I version), which `dualuse assess` accepts (integration.h).
#ifndef DUALUSE_CLASSIFY_DECISION_TREE_H_
#define DUALUSE_CLASSIFY_DECISION_TREE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/controllist/control_list.h"

namespace dualuse::classify {

struct TreeAnswer {
  std::string value;  // "yes", "no", "software"...
  std::string label;  // shown to the person
  std::string next;   // node id
};

// Outcomes of a result node.
//   listed                      the item is in `entries`
//   not_listed                  not in the entries this tree examines (a note may release it)
//   refer                       another entry or tree decides (`refer_to`)
//   cyber_surveillance_item     Article 2(20) test met
//   not_cyber_surveillance_item Article 2(20) test not met
struct TreeNode {
  std::string id;
  std::string kind;                // "question" or "result"
  std::string text;                // the question, or the result's title
  std::string help;                // explanation shown with the question
  std::vector<std::string> cites;  // Annex I codes or articles the node applies
  std::vector<TreeAnswer> answers;
  // Result nodes.
  std::string outcome;
  std::vector<std::string> entries;
  std::optional<bool> cyber_surveillance;
  std::vector<std::string> refer_to;
  std::string rationale;
};

struct DecisionTree {
  std::string id;  // "5A001.j"
  std::string title;
  std::string version;              // the tree's own version ("2026-11-28.1")
  std::string law_version;          // the act whose text the questions follow
  std::vector<std::string> covers;  // Annex I codes the tree decides on
  std::vector<std::string> sources;
  std::string verification;
  std::string sha256;  // of the file as read
  std::string start;
  std::vector<TreeNode> nodes;
  std::map<std::string, size_t> index;

  const TreeNode* Find(std::string_view id) const;
  // Result node ids in file order.
  std::vector<std::string> Leaves() const;
  // Every answer path from the start to `leaf`: (question id, answer value) pairs.
  std::vector<std::vector<std::pair<std::string, std::string>>> PathsTo(
      std::string_view leaf) const;
};

// Parses and checks a tree: schema, unique ids, answers leading to existing nodes,
// no cycles, every node reachable, results with a known outcome. With `list`,
// every code in `entries`, `cites` and `covers` must be a known Annex I entry.
// kDataLoss "<name>: <JSON path>: <expectation>".
Result<DecisionTree> ParseDecisionTree(std::string_view json_text, const std::string& name,
                                       const controllist::ControlList* list);
Result<DecisionTree> LoadDecisionTree(const std::string& path,
                                      const controllist::ControlList* list);
// Every *.json in `dir` (default ResourcePath("classify/decision-trees")), by id.
Result<std::vector<DecisionTree>> LoadDecisionTrees(const std::string& dir,
                                                    const controllist::ControlList* list);
// The tree with this id, or the first whose `covers` contains `name` or an ancestor of it.
const DecisionTree* FindTree(const std::vector<DecisionTree>& trees, std::string_view name);

struct GivenAnswer {
  std::string question_id;
  std::string question;
  std::string value;
  std::string label;
};

// The record of one classification (schema dualuse.classification/1).
struct ClassificationRecord {
  std::string id;  // "CR-" + 16 hex of the SHA-256 of the record without its id
  std::string tree;
  std::string tree_title;
  std::string tree_version;
  std::string tree_sha256;
  std::vector<std::string> tree_covers;  // what the tree examined ("not_listed" is relative to it)
  std::string law_version;
  std::string annex_version;  // ControlList::version() when it ran
  std::string item_id;
  std::string item_description;
  std::string result_node;
  std::string outcome;
  std::vector<std::string> entries;
  std::optional<bool> cyber_surveillance;
  std::vector<std::string> refer_to;
  std::vector<std::string> rationale;  // one line per answered question, then the result's
  std::vector<GivenAnswer> answers;
  std::string who;
  std::string when;  // ISO 8601 UTC, "2026-11-28T03:04:05Z"
};

struct RecordContext {
  std::string who;
  std::string when;  // empty: now
  std::string item_id;
  std::string item_description;
  std::string annex_version;
};

// The answer value a person typed for `question`: its number ("1"), its value
// or label in any case ("yes", "Software"), or for yes/no questions "y", "n",
// "j", "ja", "nee" (Dutch). nullopt when it names no answer.
std::optional<std::string> MatchAnswer(const TreeNode& question, std::string_view typed);

// Asks `ask` for each question on the way (it returns one of the question's
// answer values, or an error that ends the run) and builds the record.
using AskFn = std::function<Result<std::string>(const TreeNode& question)>;
Result<ClassificationRecord> RunTree(const DecisionTree& tree, const AskFn& ask,
                                     const RecordContext& ctx);

// Non-interactive run from an answers document (schema dualuse.classify-answers/1):
// {"tree": "5A001.j", "answers": {"<question id>": "<value>"}, "who": "...",
//  "item": {"id": "1", "description": "..."}}. `who`/`item` in `ctx` win when set.
// kInvalidArgument "<name>: $.answers.<id>: ..." for a missing or unknown answer.
Result<ClassificationRecord> RunTreeWithAnswers(const DecisionTree& tree,
                                                std::string_view answers_json,
                                                const std::string& name, RecordContext ctx);

std::string RecordToJson(const ClassificationRecord& r);  // pretty-printed, with id
std::string RecordToText(const ClassificationRecord& r);
// Parses a stored record and checks its id. kInvalidArgument naming `name` and the place.
Result<ClassificationRecord> RecordFromJson(std::string_view json_text, const std::string& name);

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_DECISION_TREE_H_
