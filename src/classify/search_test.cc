#include "dualuse/classify/search.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dualuse::classify {
namespace {

const std::string kSource = DUALUSE_SOURCE_DIR;

const SearchIndex& RealIndex() {
  static std::unique_ptr<SearchIndex> index = [] {
    auto list = controllist::ControlList::Load(kSource + "/data/law/annex-i");
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    auto idx = SearchIndex::Build(list.value(), kSource + "/data/classify/synonyms.json");
    EXPECT_TRUE(idx.ok()) << idx.status().ToString();
    return std::move(idx).value();
  }();
  return *index;
}

bool Within(const std::string& code, const std::string& entry) {
  return code == entry ||
         (code.size() > entry.size() && code.rfind(entry, 0) == 0 && code[entry.size()] == '.');
}

// The test set: 25 descriptions written before the search was tuned.
// At least 22 must have their entry (or, for items not listed, the entry whose
// note releases them) among the first three hits.
TEST(Search, DescriptionsTop3) {
  std::ifstream in(kSource + "/tests/data/classify-descriptions.json");
  ASSERT_TRUE(in.good());
  std::stringstream buf;
  buf << in.rdbuf();
  auto doc = nlohmann::json::parse(buf.str());
  int total = 0, good = 0;
  for (const auto& c : doc["cases"]) {
    ++total;
    std::string want = c["entry"];
    std::vector<std::string> accept;
    if (want == "not listed") {
      accept.push_back(c["decontrol_entry"]);
    } else {
      accept.push_back(want);
      if (c.contains("also_accept")) {
        for (const auto& a : c["also_accept"])
          accept.push_back(a);
      }
    }
    auto hits = RealIndex().Search(c["text"].get<std::string>(), 3);
    ASSERT_TRUE(hits.ok()) << hits.status().ToString();
    bool found = false;
    std::string got;
    for (const auto& h : hits.value()) {
      got += h.code + " ";
      for (const auto& a : accept)
        found |= Within(h.code, a);
    }
    good += found;
    if (!found) {
      std::cout << "  miss " << c["id"].get<std::string>() << ": want " << accept[0] << ", got "
                << got << "\n";
    }
  }
  std::cout << "classify search top-3: " << good << " of " << total << "\n";
  EXPECT_EQ(total, 25);
  EXPECT_GE(good, 22);
}

TEST(Search, ExamplesTable) {
  struct Case {
    const char* query;
    const char* want_in_top3;
  };
  const Case cases[] = {
      {"imsi catcher", "5A001.f.2"},
      {"IMSI catcher", "5A001.f"},
      {"spyware", "4D004"},
      {"lawful interception", "5A001.j"},
      {"intrusion software", "4D004"},
      {"hard selectors", "5A001.j"},
      {"handover interface", "5D001.e"},
      {"5A001.j", "5A001.j"},
      {"5A001.j.1.a.7", "5A001.j.1.a"},
  };
  for (const auto& c : cases) {
    auto hits = RealIndex().Search(c.query, 3);
    ASSERT_TRUE(hits.ok()) << c.query << ": " << hits.status().ToString();
    bool found = false;
    for (const auto& h : hits.value())
      found |= Within(h.code, c.want_in_top3);
    EXPECT_TRUE(found) << c.query;
  }
}

TEST(Search, HitsCarryPassageAndFlags) {
  auto hits = RealIndex().Search("imsi catcher", 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits.value().empty());
  const SearchHit& top = hits.value()[0];
  EXPECT_FALSE(top.passage.empty());
  EXPECT_TRUE(top.cyber_surveillance);
  EXPECT_FALSE(top.via.empty());
  for (size_t i = 1; i < hits.value().size(); ++i) {
    EXPECT_GE(hits.value()[i - 1].score, hits.value()[i].score);
  }
}

TEST(Search, BadQueries) {
  for (const char* q : {"", "   ", "the of and", "\"*()", "\"\"\""}) {
    auto hits = RealIndex().Search(q, 3);
    EXPECT_FALSE(hits.ok()) << q;
    if (!hits.ok()) {
      EXPECT_EQ(hits.error().code(), StatusCode::kInvalidArgument);
    }
  }
  // FTS5 syntax in a query is taken as words, never as operators.
  auto hits = RealIndex().Search("interception AND NOT OR NEAR jamming*", 3);
  EXPECT_TRUE(hits.ok());
  EXPECT_FALSE(RealIndex().Search("x", 0).ok());
}

TEST(QueryWords, Table) {
  EXPECT_EQ(QueryWords("The IMSI-catcher, for GSM!"),
            (std::vector<std::string>{"imsi", "catcher", "gsm"}));
  EXPECT_TRUE(QueryWords("of the and").empty());
}

TEST(Synonyms, BadFiles) {
  struct Case {
    const char* text;
    const char* contains;
  };
  const Case cases[] = {
      {"{", "$: expected valid JSON"},
      {R"({"schema": "x"})", "$.schema"},
      {R"({"schema": "dualuse.classify-synonyms/1"})", "$.synonyms"},
      {R"({"schema": "dualuse.classify-synonyms/1", "synonyms": [{"terms": [], "entries": []}]})",
       "$.synonyms[0].terms"},
      {R"({"schema": "dualuse.classify-synonyms/1", "synonyms": [{"terms": ["a b"],
          "entries": ["5A01"]}]})",
       "$.synonyms[0].entries[0]"},
  };
  for (const auto& c : cases) {
    auto r = ParseSynonyms(c.text, "syn.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.error().message().find(c.contains), std::string::npos) << r.error().message();
  }
}

TEST(Search, WordFormsAreNumberOnly) {
  struct Case {
    const char* word;
    std::vector<std::string> forms;
  };
  const Case cases[] = {
      {"camera", {"camera", "cameras"}},
      {"cameras", {"cameras", "camera"}},
      {"body", {"body", "bodies"}},
      {"bodies", {"bodies", "body"}},
      {"switch", {"switch", "switches"}},
      {"switches", {"switches", "switch"}},
      {"analysis", {"analysis", "analyses"}},
      {"bus", {"bus"}},
      {"class", {"class", "classes"}},
      {"expression", {"expression", "expressions"}},
      {"5a001", {"5a001"}},
      {"ip", {"ip"}},
      {"gas", {"gas"}},
  };
  for (const auto& c : cases)
    EXPECT_EQ(WordForms(c.word), c.forms) << c.word;
}

// A stemmer made "expression" match "expressed in kW" (1D103 came first for
// the description of an emotion-analysis product); whole words do not.
TEST(Search, WholeWordsOnly) {
  for (const char* query : {"facial expression and emotion analysis software", "expression"}) {
    auto hits = RealIndex().Search(query, 5);
    ASSERT_TRUE(hits.ok()) << hits.status().ToString();
    for (const auto& h : hits.value()) {
      EXPECT_EQ(h.passage.find("[expressed]"), std::string::npos) << query << ": " << h.code;
    }
  }
}

// Items that match no Annex I entry but read like cyber-surveillance items lead
// to the Article 2(20) test and the Article 5 due diligence, whatever the hits.
TEST(Search, CyberSurveillanceHint) {
  struct Case {
    const char* query;
    bool hint;
    std::vector<std::string> terms;
  };
  const Case cases[] = {
      {"emotion recognition", true, {"emotion", "emotion recognition"}},
      {"facial recognition", true, {"facial recognition", "facial"}},
      {"gait recognition camera software", true, {"gait recognition", "gait"}},
      {"Social media monitoring platform", true, {"monitoring", "social media monitoring"}},
      {"night vision goggles", false, {}},
      {"uranium enrichment centrifuge", false, {}},
      {"monitoringsystem", false, {}},  // whole words only
  };
  for (const auto& c : cases) {
    auto hint = RealIndex().CyberSurveillanceHintFor(c.query);
    ASSERT_EQ(hint.has_value(), c.hint) << c.query;
    if (!hint) continue;
    EXPECT_EQ(hint->terms, c.terms) << c.query;
    EXPECT_EQ(hint->tree, "art-2-20");
    ASSERT_EQ(hint->basis.size(), 2u);
    EXPECT_NE(hint->basis[0].find("Article 2(20)"), std::string::npos);
    EXPECT_NE(hint->basis[1].find("Article 5"), std::string::npos);
    auto answer = SearchAnswerToJson(c.query, "v", {}, hint);
    EXPECT_EQ(answer["cyber_surveillance_candidate"]["tree"], "art-2-20");
  }
  EXPECT_TRUE(
      SearchAnswerToJson("x", "v", {}, std::nullopt)["cyber_surveillance_candidate"].is_null());
}

TEST(Search, CyberSurveillanceHintIsData) {
  auto bad = ParseSynonyms(
      R"({"schema": "dualuse.classify-synonyms/1", "synonyms": [],
          "cyber_surveillance_candidates": {"terms": ["emotion"], "advice": "a",
                                            "basis": ["b"], "tree": "art-2-20"}})",
      "syn.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syn.json: $.cyber_surveillance_candidates.source: "),
            std::string::npos)
      << bad.status().ToString();
}

}  // namespace
}  // namespace dualuse::classify
