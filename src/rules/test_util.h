// Test helpers: the real engine over the bundled data, and requests built
// from a base request with a few members changed.
#ifndef DUALUSE_SRC_RULES_TEST_UTIL_H_
#define DUALUSE_SRC_RULES_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "dualuse/controllist/control_list.h"
#include "dualuse/law/law_data.h"
#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"

namespace dualuse::rules::testing {

inline const Engine& TheEngine() {
  static std::unique_ptr<Engine> engine = [] {
    std::string data = std::string(DUALUSE_SOURCE_DIR) + "/data/law";
    auto law = law::LawData::Load(data);
    EXPECT_TRUE(law.ok()) << law.status().ToString();
    auto annex = controllist::ControlList::Load(data + "/annex-i");
    EXPECT_TRUE(annex.ok()) << annex.status().ToString();
    auto e = Engine::Create(*law, *annex);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return std::move(e).value();
  }();
  return *engine;
}

// Like a JSON merge patch (RFC 7386: null deletes a member), except that
// arrays of objects merge element by element (extra elements are appended).
inline void Merge(nlohmann::json& base, const nlohmann::json& patch) {
  if (patch.is_object() && base.is_object()) {
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      if (it.value().is_null()) {
        base.erase(it.key());
      } else if (base.contains(it.key())) {
        Merge(base[it.key()], it.value());
      } else {
        base[it.key()] = it.value();
      }
    }
  } else if (patch.is_array() && base.is_array() && !patch.empty() && patch[0].is_object() &&
             !base.empty() && base[0].is_object()) {
    for (size_t i = 0; i < patch.size(); ++i) {
      if (i < base.size()) {
        Merge(base[i], patch[i]);
      } else {
        base.push_back(patch[i]);
      }
    }
  } else {
    base = patch;
  }
}

// A request: a listed interception system exported from NL to CN on
// 2026-11-28, patched with `patch` (see Merge).
inline nlohmann::json BaseRequest() {
  return nlohmann::json::parse(R"({
    "schema": "dualuse.assessment/1", "reference": "T", "date": "2026-11-28",
    "activity": "export",
    "exporter": {"name": "Example B.V.", "country": "NL", "has_icp": true},
    "destination": "CN",
    "items": [{"id": "1", "description": "IP network surveillance system", "kind": "goods",
               "control_entries": ["5A001.j"], "cyber_surveillance": true}],
    "parties": [{"role": "end_user", "name": "Example Telecom", "country": "CN",
                 "type": "organization", "sector": "telecom_operator"}],
    "end_use": {"description": ""},
    "knowledge": {"informed": [], "aware": [], "suspects": []}
  })");
}

inline AssessmentRequest Request(const std::string& patch) {
  nlohmann::json j = BaseRequest();
  Merge(j, nlohmann::json::parse(patch));
  auto r = ParseRequest(j, "test.json");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  Status v = TheEngine().Validate(*r, "test.json");
  EXPECT_TRUE(v.ok()) << v.ToString();
  return *r;
}

inline Determination Assess(const std::string& patch) {
  AssessmentRequest r = Request(patch);
  auto d = TheEngine().Assess(r, Engine::EffectiveDate(r, std::nullopt));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? *d : Determination{};
}

// The first finding whose basis contains `basis` and whose effect is `effect`.
inline const Finding* FindFinding(const Determination& d, const std::string& basis, Effect effect) {
  for (const Finding& f : d.findings) {
    if (f.basis.find(basis) != std::string::npos && f.effect == effect) return &f;
  }
  return nullptr;
}

inline std::string Describe(const Determination& d) { return ToText(d); }

}  // namespace dualuse::rules::testing

#endif  // DUALUSE_SRC_RULES_TEST_UTIL_H_
