// Due-diligence record for cyber-surveillance items (schema dualuse.due-diligence/1).
//
// Article 5(2) of Regulation (EU) 2021/821: an exporter "aware, according to
// its due diligence findings" that non-listed cyber-surveillance items are
// intended for use in connection with internal repression and/or serious
// violations of human rights or international humanitarian law must notify
// the competent authority. Commission Recommendation (EU) 2024/2659 sets out
// the steps recorded here: the item's capabilities and potential for misuse,
// the stakeholders (screening, end-user sector, prior misuse), the
// destination, red flags, mitigations, and the conclusion with its reasoning.
#ifndef DUALUSE_CLASSIFY_DUE_DILIGENCE_H_
#define DUALUSE_CLASSIFY_DUE_DILIGENCE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"

namespace dualuse::classify {

struct DdScreening {
  std::string status;  // "clear", "potential_match", "hit", "not_screened"
  std::vector<std::string> lists;
  std::string date;  // YYYY-MM-DD
  std::string details;
};

struct DdStakeholder {
  std::string role;  // consignee, end_user, intermediate_consignee, purchaser, broker, agent
  std::string name;
  std::string country;  // ISO 3166-1 alpha-2
  std::string sector;   // government_security, law_enforcement, intelligence, military,
                        // telecom_operator, private, academic, other
  DdScreening screening;
  bool prior_misuse_known = false;
  std::string prior_misuse_details;
  std::vector<std::string> sources;
};

struct DdRedFlag {
  std::string code;  // e.g. "covert_capabilities_marketed", "prior_misuse", "evasive_answers"
  bool present = false;
  std::string details;
};

struct DdMitigation {
  std::string kind;  // end_use_statement, contractual_assurance, limited_functionality,
                     // post_shipment_check, training_on_lawful_use, other
  std::string details;
  bool in_place = false;
};

struct DueDiligenceRecord {
  std::string reference;  // the transaction (assessment request `reference`)
  std::string date;       // YYYY-MM-DD
  std::string prepared_by;
  // Item.
  std::string item_description;
  std::vector<std::string> control_entries;  // [] = assessed as not listed
  std::optional<bool> cyber_surveillance;    // Article 2(20) answer
  std::string classification_record;         // "CR-..." (decision_tree.h)
  std::vector<std::string> capabilities;
  std::string misuse_potential;        // "low", "medium", "high"
  std::string misuse_potential_notes;  // how it could be misused
  // Stakeholders and destination.
  std::vector<DdStakeholder> stakeholders;
  std::string destination_country;
  bool human_rights_restrictive_measures = false;
  bool arms_embargo = false;
  std::string destination_notes;
  std::vector<DdRedFlag> red_flags;
  std::vector<DdMitigation> mitigations;
  // Conclusion.
  std::string conclusion;             // "aware", "suspect", "not_aware"
  std::vector<std::string> concerns;  // knowledge values: internal_repression, human_rights...
  std::string reasoning;
};

// Parses and validates (kInvalidArgument "<name>: <JSON path>: <expectation>").
// Checks: required fields, closed value lists, ISO dates and country shapes,
// Annex I code syntax, and that a conclusion of "aware" or "suspect" names at
// least one concern.
Result<DueDiligenceRecord> ParseDueDiligence(std::string_view json_text, const std::string& name);

// Points a person should look at again (not errors): e.g. "not_aware" although a
// stakeholder is a screening hit, prior misuse is known or a red flag is present
// without a mitigation in place.
std::vector<std::string> DueDiligenceWarnings(const DueDiligenceRecord& r);

std::string DueDiligenceToJson(const DueDiligenceRecord& r);  // canonical, pretty-printed
std::string DueDiligenceToText(const DueDiligenceRecord& r);

// The assessment request's `knowledge` that this record supports:
// aware -> {"aware": concerns}, suspect -> {"suspects": concerns}, not_aware -> {}.
// Concerns default to ["internal_repression"] (Article 5(1)-(3) uses).
struct Knowledge {
  std::vector<std::string> aware;
  std::vector<std::string> suspects;
};
Knowledge KnowledgeFromDueDiligence(const DueDiligenceRecord& r);

// A notification to the competent authority under Article 5(2), carrying the
// record. `authority` names the addressee (e.g. from the Member State layer);
// empty gives "the competent authority of the Member State where the exporter
// is established". kFailedPrecondition when the conclusion is "not_aware"
// (Article 5(2) does not require a notification then).
struct NotificationOptions {
  std::string authority;
  std::string exporter;
  std::string basis = "Regulation (EU) 2021/821, Article 5(2)";
};
Result<std::string> NotificationJson(const DueDiligenceRecord& r, const NotificationOptions& o);
Result<std::string> NotificationText(const DueDiligenceRecord& r, const NotificationOptions& o);

}  // namespace dualuse::classify

#endif  // DUALUSE_CLASSIFY_DUE_DILIGENCE_H_
