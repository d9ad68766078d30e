// The licensing authority's domain: what an exporter files, what
// the authority sees and decides, and what follows from a decision.
//
// Legal frame (docs/legal-reference.md R10/R11): Art 12 (types of
// authorisation), Art 15 (considerations, incl. Common Position
// 2008/944/CFSP), Art 16 (denials and consultation), Art 26 (transparency
// report) of Regulation (EU) 2021/821; notifications under Art 4(2) and 5(2).
// Everything here is plain data; the rules live in criteria.h, licence.h,
// denials.h and authority.h, and the legal texts in data/law/authority/.
#ifndef DUALUSE_AUTHORITY_TYPES_H_
#define DUALUSE_AUTHORITY_TYPES_H_

#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/date.h"

namespace dualuse::authority {

// An application for an authorisation (Art 3, 4(1), 5(1), ...), or a
// notification by an exporter who is aware of a sensitive end use (Art 4(2),
// 5(2)) on which the authority decides whether to impose a requirement.
enum class FilingKind { kApplication, kNotification };
const char* FilingKindName(FilingKind k);  // "application", "notification"
bool ParseFilingKind(const std::string& s, FilingKind* out);

// One item line of the filing, from the assessment request.
struct ItemLine {
  std::string id;
  std::string description;
  std::string kind;                          // goods / software / technology
  std::vector<std::string> control_entries;  // Annex I notation; empty = not listed
  bool cyber_surveillance = false;           // Art 2(20) answer
  double quantity = 0;
  double value_eur = 0;
  std::string classification_record;  // id of the classification record, if any
};

// A party with what screening found and what a reviewer decided about it.
struct PartyLine {
  std::string role;  // consignee, end_user, ...
  std::string name;
  std::string country;
  std::string type;
  std::string sector;
  std::string screening_status = "clear";      // clear / potential_match / hit / not_screened
  std::vector<std::string> screening_matches;  // "list:entity_id name (score)"
  std::string review_decision;                 // "", "dismissed: <reason>", "confirmed: ..."
};

// A finding of the determination the filing was made from.
struct Ground {
  std::string rule;  // e.g. "eu-2021-821/art-3-1"
  std::string basis;
  std::string effect;
  std::string summary;
};

struct DueDiligenceAnswer {
  std::string question;
  std::string answer;
};

// The exporter's notification to the competent authority, carried by the
// determination it filed (`determination.notification`, schema
// dualuse.notification/1, made by `dualuse assess` when the exporter is aware
// under Art 5(2), or Art 4(2); docs/assess-records.md). It rests on the
// due-diligence record it carries, whose SHA-256 was checked at filing.
struct NotificationLine {
  std::string basis;  // the article notified under, e.g. "Regulation (EU) 2021/821, Article 5(2)"
  std::string to;
  std::string from;
  std::string reference;
  std::string date;  // YYYY-MM-DD, as the exporter dated it
  std::string subject;
  std::string statement;  // what the exporter notified
  // The due-diligence record (dualuse.due-diligence/1): its id is the
  // transaction reference (docs/assess-records.md), record_sha256 the
  // SHA-256 of its canonical JSON.
  std::string record_id;
  std::string record_sha256;
  std::string conclusion;  // "aware" or "suspect"
  std::vector<std::string> concerns;
  std::string reasoning;
  std::string record_json;  // the record itself, a JSON object
};

struct Application {
  std::string id;  // assigned at filing: "APP-<n>"
  FilingKind kind = FilingKind::kApplication;
  Date filed_on;
  std::string filed_by;   // actor
  std::string reference;  // the exporter's reference of the request
  std::string activity;
  std::string exporter_name;
  std::string exporter_country;
  bool exporter_has_icp = false;
  std::string destination;  // ISO alpha-2
  std::string end_use;
  std::string requested_licence_type = "individual";  // individual / global
  std::vector<ItemLine> items;
  std::vector<PartyLine> parties;
  std::string verdict;                    // licence_required / notify_authority
  std::vector<Ground> grounds;            // findings that need the licence / notification
  std::vector<Ground> destination_facts;  // findings not tied to an item or party
  std::vector<DueDiligenceAnswer> due_diligence;
  std::optional<NotificationLine> notification;  // the determination's, when it has one

  // The end-user's party line, else the consignee's; nullptr if neither.
  const PartyLine* EndUser() const;
  bool HasCyberSurveillanceItem() const;
};

// Officer's answer on one criterion of the checklist (criteria.h).
enum class CriterionFinding { kNoConcern, kConcern, kClearRisk, kNotApplicable };
const char* CriterionFindingName(CriterionFinding f);  // "no_concern", "concern", ...
bool ParseCriterionFinding(const std::string& s, CriterionFinding* out);

struct CriterionAnswer {
  std::string criterion;  // id from data/law/authority/criteria.json
  CriterionFinding finding = CriterionFinding::kNoConcern;
  std::string reasoning;  // required, one or more sentences by the officer
};

struct CriteriaAssessment {
  std::string application_id;
  std::string officer;
  Date date;
  std::vector<CriterionAnswer> answers;
};

// A consultation of the authority that issued a denial, before deciding on an
// essentially identical transaction (Art 16(2)).
struct Consultation {
  std::string id;  // "CON-<n>"
  std::string application_id;
  std::string denial_id;
  std::string consulted_authority;
  Date date;
  std::string outcome;  // what the consulted authority said
};

enum class DecisionKind { kGrant, kDeny, kImposeRequirement, kNoRequirement };
const char* DecisionKindName(DecisionKind k);  // grant, deny, impose_requirement, no_requirement
bool ParseDecisionKind(const std::string& s, DecisionKind* out);

enum class LicenceType { kIndividual, kGlobal };
const char* LicenceTypeName(LicenceType t);
bool ParseLicenceType(const std::string& s, LicenceType* out);

// What a licence allows for one item line: a quantity and a value that
// bookings deplete. Empty optional = no limit of that kind (global licences).
struct Allowance {
  std::string item_id;
  std::optional<double> quantity;
  std::optional<double> value_eur;
};

struct Decision {
  std::string id;  // "DEC-<n>"
  std::string application_id;
  std::string officer;
  Date date;
  DecisionKind kind = DecisionKind::kGrant;
  // Grant only:
  LicenceType licence_type = LicenceType::kIndividual;
  Period validity;  // `until` is required for a grant
  std::vector<Allowance> allowances;
  // Deny / impose_requirement:
  std::string reason;
  std::vector<std::string> criteria;  // criterion ids the denial rests on
};

// A licence issued by a grant.
struct Licence {
  std::string id;  // "LIC-<n>"
  std::string application_id;
  std::string decision_id;
  std::string holder;
  std::string destination;
  LicenceType type = LicenceType::kIndividual;
  Period validity;
  std::vector<Allowance> allowances;
};

// An export booked against a licence (written off it).
struct Booking {
  std::string id;  // "BKG-<n>"
  std::string licence_id;
  Date date;
  std::string item_id;
  double quantity = 0;
  double value_eur = 0;
  std::string reference;  // customs declaration / shipment reference
};

// A denial (Art 16(1)): this authority's own, or one received from another.
struct Denial {
  std::string id;                 // unique across authorities: "<authority>-<ref>"
  std::string issuing_authority;  // Member State code, e.g. "NL"
  std::string application_id;     // when issued here
  Date issued_on;
  std::optional<Date> withdrawn_on;  // no longer in force from this date
  std::vector<std::string> entries;  // Annex I entries of the denied items
  std::string destination;
  std::string end_user_name;
  std::string end_user_country;
  std::string reason;
  std::vector<std::string> criteria;

  bool InForce(const Date& d) const {
    return issued_on <= d && (!withdrawn_on || d < *withdrawn_on);
  }
};

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_TYPES_H_
