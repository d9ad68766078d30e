// The licensing authority: files applications and notifications, assembles
// case files, records the officer's assessment, consultations and decisions,
// issues licences and books exports against them, keeps and exchanges
// denials, and reports (Art 12, 15, 16, 26 of Regulation (EU) 2021/821).
//
// State is a fold over the append-only records of a Repository; nothing is
// updated in place. A rejected operation appends nothing.
#ifndef DUALUSE_AUTHORITY_AUTHORITY_H_
#define DUALUSE_AUTHORITY_AUTHORITY_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/authority/criteria.h"
#include "dualuse/authority/denials.h"
#include "dualuse/authority/licence.h"
#include "dualuse/authority/report.h"
#include "dualuse/authority/repository.h"
#include "dualuse/authority/types.h"
#include "dualuse/base/result.h"

namespace dualuse::authority {

struct AuthorityOptions {
  std::string authority_code = "NL";  // issuing authority of this authority's denials
  std::string authority_name = "Competent authority";
  NameMatcher matcher = NormalisedExactMatch;  // end-user test of Art 16(2)
  // Four eyes: a decision is taken by someone other than who recorded the
  // filing's criteria assessment. (The filer never decides its own filing.)
  bool four_eyes = false;
  std::string matcher_name = "normalised exact name match";
};

// What the authority role sees for one filing.
struct CaseFile {
  Application application;
  std::vector<DenialMatch> prior_denials;  // essentially identical, in force on as_of
  std::string matcher_name;
  std::optional<CriteriaAssessment> assessment;  // the latest one
  std::vector<Consultation> consultations;
  std::optional<Decision> decision;
  std::optional<Licence> licence;
  std::vector<Booking> bookings;
  std::vector<Remaining> remaining;
  // Denial ids of prior_denials without a recorded consultation: a grant is
  // refused while this is non-empty (Art 16(2)).
  std::vector<std::string> unconsulted_denials;
};
std::string CaseFileToJson(const CaseFile& c);

// Where one filing stands, for the exporter (GET /authority/status).
struct FilingStatus {
  Application application;
  bool assessed = false;             // a criteria assessment is recorded
  std::optional<Decision> decision;  // once decided
  std::optional<Licence> licence;    // once granted
};

// One licence in the authority's register (GET /authority/licences): the
// licence, where it stands on the date asked about, and per allowance what
// was granted, booked and is left, with the item line it covers.
struct LicenceEntry {
  Licence licence;
  LicenceStatus status = LicenceStatus::kActive;
  std::vector<Remaining> remaining;  // RemainingOnLicence, in allowance order
  std::vector<ItemLine> items;       // the application's line per allowance (same order)
  size_t bookings = 0;
  std::optional<Date> last_booked_on;
};

// What the register is filtered on; an empty field matches everything.
struct LicenceFilter {
  std::vector<LicenceStatus> statuses;  // any of these
  std::string holder;                   // part of the holder's name (NormaliseName on both)
  std::string destination;              // ISO 3166-1 alpha-2
  std::optional<LicenceType> type;
  std::string case_id;  // the application the licence was granted on
  // An Annex I entry: a licence matches when an item it covers is that entry
  // or under it (5A001 matches 5A001.j.2), or, for a one- or two-character
  // category or product group ("5", "5A"), when an entry starts with it.
  std::string entry;
};
bool LicenceMatches(const LicenceEntry& e, const LicenceFilter& f);

// {"as_of": D, "licences": [...]} (web/openapi.json, LicenceRegister).
std::string LicencesToJson(const std::vector<LicenceEntry>& entries, const Date& as_of);

class Authority {
 public:
  Authority(Repository* repo, std::shared_ptr<const CriteriaCatalogue> catalogue,
            AuthorityOptions options = {});

  // Records a filing; assigns and returns its id. InvalidArgument when it has
  // no items or no destination.
  // `organisation`: the filer's (kept with the filing; see Book()).
  Result<Application> File(Application app, const std::string& actor,
                           const std::string& organisation = "");
  Result<CaseFile> Case(const std::string& application_id, const Date& as_of) const;
  Result<std::vector<Application>> Applications() const;
  // Every filing with where it stands, in the order filed, from one fold of
  // the records (not one case file per filing).
  Result<std::vector<FilingStatus>> FilingStatuses() const;
  // The licences issued, in the order issued, as they stood on `as_of`
  // (amounts used count the exports booked with a date on or before it;
  // status per LicenceStatusOn), that match `filter`.
  Result<std::vector<LicenceEntry>> Licences(const Date& as_of,
                                             const LicenceFilter& filter = {}) const;

  // The officer's checklist (ValidateAssessment). Not after a decision.
  Status Assess(const CriteriaAssessment& a, const std::string& actor);
  // Records that `denial_id`'s issuer was consulted on the application.
  Result<Consultation> Consult(Consultation c, const std::string& actor);
  // Decides a filing once. Grant: application only; needs an assessment
  // without mandatory-denial criteria, a consultation for every matching
  // denial in force, a validity end after its start, and allowances for
  // existing items within what was applied for; issues a Licence. Deny:
  // application only, needs an assessment, a reason and criteria; records a
  // Denial (Art 16(1)). Impose/no requirement: notifications only.
  Result<Decision> Decide(Decision d, const std::string& actor);
  // Books an export against a licence (CheckBooking), else FailedPrecondition.
  Result<Booking> Book(Booking b, const std::string& actor);
  // Who may book on `licence_id`: the filer of the application it was
  // granted on, and its organisation (Application::filed_by*). kNotFound.
  Result<std::pair<std::string, std::string>> HolderOf(const std::string& licence_id) const;

  // Denials in force or not, own and received.
  Result<std::vector<Denial>> Denials() const;
  // Records denials received from another authority; returns how many were
  // new. An id already held with the same content is skipped; with other
  // content it is AlreadyExists (nothing recorded).
  Result<int> ImportDenials(std::string_view json, const std::string& name,
                            const std::string& actor);
  Result<std::string> ExportDenials(const Date& today) const;

  Result<TransparencyReport> Report(int year) const;
  // The decision letter for `decision_id`, as a self-contained HTML page.
  // The decision letter (HTML) in `lang` ("en", "nl"; data/messages).
  Result<std::string> DecisionLetter(const std::string& decision_id,
                                     const std::string& lang = "en") const;

  const CriteriaCatalogue& catalogue() const { return *catalogue_; }
  const AuthorityOptions& options() const { return options_; }

 private:
  struct State;
  Result<State> Load() const;
  // One attempt of each operation that numbers a record (mu_ held).
  Result<Consultation> ConsultLocked(Consultation c, const std::string& actor);
  Result<Decision> DecideLocked(Decision d, const std::string& actor);
  Result<Booking> BookLocked(Booking b, const std::string& actor);

  Repository* repo_;
  std::shared_ptr<const CriteriaCatalogue> catalogue_;
  AuthorityOptions options_;
  // Serialises read-decide-append within this process; across processes
  // the repository's claims do (Record::claims).
  mutable std::mutex mu_;
};

// The letter for a decision (HTML) in `lang` (the texts of data/messages,
// "letter.*"). Citations come from the catalogue's data, in `lang` where it
// has them (Citation::texts); the administrative remedy of the authority's
// Member State is stated where the data records it ("objection_<code>").
std::string RenderDecisionLetter(const Application& app, const Decision& d,
                                 const std::optional<CriteriaAssessment>& assessment,
                                 const std::vector<Consultation>& consultations,
                                 const std::optional<Licence>& licence,
                                 const CriteriaCatalogue& catalogue,
                                 const AuthorityOptions& options, const std::string& lang = "en");

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_AUTHORITY_H_
