#include "dualuse/authority/criteria.h"

#include <fstream>
#include <set>
#include <sstream>

#include "authority/json_util.h"
#include "dualuse/base/resources.h"

namespace dualuse::authority {

using internal::Fields;
using internal::Json;

Result<std::shared_ptr<const CriteriaCatalogue>> CriteriaCatalogue::Load(const std::string& path) {
  std::string p = path.empty() ? ResourcePath("law/authority/criteria.json") : path;
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::NotFound(p + ": cannot read the criteria file");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), p);
}

Result<std::shared_ptr<const CriteriaCatalogue>> CriteriaCatalogue::Parse(std::string_view json,
                                                                          const std::string& name) {
  auto parsed = internal::ParseJson(json, name);
  if (!parsed) return Status::DataLoss(parsed.error().message());
  const Json& j = *parsed;
  Fields f(j, "$", name);
  auto cat = std::make_shared<CriteriaCatalogue>();
  std::string schema = f.Str("schema", true);
  if (f.ok() && schema != "dualuse.authority-criteria/1") {
    f.Fail("$.schema", "expected dualuse.authority-criteria/1");
  }
  std::set<std::string> ids;
  if (const Json* arr = f.Array("criteria", true)) {
    for (size_t i = 0; i < arr->size() && f.ok(); ++i) {
      std::string path = f.PathOf("criteria", i);
      Fields cf((*arr)[i], path, name);
      Criterion c;
      c.id = cf.Str("id", true);
      c.group = cf.Str("group", true);
      c.title = cf.Str("title", true);
      c.text = cf.Str("text", true);
      c.source = cf.Str("source", true);
      c.verification = cf.Str("verification", true);
      std::string on = cf.Str("on_clear_risk", true);
      if (cf.ok()) {
        if (on == "deny") {
          c.on_clear_risk = OnClearRisk::kDeny;
        } else if (on == "consider_denial") {
          c.on_clear_risk = OnClearRisk::kConsiderDenial;
        } else {
          cf.Fail(path + ".on_clear_risk", "expected deny or consider_denial");
        }
      }
      if (cf.ok() && c.verification != "V" && c.verification != "S" && c.verification != "K") {
        cf.Fail(path + ".verification", "expected V, S or K");
      }
      if (cf.ok() && !ids.insert(c.id).second) cf.Fail(path + ".id", "duplicate id " + c.id);
      f.Merge(cf.status());
      cat->criteria_.push_back(std::move(c));
    }
    if (f.ok() && arr->empty()) f.Fail("$.criteria", "expected at least one criterion");
  }
  if (const Json* cits = f.Object("citations", true)) {
    for (auto it = cits->begin(); it != cits->end() && f.ok(); ++it) {
      Fields cf(it.value(), "$.citations." + it.key(), name);
      Citation c{cf.Str("text", true), cf.Str("source", true), cf.Str("verification", true), {}};
      const Json& cv = it.value();
      if (cv.is_object() && cv.contains("texts")) {
        const Json& texts = cv.at("texts");
        if (!texts.is_object()) {
          cf.Fail("$.citations." + it.key() + ".texts", "expected an object of language: text");
        } else {
          for (auto t = texts.begin(); t != texts.end(); ++t) {
            if (!t->is_string()) {
              cf.Fail("$.citations." + it.key() + ".texts." + t.key(), "expected a string");
            } else {
              c.texts.emplace(t.key(), t->get<std::string>());
            }
          }
        }
      }
      f.Merge(cf.status());
      cat->citations_.emplace(it.key(), std::move(c));
    }
  }
  if (!f.ok()) return Status::DataLoss(f.status().message());
  return std::shared_ptr<const CriteriaCatalogue>(std::move(cat));
}

const Criterion* CriteriaCatalogue::Find(std::string_view id) const {
  for (const auto& c : criteria_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Citation* CriteriaCatalogue::FindCitation(std::string_view key) const {
  auto it = citations_.find(key);
  return it == citations_.end() ? nullptr : &it->second;
}

Status ValidateAssessment(const CriteriaAssessment& a, const CriteriaCatalogue& catalogue) {
  std::set<std::string> seen;
  for (size_t i = 0; i < a.answers.size(); ++i) {
    const auto& x = a.answers[i];
    std::string where = "$.answers[" + std::to_string(i) + "]";
    if (!catalogue.Find(x.criterion)) {
      return Status::InvalidArgument(where + ".criterion: \"" + x.criterion +
                                     "\" is not a criterion of the catalogue");
    }
    if (!seen.insert(x.criterion).second) {
      return Status::InvalidArgument(where + ".criterion: " + x.criterion + " answered twice");
    }
    if (x.reasoning.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument(where + ".reasoning: expected the officer's reasoning on " +
                                     x.criterion);
    }
  }
  for (const auto& c : catalogue.criteria()) {
    if (!seen.count(c.id)) {
      return Status::InvalidArgument("$.answers: criterion " + c.id + " (" + c.group +
                                     ") is not answered; every criterion needs an answer");
    }
  }
  return Status::Ok();
}

std::vector<std::string> MandatoryDenialCriteria(const CriteriaAssessment& a,
                                                 const CriteriaCatalogue& catalogue) {
  std::vector<std::string> out;
  for (const auto& c : catalogue.criteria()) {
    if (c.on_clear_risk != OnClearRisk::kDeny) continue;
    for (const auto& x : a.answers) {
      if (x.criterion == c.id && x.finding == CriterionFinding::kClearRisk) {
        out.push_back(c.id);
        break;
      }
    }
  }
  return out;
}

}  // namespace dualuse::authority
