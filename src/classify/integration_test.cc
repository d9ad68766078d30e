// ResolveRecordReferences and NotificationFor (integration.h) on real data:
// the decision trees of data/classify/decision-trees run with the answers of
// tests/data/classify, records stored in a real directory, the due-diligence
// records of tests/data/classify.
#include "dualuse/classify/integration.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dualuse/base/sha256.h"

namespace dualuse::classify {
namespace {

using nlohmann::json;

const std::string kSource = DUALUSE_SOURCE_DIR;
const std::string kData = kSource + "/tests/data/classify/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class ResolveTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto list = controllist::ControlList::Load(kSource + "/data/law/annex-i");
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    auto trees = LoadDecisionTrees(kSource + "/data/classify/decision-trees", list->get());
    ASSERT_TRUE(trees.ok()) << trees.status().ToString();
    dir_ = std::filesystem::temp_directory_path().string() + "/dualuse-resolve-" +
           std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    auto run = [&](const char* tree, const std::string& answers) {
      const DecisionTree* t = FindTree(*trees, tree);
      EXPECT_NE(t, nullptr) << tree;
      RecordContext ctx;
      ctx.annex_version = (*list)->version();
      auto rec = RunTreeWithAnswers(*t, answers, "answers", ctx);
      EXPECT_TRUE(rec.ok()) << rec.status().ToString();
      std::ofstream(dir_ + "/" + rec->id + ".json") << RecordToJson(*rec) << "\n";
      return *rec;
    };
    listed_ = run("5A001.j",
                  R"({"schema": "dualuse.classify-answers/1", "tree": "5A001.j", "who": "A. B.",
                      "when": "2026-11-27T08:00:00Z",
                      "answers": {"kind": "goods", "carrier": "yes", "selectors": "yes",
                                  "purpose": "yes"}})");
    refer_ = run("5A001.j",
                 R"({"schema": "dualuse.classify-answers/1", "tree": "5A001.j", "who": "A. B.",
                     "when": "2026-11-27T08:00:00Z", "answers": {"kind": "software"}})");
    not_listed_ = run("5D001.e", ReadAll(kData + "answers-not-listed-5D001.e.json"));
    cyber_ = run("art-2-20", ReadAll(kData + "answers-art-2-20-in-scope.json"));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static json Request() { return json::parse(ReadAll(kData + "request-emotion-analysis.json")); }

  static inline std::string dir_;
  static inline ClassificationRecord listed_, refer_, not_listed_, cyber_;
};

TEST_F(ResolveTest, NoReferencesLeavesTheRequestAlone) {
  json req = Request();
  auto r = ResolveRecordReferences(req, dir_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, req);
  // Not a request: returned as given, for the request parser to report.
  auto s = ResolveRecordReferences(json("text"), dir_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, json("text"));
}

TEST_F(ResolveTest, ByIdPathAndEmbeddedGiveTheSameRequest) {
  json by_id = Request(), by_path = Request(), embedded = Request();
  by_id["items"][0]["classification_record"] = listed_.id;
  by_path["items"][0]["classification_record"] = dir_ + "/" + listed_.id + ".json";
  embedded["items"][0]["classification_record"] = json::parse(RecordToJson(listed_));
  json want;
  for (json* req : {&by_id, &by_path, &embedded}) {
    auto r = ResolveRecordReferences(*req, dir_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const json& item = (*r)["items"][0];
    EXPECT_EQ(item["control_entries"], json({"5A001.j"}));
    ASSERT_EQ(item["classification_records"].size(), 1u);
    const json& cite = item["classification_records"][0];
    EXPECT_EQ(cite["id"], listed_.id);
    EXPECT_EQ(cite["outcome"], "listed");
    EXPECT_EQ(cite["who"], "A. B.");
    EXPECT_EQ(cite["record_sha256"], Sha256Hex(RecordToJson(listed_)));
    // The hash is the stored file's, without its final newline.
    std::string stored = ReadAll(dir_ + "/" + listed_.id + ".json");
    EXPECT_EQ(cite["record_sha256"], Sha256Hex(stored.substr(0, stored.size() - 1)));
    if (want.is_null()) want = item["classification_records"];
    EXPECT_EQ(item["classification_records"], want);
  }
}

TEST_F(ResolveTest, SeveralRecordsAndDueDiligence) {
  json req = Request();
  req["items"][0].erase("id");  // items without an id are resolved too
  req["items"][0]["classification_record"] = {not_listed_.id, cyber_.id};
  req["due_diligence"] = kData + "due-diligence-aware.json";
  auto r = ResolveRecordReferences(req, dir_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const json& item = (*r)["items"][0];
  EXPECT_FALSE(item.contains("id"));
  EXPECT_EQ(item["control_entries"], json::array());
  EXPECT_EQ(item["cyber_surveillance"], true);
  EXPECT_EQ(item["classification_records"].size(), 2u);
  EXPECT_EQ((*r)["knowledge"]["aware"], json({"internal_repression"}));
  const json& dd = (*r)["due_diligence"];
  EXPECT_EQ(dd["conclusion"], "aware");
  std::string text = ReadAll(kData + "due-diligence-aware.json");
  auto rec = ParseDueDiligence(text, "dd");
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(dd["record_sha256"], Sha256Hex(DueDiligenceToJson(*rec)));
  // Resolving the resolved request again changes nothing (replay, stored requests).
  auto again = ResolveRecordReferences(*r, dir_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *r);
  // ...unless the carried record no longer matches its hash.
  json tampered = *r;
  tampered["due_diligence"]["record"]["conclusion"]["reasoning"] = "changed";
  auto t = ResolveRecordReferences(tampered, dir_);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("$.due_diligence.record_sha256: does not match the record"),
            std::string::npos)
      << t.status().message();
}

struct BadCase {
  const char* name;
  json item_ref;  // null: none
  json dd_ref;    // null: none
  bool allow_paths;
  std::string want;  // in the message, after "file.json: "
};

TEST_F(ResolveTest, BadReferencesNameTheField) {
  json tampered = json::parse(RecordToJson(listed_));
  tampered["entries"] = {"5A002.a"};
  std::vector<BadCase> cases = {
      {"unknown id", "CR-0000000000000000", nullptr, true,
       "$.items[0].classification_record: no stored classification record"},
      {"malformed id", "CR-12", nullptr, true, "$.items[0].classification_record: \"CR-12\""},
      {"number", 42, nullptr, true, "$.items[0].classification_record: expected a stored record"},
      {"missing file", "nope.json", nullptr, true,
       "$.items[0].classification_record: nope.json cannot be read"},
      {"path over HTTP", dir_ + "/" + listed_.id + ".json", nullptr, false,
       "file paths are not accepted here"},
      {"tampered", tampered, nullptr, true, "$.items[0].classification_record.id"},
      {"refer", refer_.id, nullptr, true, "does not classify the item"},
      {"second of two", json({listed_.id, "CR-ffffffffffffffff"}), nullptr, true,
       "$.items[0].classification_record[1]: "},
      {"dd path over HTTP", nullptr, kData + "due-diligence-aware.json", false,
       "$.due_diligence: expected an embedded due-diligence record"},
      {"dd wrong type", nullptr, true, true, "$.due_diligence: expected a path"},
      {"dd bad conclusion", nullptr,
       [] {
         json d = json::parse(ReadAll(kData + "due-diligence-aware.json"));
         d["conclusion"]["value"] = "certain";
         return d;
       }(),
       true, "$.due_diligence.conclusion.value"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    json req = Request();
    if (!c.item_ref.is_null()) req["items"][0]["classification_record"] = c.item_ref;
    if (!c.dd_ref.is_null()) req["due_diligence"] = c.dd_ref;
    ResolveOptions o;
    o.records_dir = dir_;
    o.allow_paths = c.allow_paths;
    o.name = "file.json";
    auto r = ResolveRecordReferences(req, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    std::string m = r.status().message();
    EXPECT_EQ(m.rfind("file.json: $.", 0), 0u) << m;
    EXPECT_NE(m.find(c.want), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

TEST_F(ResolveTest, NotificationOnlyForNotifyAuthority) {
  json req = Request();
  req["due_diligence"] = json::parse(ReadAll(kData + "due-diligence-aware.json"));
  auto r = ResolveRecordReferences(req, dir_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  struct Case {
    const char* verdict;
    bool expected;
  };
  for (Case c : {Case{"notify_authority", true}, Case{"licence_required", false},
                 Case{"no_licence_required", false}}) {
    SCOPED_TRACE(c.verdict);
    auto n = NotificationFor(*r, {c.verdict, "Basis as cited", "Authority X"});
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (!c.expected) {
      EXPECT_TRUE(n->empty());
      continue;
    }
    json doc = json::parse(*n);
    EXPECT_EQ(doc["basis"], "Basis as cited");
    EXPECT_EQ(doc["to"], "Authority X");
    EXPECT_EQ(doc["from"], "Example B.V.");
    EXPECT_EQ(doc["record"], (*r)["due_diligence"]["record"]);
    EXPECT_EQ(doc["record_sha256"], (*r)["due_diligence"]["record_sha256"]);
  }
  // A "not_aware" record asks for no notification.
  json na = Request();
  na["due_diligence"] = kData + "due-diligence-not-aware.json";
  na["reference"] = json::parse(ReadAll(kData + "due-diligence-not-aware.json"))["reference"];
  auto rn = ResolveRecordReferences(na, dir_);
  ASSERT_TRUE(rn.ok()) << rn.status().ToString();
  auto n = NotificationFor(*rn, {"notify_authority", "", ""});
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n->empty());
}

}  // namespace
}  // namespace dualuse::classify
