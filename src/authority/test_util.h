// Shared fixtures for the authority tests (private to tests).
#ifndef DUALUSE_SRC_AUTHORITY_TEST_UTIL_H_
#define DUALUSE_SRC_AUTHORITY_TEST_UTIL_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dualuse/authority/criteria.h"
#include "dualuse/authority/types.h"

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
