// Determination: the answer to one AssessmentRequest (docs/spec.md section
// 3, schema "dualuse.determination/1"). Plain data; serialise with
// rules/codec.h. Produced by Engine::Assess (rules/engine.h).
#ifndef DUALUSE_RULES_DETERMINATION_H_
#define DUALUSE_RULES_DETERMINATION_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/screening/screener.h"

namespace dualuse::rules {

// Effects of findings, most severe first. The first six are also verdicts.
enum class Effect {
  kProhibited,
  kLicenceRequired,
  kNotifyAuthority,
  kNeedsClassification,
  kGeneralAuthorisation,
  kNoLicenceRequired,
  kRedFlag,
  kInformation,
};
const char* EffectName(Effect e);  // "prohibited", ..., "red_flag", "information"
// Lower is more severe; red_flag and information never decide a verdict.
inline int Severity(Effect e) { return static_cast<int>(e); }

// Rule ids of the findings that cite the records a request rests on.
inline constexpr const char* kClassificationRecordRule = "record/classification";
inline constexpr const char* kDueDiligenceRecordRule = "record/due-diligence";

// The record a finding cites: a classification record or a due-diligence record.
struct RecordRef {
  std::string kind;    // "classification" or "due_diligence"
  std::string id;      // "CR-..."; for due diligence the transaction reference
  std::string sha256;  // of the canonical record JSON
};

struct Finding {
  std::string rule;   // stable id, "eu-2021-821/art-5-2", "rm/ru-833-2014-art-2"
  std::string basis;  // act, article and paragraph in force on as_of
  Effect effect = Effect::kInformation;
  std::string item;          // the request item's id, "" when not about one item
  std::optional<int> party;  // index into request.parties
  std::string summary;
  std::string verification;         // evidence level of the legal fact behind it: V, S, K
  std::string covered_by;           // a general authorisation that covers this requirement
  std::optional<RecordRef> record;  // the record this finding cites, if any
};

struct GeneralAuthorisationResult {
  std::string id;  // "EU001"
  std::string title;
  std::string basis;  // "Regulation (EU) 2021/821, Article 12(1)(d) and Annex II, Section A"
  bool applicable = false;
  std::string reason;
  std::vector<std::string> items;       // item ids it covers (when applicable)
  std::vector<std::string> conditions;  // conditions the exporter must meet (texts)
};

struct PartyScreening {
  int party = 0;
  std::string role;
  std::string status;  // "clear", "potential_match", "hit", "not_screened"
  std::vector<screening::ScreeningHit> matches;
};

struct DataVersions {
  std::string law;                           // LawData::version()
  std::string annex_i;                       // ControlList::version()
  std::map<std::string, std::string> lists;  // list id -> version
};

struct Determination {
  std::string schema = "dualuse.determination/1";
  std::string reference;
  // The language of the human-readable texts (summary, reason, obligations,
  // caveats, review_reasons); codes, rule ids and bases are the same in every
  // language. Serialised as "lang" only when not "en".
  std::string lang = "en";
  Date as_of;
  std::string regime;      // "eu-428-2009" or "eu-2021-821"
  std::string regime_act;  // "Regulation (EU) 2021/821"
  Effect verdict = Effect::kNoLicenceRequired;
  // An individual or global authorisation is needed (a requirement not
  // covered by a general authorisation).
  bool licence_required = false;
  bool review_required = false;
  std::vector<Finding> findings;
  std::vector<GeneralAuthorisationResult> authorisations;
  std::vector<PartyScreening> screening;
  std::vector<std::string> review_reasons;
  std::vector<std::string> obligations;
  // What the verdict does not cover (catch-alls triggered later, lists used).
  std::vector<std::string> caveats;
  std::string competent_authority;  // of the exporter's Member State, when known
  DataVersions data_versions;
  // The notification to the competent authority (schema dualuse.notification/1,
  // JSON text) when the verdict is notify_authority and the request carries a
  // due-diligence record; "" otherwise. Set by the caller that resolved the
  // record (classify/integration.h NotificationFor), not by Engine::Assess.
  std::string notification;
};

}  // namespace dualuse::rules

#endif  // DUALUSE_RULES_DETERMINATION_H_
