// libFuzzer target: the first byte picks the parser, the rest is its input.
// Every parser must return a value or a Status for any bytes (no crash, no
// exception, no sanitizer report); a value that parses must survive the
// serialise/parse round trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dualuse/classify/decision_tree.h"
#include "dualuse/classify/due_diligence.h"
#include "dualuse/classify/integration.h"
#include "dualuse/classify/search.h"

namespace {

using namespace dualuse::classify;

// A small valid tree for running fuzzed answers against.
const DecisionTree& Tree() {
  static DecisionTree tree = ParseDecisionTree(R"({"schema": "dualuse.decision-tree/1",
    "id": "t", "title": "T", "version": "1", "law_version": "x", "sources": ["s"],
    "verification": "K", "start": "q", "covers": ["5A001.j"], "nodes": [
    {"id": "q", "kind": "question", "text": "?", "answers": [
      {"value": "yes", "next": "r"}, {"value": "no", "next": "q2"}]},
    {"id": "q2", "kind": "question", "text": "??", "answers": [
      {"value": "a", "next": "r"}, {"value": "b", "next": "n"}]},
    {"id": "r", "kind": "result", "text": "r", "outcome": "listed", "entries": ["5A001.j"],
     "rationale": "x"},
    {"id": "n", "kind": "result", "text": "n", "outcome": "not_listed", "rationale": "y"}]})",
                                               "seed", nullptr)
                                 .value();
  return tree;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      auto t = ParseDecisionTree(text, "fuzz", nullptr);
      if (t.ok()) {
        for (const auto& leaf : t.value().Leaves())
          (void)t.value().PathsTo(leaf);
      }
      break;
    }
    case 1: {
      auto r = RunTreeWithAnswers(Tree(), text, "fuzz", {});
      if (r.ok()) {
        auto back = RecordFromJson(RecordToJson(r.value()), "rt");
        if (!back.ok() || back.value().id != r.value().id) __builtin_trap();
        nlohmann::json req = {{"items", {{{"id", "1"}}}}};
        (void)ApplyClassificationRecord(req, r.value(), "1");
      }
      break;
    }
    case 2: {
      auto r = RecordFromJson(text, "fuzz");
      if (r.ok()) {
        (void)RecordToText(r.value());
        auto back = RecordFromJson(RecordToJson(r.value()), "rt");
        if (!back.ok()) __builtin_trap();
      }
      break;
    }
    case 3: {
      auto d = ParseDueDiligence(text, "fuzz");
      if (d.ok()) {
        (void)DueDiligenceWarnings(d.value());
        (void)DueDiligenceToText(d.value());
        (void)NotificationJson(d.value(), {});
        auto back = ParseDueDiligence(DueDiligenceToJson(d.value()), "rt");
        if (!back.ok()) __builtin_trap();
        nlohmann::json req = {{"items", nlohmann::json::array()}};
        (void)ApplyDueDiligence(req, d.value());
      }
      break;
    }
    case 4:
      (void)ParseSynonyms(text, "fuzz");
      break;
    case 5:
      (void)QueryWords(text);
      break;
  }
  return 0;
}
