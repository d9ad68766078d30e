// A decision tree's texts in another language: an overlay file
// data/classify/decision-trees/<lang>/<tree id>.json
// ({"tree": id, "lang": lang, "source": ..., "title": ..., "nodes": {node id:
// {"text", "help", "rationale", "answers": {value: label}}}}) that replaces the
// English texts and nothing else: ids, answer values, outcomes, entries, the
// tree's version and SHA-256 (which records cite) stay those of the tree.
#ifndef DUALUSE_CLASSIFY_TREE_TRANSLATION_H_
#define DUALUSE_CLASSIFY_TREE_TRANSLATION_H_

#include <string>
#include <string_view>

#include "dualuse/base/result.h"
#include "dualuse/classify/decision_tree.h"

namespace dualuse::classify {

// `tree` with the texts of `dir`/<lang>/<tree.id>.json (dir "" = the bundled
// decision-trees directory). en, or a language without a file for the tree:
// the tree unchanged. An overlay naming a node or answer the tree lacks, or
// not translating every text the tree has, is kDataLoss "file: place:
// expectation".
Result<DecisionTree> TranslateTree(const DecisionTree& tree, std::string_view lang,
                                   const std::string& dir = "");

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_TREE_TRANSLATION_H_
