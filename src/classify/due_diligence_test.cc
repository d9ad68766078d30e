#include "dualuse/classify/due_diligence.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dualuse/base/sha256.h"
#include "dualuse/classify/decision_tree.h"
#include "dualuse/classify/integration.h"

namespace dualuse::classify {
namespace {

const std::string kData = std::string(DUALUSE_SOURCE_DIR) + "/tests/data/classify/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

DueDiligenceRecord Aware() {
  auto r = ParseDueDiligence(ReadAll(kData + "due-diligence-aware.json"), "aware.json");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.value();
}

TEST(DueDiligence, ParsesAndMapsKnowledge) {
  DueDiligenceRecord aware = Aware();
  EXPECT_EQ(aware.conclusion, "aware");
  Knowledge k = KnowledgeFromDueDiligence(aware);
  EXPECT_EQ(k.aware, std::vector<std::string>{"internal_repression"});
  EXPECT_TRUE(k.suspects.empty());

  auto not_aware =
      ParseDueDiligence(ReadAll(kData + "due-diligence-not-aware.json"), "not-aware.json");
  ASSERT_TRUE(not_aware.ok()) << not_aware.status().ToString();
  Knowledge k2 = KnowledgeFromDueDiligence(not_aware.value());
  EXPECT_TRUE(k2.aware.empty());
  EXPECT_TRUE(k2.suspects.empty());

  DueDiligenceRecord suspect = aware;
  suspect.conclusion = "suspect";
  suspect.concerns = {"internal_repression", "human_rights"};
  Knowledge k3 = KnowledgeFromDueDiligence(suspect);
  EXPECT_TRUE(k3.aware.empty());
  EXPECT_EQ(k3.suspects, (std::vector<std::string>{"internal_repression", "human_rights"}));
}

TEST(DueDiligence, RoundTripIsStable) {
  DueDiligenceRecord a = Aware();
  std::string json = DueDiligenceToJson(a);
  auto back = ParseDueDiligence(json, "rt.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(DueDiligenceToJson(back.value()), json);
  EXPECT_NE(DueDiligenceToText(a).find("Provincial Public Security Bureau"), std::string::npos);
}

TEST(DueDiligence, BadRecordsNamePlace) {
  auto base = nlohmann::json::parse(ReadAll(kData + "due-diligence-aware.json"));
  struct Case {
    std::function<void(nlohmann::json&)> change;
    const char* contains;
  };
  const std::vector<Case> cases = {
      {[](auto& j) { j["schema"] = "x"; }, "dd.json: $.schema"},
      {[](auto& j) { j.erase("reference"); }, "dd.json: $.reference: missing"},
      {[](auto& j) { j["date"] = "28.11.2026"; }, "dd.json: $.date"},
      {[](auto& j) { j["item"]["control_entries"] = {"5A01.j"}; },
       "dd.json: $.item.control_entries[0]: \"5A01.j\" is not an Annex I entry"},
      {[](auto& j) { j["item"]["capabilities"] = nlohmann::json::array(); },
       "dd.json: $.item.capabilities"},
      {[](auto& j) { j["item"]["misuse_potential"] = "extreme"; },
       "dd.json: $.item.misuse_potential"},
      {[](auto& j) { j["stakeholders"][0]["role"] = "consignee"; },
       "dd.json: $.stakeholders: expected a stakeholder with role \"end_user\""},
      {[](auto& j) { j["stakeholders"][0]["country"] = "China"; },
       "dd.json: $.stakeholders[0].country"},
      {[](auto& j) { j["stakeholders"][0]["sector"] = "police"; },
       "dd.json: $.stakeholders[0].sector"},
      {[](auto& j) { j["stakeholders"][0]["screening"].erase("date"); },
       "dd.json: $.stakeholders[0].screening.date"},
      {[](auto& j) { j["stakeholders"][0]["prior_misuse"]["details"] = ""; },
       "dd.json: $.stakeholders[0].prior_misuse.details"},
      {[](auto& j) { j["destination"]["arms_embargo"] = "yes"; },
       "dd.json: $.destination.arms_embargo: expected true or false"},
      {[](auto& j) { j["red_flags"][0]["details"] = ""; }, "dd.json: $.red_flags[0].details"},
      {[](auto& j) { j["red_flags"][1]["code"] = "covert_capabilities_marketed"; },
       "dd.json: $.red_flags[1].code"},
      {[](auto& j) { j["mitigations"][0]["kind"] = "hope"; }, "dd.json: $.mitigations[0].kind"},
      {[](auto& j) { j["conclusion"]["value"] = "maybe"; }, "dd.json: $.conclusion.value"},
      {[](auto& j) { j["conclusion"]["concerns"] = {"repression"}; },
       "dd.json: $.conclusion.concerns[0]"},
      {[](auto& j) { j["conclusion"]["reasoning"] = ""; }, "dd.json: $.conclusion.reasoning"},
      {[](auto& j) { j["conclusion"]["value"] = "not_aware"; }, "dd.json: $.conclusion.concerns"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    nlohmann::json j = base;
    cases[i].change(j);
    auto r = ParseDueDiligence(j.dump(), "dd.json");
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(cases[i].contains), std::string::npos)
        << i << ": " << r.error().message();
  }
  EXPECT_FALSE(ParseDueDiligence("", "dd.json").ok());
  EXPECT_FALSE(ParseDueDiligence("[]", "dd.json").ok());
}

TEST(DueDiligence, WarningsForInconsistentConclusions) {
  DueDiligenceRecord r = Aware();
  EXPECT_TRUE(DueDiligenceWarnings(r).empty());
  r.conclusion = "not_aware";
  r.concerns.clear();
  auto w = DueDiligenceWarnings(r);
  bool prior = false, flags = false;
  for (const auto& s : w) {
    prior |= s.find("prior misuse is known") != std::string::npos;
    flags |= s.find("red flag") != std::string::npos;
  }
  EXPECT_TRUE(prior);
  EXPECT_TRUE(flags);
}

// A record concluding "aware" makes the notification, which carries the record.
TEST(DueDiligence, NotificationCarriesTheRecord) {
  DueDiligenceRecord r = Aware();
  NotificationOptions o;
  o.exporter = "Example B.V.";
  auto j = NotificationJson(r, o);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  auto doc = nlohmann::json::parse(j.value());
  EXPECT_EQ(doc["basis"], "Regulation (EU) 2021/821, Article 5(2)");
  EXPECT_EQ(doc["record"]["reference"], "PO-2026-0077");
  EXPECT_EQ(doc["record"]["conclusion"]["value"], "aware");
  EXPECT_EQ(doc["record"], nlohmann::json::parse(DueDiligenceToJson(r)));
  auto t = NotificationText(r, o);
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t.value().find("Article 5(2)"), std::string::npos);
  EXPECT_NE(t.value().find("Provincial Public Security Bureau"), std::string::npos);

  r.conclusion = "not_aware";
  r.concerns.clear();
  auto none = NotificationJson(r, o);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), StatusCode::kFailedPrecondition);
}

// The notification's legal wording comes from data/law/authority/notification.json,
// every text with its source and verification level (data/law/README.md).
TEST(DueDiligence, NotificationWordingIsDataWithSources) {
  auto data = nlohmann::json::parse(
      ReadAll(std::string(DUALUSE_SOURCE_DIR) + "/data/law/authority/notification.json"));
  ASSERT_EQ(data["schema"], "dualuse.notification-wording/1");
  std::map<std::string, std::string> w;
  for (const auto& [key, entry] : data["texts"].items()) {
    EXPECT_FALSE(entry.value("source", "").empty()) << key;
    std::string v = entry.value("verification", "");
    EXPECT_TRUE(v == "V" || v == "S" || v == "K") << key << ": " << v;
    w[key] = entry["text"].get<std::string>();
  }
  auto fill = [](std::string text, const std::string& slot, const std::string& value) {
    return text.replace(text.find(slot), slot.size(), value);
  };
  NotificationOptions o;
  o.exporter = "Example B.V.";
  struct Case {
    const char* conclusion;
    std::vector<std::string> entries;
    std::string basis;
    std::string statement;
    std::string letter;
  } cases[] = {
      {"aware", {}, o.basis, w["statement_aware"], w["letter_aware"]},
      {"suspect", {"5A001.j"}, w["basis_suspect"], w["statement_suspect"], w["letter_suspect"]},
  };
  for (const auto& c : cases) {
    DueDiligenceRecord r = Aware();
    r.conclusion = c.conclusion;
    r.control_entries = c.entries;
    auto j = NotificationJson(r, o);
    ASSERT_TRUE(j.ok()) << j.status().ToString();
    auto doc = nlohmann::json::parse(*j);
    EXPECT_EQ(doc["basis"], c.basis) << c.conclusion;
    EXPECT_EQ(doc["to"], w["addressee_default"]);
    EXPECT_EQ(doc["statement"], c.statement + w["statement_body"]);
    std::string subject =
        fill(w["subject"], "{non_listed}", c.entries.empty() ? w["non_listed"] : "");
    EXPECT_EQ(doc["subject"], fill(subject, "{destination}", "CN"));
    auto t = NotificationText(r, o);
    ASSERT_TRUE(t.ok());
    EXPECT_NE(t->find("Subject: " + fill(w["letter_subject"], "{basis}", c.basis) + "\n"),
              std::string::npos)
        << *t;
    EXPECT_NE(t->find(c.letter + fill(w["letter_body"], "{destination}", "CN")), std::string::npos);
    EXPECT_NE(t->find(fill(w["letter_record"], "{sha256}", Sha256Hex(DueDiligenceToJson(r)))),
              std::string::npos);
    for (const char* slot : {"{destination}", "{non_listed}", "{basis}", "{sha256}"}) {
      EXPECT_EQ(j->find(slot), std::string::npos) << slot;
      EXPECT_EQ(t->find(slot), std::string::npos) << slot;
    }
  }
  DueDiligenceRecord none = Aware();
  none.conclusion = "not_aware";
  none.concerns.clear();
  auto refused = NotificationText(none, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find(w["not_aware"]), std::string::npos);
}

TEST(Integration, DueDiligenceFillsKnowledge) {
  auto request = nlohmann::json::parse(ReadAll(kData + "request-emotion-analysis.json"));
  auto out = ApplyDueDiligence(request, Aware());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out.value()["knowledge"]["aware"], nlohmann::json({"internal_repression"}));
  EXPECT_EQ(out.value()["knowledge"]["suspects"], nlohmann::json::array());
  EXPECT_EQ(out.value()["due_diligence"]["conclusion"], "aware");
  EXPECT_EQ(out.value()["due_diligence"]["record"]["reference"], "PO-2026-0077");
  EXPECT_EQ(out.value()["due_diligence"]["record_sha256"].get<std::string>().size(), 64u);
  // Applying twice does not duplicate values.
  auto twice = ApplyDueDiligence(out.value(), Aware());
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice.value()["knowledge"]["aware"].size(), 1u);
  // A record for another transaction is refused.
  DueDiligenceRecord other = Aware();
  other.reference = "PO-1";
  EXPECT_FALSE(ApplyDueDiligence(request, other).ok());
  EXPECT_FALSE(ApplyDueDiligence(nlohmann::json::array(), Aware()).ok());
}

TEST(Integration, ClassificationRecordsFillTheItem) {
  auto list = controllist::ControlList::Load(std::string(DUALUSE_SOURCE_DIR) + "/data/law/annex-i");
  ASSERT_TRUE(list.ok());
  auto trees = LoadDecisionTrees(std::string(DUALUSE_SOURCE_DIR) + "/data/classify/decision-trees",
                                 list.value().get());
  ASSERT_TRUE(trees.ok());
  auto request = nlohmann::json::parse(ReadAll(kData + "request-emotion-analysis.json"));

  // Article 2(20) test: cyber_surveillance := true; control entries untouched (absent).
  auto art = RunTreeWithAnswers(*FindTree(trees.value(), "art-2-20"),
                                ReadAll(kData + "answers-art-2-20-in-scope.json"), "a.json", {});
  ASSERT_TRUE(art.ok()) << art.status().ToString();
  auto r1 = ApplyClassificationRecord(request, art.value());
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1.value()["items"][0]["cyber_surveillance"], true);
  EXPECT_FALSE(r1.value()["items"][0].contains("control_entries"));
  EXPECT_EQ(r1.value()["items"][0]["classification_records"][0]["id"], art.value().id);

  // 5D001.e tree says not listed: control_entries := [].
  auto nl = RunTreeWithAnswers(*FindTree(trees.value(), "5D001.e"),
                               ReadAll(kData + "answers-not-listed-5D001.e.json"), "b.json", {});
  ASSERT_TRUE(nl.ok()) << nl.status().ToString();
  auto r2 = ApplyClassificationRecord(r1.value(), nl.value());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2.value()["items"][0]["control_entries"], nlohmann::json::array());
  EXPECT_EQ(r2.value()["items"][0]["classification_records"].size(), 2u);

  // A listed result adds its entry; a later not_listed from the same tree removes it again.
  auto listed = RunTreeWithAnswers(
      *FindTree(trees.value(), "5D001.e"),
      R"({"answers": {"software": "yes", "for_5a001": "no", "features_5a001": "no",
          "le_purpose": "yes", "e1": "yes", "e2": "yes", "excl": "yes"}, "item": {"id": "1"}})",
      "c.json", {"x", "2026-11-28T10:00:00Z", "", "", ""});
  ASSERT_TRUE(listed.ok());
  auto r3 = ApplyClassificationRecord(r2.value(), listed.value());
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3.value()["items"][0]["control_entries"], nlohmann::json({"5D001.e"}));
  auto r4 = ApplyClassificationRecord(r3.value(), nl.value());
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4.value()["items"][0]["control_entries"], nlohmann::json::array());

  // Refer results do not classify; unknown items are refused.
  auto refer = RunTreeWithAnswers(*FindTree(trees.value(), "5A001.j"),
                                  R"({"answers": {"kind": "software"}})", "d.json", {});
  ASSERT_TRUE(refer.ok());
  auto r5 = ApplyClassificationRecord(request, refer.value());
  ASSERT_FALSE(r5.ok());
  EXPECT_EQ(r5.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(ApplyClassificationRecord(request, art.value(), "9").ok());
}

}  // namespace
}  // namespace dualuse::classify
