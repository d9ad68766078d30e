// AssessmentRequest: one transaction to assess (docs/spec.md section 2,
// schema "dualuse.assessment/1"). Plain data; parse it from JSON with
// rules/codec.h and check it against the law and Annex I with
// Engine::Validate (rules/engine.h).
#ifndef DUALUSE_RULES_REQUEST_H_
#define DUALUSE_RULES_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/date.h"

namespace dualuse::rules {

enum class Activity {
  kExport,               // export procedure, re-export, outward processing
  kTransmission,         // software/technology sent or made available electronically
  kBrokering,            // brokering services between third countries
  kTransit,              // non-Union items passing through the Union
  kTechnicalAssistance,  // technical assistance to a third country
  kTransfer,             // intra-Union transfer to another Member State
};
const char* ActivityName(Activity a);  // "export", ...

enum class ItemKind { kGoods, kSoftware, kTechnology };
const char* ItemKindName(ItemKind k);

enum class PartyRole { kConsignee, kEndUser, kIntermediateConsignee, kPurchaser, kBroker, kAgent };
const char* PartyRoleName(PartyRole r);

enum class PartyType { kOrganization, kPerson, kVessel };
const char* PartyTypeName(PartyType t);

enum class Sector {
  kGovernmentSecurity,
  kLawEnforcement,
  kIntelligence,
  kMilitary,
  kTelecomOperator,
  kPrivate,
  kAcademic,
  kOther,
};
const char* SectorName(Sector s);

// Uses of concern (spec section 2, knowledge.*).
enum class Concern : uint8_t {
  kWmd,
  kMilitaryEndUse,
  kMilitaryPartsIllegallyExported,
  kInternalRepression,
  kPublicSecurity,
  kHumanRights,
};
inline constexpr int kConcernCount = 6;
const char* ConcernName(Concern c);

// A set of concerns, as a bit set.
struct ConcernSet {
  uint8_t bits = 0;
  bool Has(Concern c) const { return bits & (1u << static_cast<int>(c)); }
  void Add(Concern c) { bits |= static_cast<uint8_t>(1u << static_cast<int>(c)); }
  bool empty() const { return bits == 0; }
  bool operator==(const ConcernSet&) const = default;
};

// A classification record the item's classification rests on
// (items[].classification_records[], written by `dualuse assess` when it
// resolves items[].classification_record; schema dualuse.classification/1,
// see classify/integration.h). The determination cites it.
struct ClassificationCitation {
  std::string id;  // "CR-" + 16 hex
  std::string tree;
  std::string tree_version;
  std::string outcome;  // listed, not_listed, cyber_surveillance_item, ...
  std::vector<std::string> entries;
  std::optional<bool> cyber_surveillance;
  std::string who;
  std::string when;
  std::string annex_version;
  std::string record_sha256;  // of the canonical record JSON; "" when not given
};

// The due-diligence record (schema dualuse.due-diligence/1) behind the
// request's knowledge, as resolved from request.due_diligence.
struct DueDiligenceCitation {
  std::string reference;
  std::string conclusion;  // aware, suspect, not_aware
  std::vector<std::string> concerns;
  std::string date;
  std::string prepared_by;
  std::string record_sha256;  // of the canonical record JSON
  std::string record_json;    // the record itself (JSON text), carried into a notification
};

struct Item {
  std::string id;  // as given; "1", "2", ... by position when absent
  std::string description;
  ItemKind kind = ItemKind::kGoods;
  // Annex I entries ("5A001.j") and national-list entries ("NL:..."); empty =
  // assessed as not listed; nullopt = not yet classified.
  std::optional<std::vector<std::string>> control_entries;
  std::optional<bool> cyber_surveillance;  // Art 2(20) test; nullopt = unknown
  std::optional<double> quantity;
  std::optional<double> value_eur;
  std::string cn_code;
  std::vector<ClassificationCitation> classification_records;
};

struct Identifier {
  std::string type, value, country;
};

struct Party {
  PartyRole role = PartyRole::kEndUser;
  std::string name;
  std::string country;  // ISO alpha-2, may be empty
  PartyType type = PartyType::kOrganization;
  std::optional<Sector> sector;
  std::vector<std::string> aliases;
  std::string birth_date;
  std::vector<Identifier> identifiers;
};

struct Exporter {
  std::string name;
  std::string country;  // ISO alpha-2 of establishment
  std::optional<bool> has_icp;
};

struct Knowledge {
  ConcernSet informed;  // told by the competent authority
  ConcernSet aware;     // known to the exporter (Art 5: by its due diligence)
  ConcernSet suspects;  // grounds for suspecting
};

struct AssessmentRequest {
  std::string schema = "dualuse.assessment/1";
  // The reader's language of the determination's texts ("en", "nl";
  // messages/catalogue.h). Not part of the request JSON: set by the caller
  // (--lang, Accept-Language).
  std::string lang = "en";
  std::string reference;
  std::optional<Date> date;  // date of the export or service
  Activity activity = Activity::kExport;
  Exporter exporter;
  std::string destination;  // ISO alpha-2; for transfer the receiving Member State
  std::string origin;       // brokering: the third country the items leave
  std::vector<Item> items;
  std::vector<Party> parties;
  std::string end_use;  // end_use.description
  // end_use.country: the declared country of end use (ISO alpha-2), "" when not
  // given. Restrictive measures and arms embargoes apply to it as to the
  // destination (e.g. Regulation (EU) No 833/2014, Article 2: "for use in Russia").
  std::string end_use_country;
  Knowledge knowledge;
  // Facts some authorisations and exemptions depend on:
  // "after_repair_or_replacement", "temporary_export_exhibition", "intra_group",
  // "public_domain", "basic_scientific_research", "installation_maintenance_repair".
  std::vector<std::string> export_circumstances;
  std::optional<DueDiligenceCitation> due_diligence;
};

}  // namespace dualuse::rules

#endif  // DUALUSE_RULES_REQUEST_H_
