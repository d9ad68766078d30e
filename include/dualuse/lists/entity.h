// The one entity model every list importer produces and the screening engine
// consumes: a listed person, organisation, vessel or aircraft, with its names
// (and how strong each alias is), identifying details, and where it came from.
#ifndef DUALUSE_LISTS_ENTITY_H_
#define DUALUSE_LISTS_ENTITY_H_

#include <string>
#include <vector>

namespace dualuse::lists {

// FollowTheMoney-like schema. kLegalEntity is used when the publisher does
// not say whether it is a person or an organisation.
enum class Schema { kPerson, kOrganization, kCompany, kLegalEntity, kVessel, kAircraft };

const char* SchemaName(Schema s);  // "Person", "Organization", ...
// Accepts FtM names and common spellings ("Individual", "Entity", "company").
bool ParseSchema(const std::string& text, Schema* out);

// How much weight an alias deserves. OFAC's "weak" AKAs and the UN's "Low"
// quality aliases must not raise a hit on their own (OFAC FAQ 91).
enum class NameStrength { kPrimary, kStrong, kWeak };

struct EntityName {
  std::string full;  // the name as published (UTF-8)
  NameStrength strength = NameStrength::kStrong;
  bool original_script = false;  // published in a non-Latin script as such
  // Optional structured parts when the publisher gives them (persons).
  std::string first_name, middle_name, last_name;
};

struct Identifier {
  std::string type;  // "passport", "national_id", "imo", "registration", ...
  std::string value;
  std::string country;  // ISO 3166-1 alpha-2 when known
};

// What a listing means for an export from the Union. Drives the assessment:
// an EU or UN asset freeze makes the transaction prohibited (spec section 3),
// a US list is a finding that needs review.
enum class ListEffect {
  kAssetFreeze,         // EU/UN/UK financial sanctions: no funds or economic resources
  kDeniedParty,         // US Denied Persons List, and similar export bans
  kLicenceRequirement,  // US Entity List, MEU list, Unverified List
  kBlocking,            // OFAC SDN (US blocking sanctions)
  kOther,
};

struct Entity {
  std::string list;  // short list id: "un_sc", "eu_fsf", "ofac_sdn", "ofac_cons", "us_csl", ...
  std::string id;    // the publisher's entity id
  Schema schema = Schema::kLegalEntity;
  std::string caption;                   // the main name
  std::vector<EntityName> names;         // includes the main name, strength kPrimary
  std::vector<std::string> countries;    // ISO 3166-1 alpha-2, upper case
  std::vector<std::string> birth_dates;  // "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  std::vector<Identifier> identifiers;
  std::vector<std::string> programs;  // sanctions programmes / regimes
  // When the publisher listed the party (UN LISTED_ON, EU designationDate or
  // the regulation's publication date, EU OJ startDate, CSL start_date, FtM
  // createdAt), and when it was delisted (CSL end_date, FtM endDate), as
  // YYYY-MM-DD (or YYYY-MM / YYYY when the publisher gives no more); "" when
  // the file does not say. Screening on a date before listed_on or on/after
  // delisted_on does not report the entity (ListedOn).
  std::string listed_on;
  std::string delisted_on;
  std::string source;  // sub-list for aggregated lists (CSL "source" column)
  ListEffect effect = ListEffect::kOther;
  std::string jurisdiction;  // "UN", "EU", "US", "UK", or "" when unknown
  std::string remarks;
};

// Whether the entity was listed on `day` (YYYY-MM-DD): false when listed_on is
// after it or delisted_on is on or before it. A partial listing date (YYYY,
// YYYY-MM) counts from the first day of its period; an unknown date is no
// limit. `day` empty: true.
bool ListedOn(const Entity& e, const std::string& day);

}  // namespace dualuse::lists

#endif  // DUALUSE_LISTS_ENTITY_H_
