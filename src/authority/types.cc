#include "dualuse/authority/types.h"

#include <array>
#include <utility>

namespace dualuse::authority {
namespace {

template <typename E, size_t N>
bool ParseName(const std::array<std::pair<E, const char*>, N>& table, const std::string& s,
               E* out) {
  for (const auto& [e, name] : table) {
    if (s == name) {
      *out = e;
      return true;
    }
  }
  return false;
}

template <typename E, size_t N>
const char* NameOf(const std::array<std::pair<E, const char*>, N>& table, E e) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return "?";
}

constexpr std::array<std::pair<FilingKind, const char*>, 2> kFilingKinds{{
    {FilingKind::kApplication, "application"},
    {FilingKind::kNotification, "notification"},
}};
constexpr std::array<std::pair<CriterionFinding, const char*>, 4> kFindings{{
    {CriterionFinding::kNoConcern, "no_concern"},
    {CriterionFinding::kConcern, "concern"},
    {CriterionFinding::kClearRisk, "clear_risk"},
    {CriterionFinding::kNotApplicable, "not_applicable"},
}};
constexpr std::array<std::pair<DecisionKind, const char*>, 4> kDecisionKinds{{
    {DecisionKind::kGrant, "grant"},
    {DecisionKind::kDeny, "deny"},
    {DecisionKind::kImposeRequirement, "impose_requirement"},
    {DecisionKind::kNoRequirement, "no_requirement"},
}};
constexpr std::array<std::pair<LicenceType, const char*>, 2> kLicenceTypes{{
    {LicenceType::kIndividual, "individual"},
    {LicenceType::kGlobal, "global"},
}};

}  // namespace

const char* FilingKindName(FilingKind k) { return NameOf(kFilingKinds, k); }
bool ParseFilingKind(const std::string& s, FilingKind* out) {
  return ParseName(kFilingKinds, s, out);
}
const char* CriterionFindingName(CriterionFinding f) { return NameOf(kFindings, f); }
bool ParseCriterionFinding(const std::string& s, CriterionFinding* out) {
  return ParseName(kFindings, s, out);
}
const char* DecisionKindName(DecisionKind k) { return NameOf(kDecisionKinds, k); }
bool ParseDecisionKind(const std::string& s, DecisionKind* out) {
  return ParseName(kDecisionKinds, s, out);
}
const char* LicenceTypeName(LicenceType t) { return NameOf(kLicenceTypes, t); }
bool ParseLicenceType(const std::string& s, LicenceType* out) {
  return ParseName(kLicenceTypes, s, out);
}

const PartyLine* Application::EndUser() const {
  for (const auto& p : parties) {
    if (p.role == "end_user") return &p;
  }
  for (const auto& p : parties) {
    if (p.role == "consignee") return &p;
  }
  return nullptr;
}

bool Application::HasCyberSurveillanceItem() const {
  for (const auto& i : items) {
    if (i.cyber_surveillance) return true;
  }
  return false;
}

}  // namespace dualuse::authority
