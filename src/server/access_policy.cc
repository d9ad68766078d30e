#include "access_policy.h"

#include <string>

namespace dualuse::server {
namespace {

constexpr const char* kClassification = "classification";

bool IsAuthorityKind(const std::string& kind) { return kind.rfind("authority_", 0) == 0; }

}  // namespace

void RestrictToReadable(const Principal& who, store::RecordQuery* q) {
  switch (who.role) {
    case Role::kAdmin:
      return;
    case Role::kReviewer:
      q->authority_kinds = false;
      return;
    case Role::kAuthority:
      q->other_kinds = false;
      break;
    case Role::kOfficer:
      q->authority_kinds = false;
      q->other_kinds = false;
      break;
  }
  q->also_kinds = {kClassification};
  q->also_actor = who.name;
  q->also_organisation = who.organisation;
}

bool MayRead(const Principal& who, const store::Record& r, const std::string& actor_organisation) {
  if (who.role == Role::kAdmin || r.kind == kClassification || r.actor == who.name) return true;
  if (!who.organisation.empty() && actor_organisation == who.organisation) return true;
  switch (who.role) {
    case Role::kReviewer:
      return !IsAuthorityKind(r.kind);
    case Role::kAuthority:
      return IsAuthorityKind(r.kind);
    default:
      return false;
  }
}

}  // namespace dualuse::server
