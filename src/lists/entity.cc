#include "dualuse/lists/entity.h"

#include "lists/util.h"

namespace dualuse::lists {

const char* SchemaName(Schema s) {
  switch (s) {
    case Schema::kPerson:
      return "Person";
    case Schema::kOrganization:
      return "Organization";
    case Schema::kCompany:
      return "Company";
    case Schema::kLegalEntity:
      return "LegalEntity";
    case Schema::kVessel:
      return "Vessel";
    case Schema::kAircraft:
      return "Airplane";
  }
  return "LegalEntity";
}

bool ParseSchema(const std::string& text, Schema* out) {
  std::string t = internal::Lower(internal::Trim(text));
  struct {
    const char* word;
    Schema schema;
  } static const kWords[] = {
      {"person", Schema::kPerson},
      {"individual", Schema::kPerson},
      {"organization", Schema::kOrganization},
      {"organisation", Schema::kOrganization},
      {"company", Schema::kCompany},
      {"enterprise", Schema::kLegalEntity},
      {"legalentity", Schema::kLegalEntity},
      {"legal_entity", Schema::kLegalEntity},
      {"entity", Schema::kLegalEntity},
      {"vessel", Schema::kVessel},
      {"ship", Schema::kVessel},
      {"airplane", Schema::kAircraft},
      {"aircraft", Schema::kAircraft},
  };
  for (const auto& w : kWords) {
    if (t == w.word) {
      *out = w.schema;
      return true;
    }
  }
  return false;
}

bool ListedOn(const Entity& e, const std::string& day) {
  if (day.empty()) return true;
  // "2018" and "2018-05" compare below every day of their period.
  if (!e.listed_on.empty() &&
      e.listed_on.compare(0, std::string::npos, day, 0, e.listed_on.size()) > 0)
    return false;
  if (!e.delisted_on.empty() && e.delisted_on.size() == 10 && e.delisted_on <= day) return false;
  return true;
}

}  // namespace dualuse::lists
