// Shared fixtures for the authority tests (private to tests).
#ifndef DUALUSE_SRC_AUTHORITY_TEST_UTIL_H_
#define DUALUSE_SRC_AUTHORITY_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "dualuse/authority/criteria.h"
#include "dualuse/authority/types.h"
#include "dualuse/base/sha256.h"
#include "dualuse/classify/due_diligence.h"

namespace dualuse::authority::testing {

struct FilingSpec {
  std::string reference = "PO-1";
  std::string verdict = "licence_required";
  std::string destination = "CN";
  std::string end_user = "Example Telecom Co., Ltd";
  std::string end_user_country = "CN";
  std::vector<std::string> entries = {"5A001.j"};
  bool cyber = true;
  double quantity = 10;
  double value_eur = 100000;
  std::string filed_on = "2026-03-01";
};

// A dualuse.authority-filing/1 document in the shape of spec sections 2 and 3.
inline nlohmann::json FilingJson(const FilingSpec& s) {
  nlohmann::json item = {{"id", "1"},
                         {"description", "IP network surveillance system"},
                         {"kind", "goods"},
                         {"control_entries", s.entries},
                         {"cyber_surveillance", s.cyber},
                         {"quantity", s.quantity},
                         {"value_eur", s.value_eur}};
  nlohmann::json request = {
      {"schema", "dualuse.assessment/1"},
      {"reference", s.reference},
      {"date", s.filed_on},
      {"activity", "export"},
      {"exporter", {{"name", "Example B.V."}, {"country", "NL"}, {"has_icp", true}}},
      {"destination", s.destination},
      {"items", nlohmann::json::array({item})},
      {"parties", nlohmann::json::array({{{"role", "end_user"},
                                          {"name", s.end_user},
                                          {"country", s.end_user_country},
                                          {"type", "organization"},
                                          {"sector", "telecom_operator"}}})},
      {"end_use", {{"description", "lawful interception for the operator's network"}}}};
  nlohmann::json determination = {
      {"schema", "dualuse.determination/1"},
      {"reference", s.reference},
      {"verdict", s.verdict},
      {"findings", nlohmann::json::array({{{"rule", "eu-2021-821/art-3-1"},
                                           {"basis", "Regulation (EU) 2021/821, Article 3(1)"},
                                           {"effect", s.verdict},
                                           {"item", "1"},
                                           {"summary", "listed"}},
                                          {{"rule", "embargo/arms"},
                                           {"basis", "x"},
                                           {"effect", "information"},
                                           {"summary", "d"}}})},
      {"screening",
       nlohmann::json::array(
           {{{"party", 0},
             {"status", "potential_match"},
             {"matches",
              nlohmann::json::array(
                  {{{"list", "eu_fsf"}, {"entity_id", "E1"}, {"name", "X"}, {"score", 0.8}}})}}})}};
  return {
      {"schema", "dualuse.authority-filing/1"},
      {"request", request},
      {"determination", determination},
      {"classification_records", {{"1", "CLS-7"}}},
      {"reviews", nlohmann::json::array(
                      {{{"party", 0}, {"decision", "dismissed"}, {"reason", "other entity"}}})},
      {"due_diligence", nlohmann::json::array({{{"question", "Red flags?"}, {"answer", "none"}}})},
      {"filed_on", s.filed_on}};
}

// The due-diligence record of tests/data/classify (conclusion "aware",
// reference PO-2026-0077), as classify parsed it.
inline classify::DueDiligenceRecord AwareRecord() {
  std::ifstream in(DUALUSE_SOURCE_DIR "/tests/data/classify/due-diligence-aware.json");
  std::stringstream text;
  text << in.rdbuf();
  auto r = classify::ParseDueDiligence(text.str(), "due-diligence-aware.json");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : classify::DueDiligenceRecord{};
}

// A notification filing as `dualuse assess` makes it for an exporter aware
// under Art 5(2): verdict notify_authority, the record/due-diligence finding
// citing the record, and `notification` made by classify::NotificationJson,
// the function assess uses (classify::NotificationFor).
inline nlohmann::json NotificationFilingJson(const std::string& filed_on = "2026-05-01") {
  classify::DueDiligenceRecord rec = AwareRecord();
  FilingSpec s;
  s.reference = rec.reference;
  s.verdict = "notify_authority";
  s.entries = {};
  s.filed_on = filed_on;
  nlohmann::json j = FilingJson(s);
  std::string sha = Sha256Hex(classify::DueDiligenceToJson(rec));
  const std::string art = "Regulation (EU) 2021/821, Article 5(2)";
  j["determination"]["findings"][0] = {{"rule", "eu-2021-821/art-5-2"},
                                       {"basis", art},
                                       {"effect", "notify_authority"},
                                       {"item", "1"},
                                       {"summary", "aware of use for internal repression"}};
  j["determination"]["findings"].push_back(
      {{"rule", "record/due-diligence"},
       {"basis", art},
       {"effect", "information"},
       {"summary", "due-diligence record " + rec.reference},
       {"record", {{"kind", "due_diligence"}, {"id", rec.reference}, {"sha256", sha}}}});
  classify::NotificationOptions o;
  o.authority = "Minister for Foreign Trade and Development Cooperation (CDIU)";
  o.exporter = "Example B.V.";
  o.basis = art;
  auto n = classify::NotificationJson(rec, o);
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  j["determination"]["notification"] = nlohmann::json::parse(n.ok() ? *n : "{}");
  return j;
}

// An assessment answering every criterion with `finding`, except the
// overrides (criterion id -> finding).
inline CriteriaAssessment AssessAll(
    const CriteriaCatalogue& cat, const std::string& app_id,
    CriterionFinding finding = CriterionFinding::kNoConcern,
    const std::vector<std::pair<std::string, CriterionFinding>>& overrides = {}) {
  CriteriaAssessment a;
  a.application_id = app_id;
  a.officer = "officer1";
  a.date = *Date::Parse("2026-03-05");
  for (const auto& c : cat.criteria()) {
    CriterionFinding f = finding;
    for (const auto& [id, o] : overrides) {
      if (id == c.id) f = o;
    }
    a.answers.push_back({c.id, f, "Considered the end-user's record and the destination."});
  }
  return a;
}

}  // namespace dualuse::authority::testing

#endif  // DUALUSE_SRC_AUTHORITY_TEST_UTIL_H_
