#include "dualuse/authority/authority.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "authority/json_util.h"
#include "dualuse/authority/codec.h"

namespace dualuse::authority {

using internal::FormatNumber;
using internal::Json;

struct Authority::State {
  std::vector<std::string> app_order;
  std::map<std::string, Application> apps;
  std::map<std::string, CriteriaAssessment> assessments;  // latest per filing
  std::map<std::string, std::string> assessed_by;         // its record's actor
  std::vector<Consultation> consultations;
  std::map<std::string, Decision> decisions;  // by id
  std::map<std::string, std::string> decision_of_app;
  std::map<std::string, Licence> licences;  // by id
  std::vector<std::string> licence_order;   // ids in the order issued
  std::map<std::string, std::string> licence_of_app;
  std::vector<Booking> bookings;
  std::vector<Denial> denials;
  std::map<std::string, size_t> counts;  // records per kind, for ids

  std::string NextId(const char* kind, const char* prefix) const {
    auto it = counts.find(kind);
    return std::string(prefix) + "-" + std::to_string((it == counts.end() ? 0 : it->second) + 1);
  }
  const Denial* FindDenial(const std::string& id) const {
    for (const auto& d : denials) {
      if (d.id == id) return &d;
    }
    return nullptr;
  }
};

namespace {

template <typename T>
Status Fold(Result<T> r, T* out) {
  if (!r) return Status::DataLoss("authority record does not parse: " + r.error().message());
  *out = std::move(*r);
  return Status::Ok();
}

Record MakeRecord(const char* kind, const std::string& id, std::string payload,
                  const std::string& actor) {
  Record r;
  r.kind = kind;
  r.id = id;
  r.payload = std::move(payload);
  r.actor = actor;
  // Every numbered object's number is unique in the repository; an
  // assessment is keyed by its filing and may be repeated.
  if (std::string(kind) != kAssessmentRecord) r.claims.push_back(std::string(kind) + ":" + id);
  return r;
}

// Ids come from the records folded by Load() (NextId), and the
// repository's claims make them unique. When another process took an id
// (or decided the filing) since Load(), the append fails with
// kAlreadyExists and nothing was written: the operation runs again on the
// new state, which either numbers past the other record or refuses (e.g.
// "already decided").
// Losers back off for a random while that grows with the attempts, so that
// a crowd of writers spreads out instead of colliding again in step.
template <typename F>
auto Retrying(F&& op) -> decltype(op()) {
  constexpr int kAttempts = 64;
  thread_local std::minstd_rand rng(
      static_cast<unsigned>(std::hash<std::thread::id>()(std::this_thread::get_id())));
  for (int attempt = 1;; ++attempt) {
    auto r = op();
    if (r.ok() || r.error().code() != StatusCode::kAlreadyExists || attempt >= kAttempts) return r;
    const int cap_us = 200 * std::min(attempt, 20);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % cap_us));
  }
}

}  // namespace

Authority::Authority(Repository* repo, std::shared_ptr<const CriteriaCatalogue> catalogue,
                     AuthorityOptions options)
    : repo_(repo), catalogue_(std::move(catalogue)), options_(std::move(options)) {}

Result<Authority::State> Authority::Load() const {
  DU_ASSIGN_OR_RETURN(std::vector<Record> records, repo_->Records());
  State s;
  for (const auto& rec : records) {
    ++s.counts[rec.kind];
    const std::string name = "record " + rec.kind + " " + rec.id;
    if (rec.kind == kFilingRecord) {
      Application a;
      DU_RETURN_IF_ERROR(Fold(ApplicationFromJson(rec.payload, name), &a));
      s.app_order.push_back(a.id);
      s.apps[a.id] = std::move(a);
    } else if (rec.kind == kAssessmentRecord) {
      CriteriaAssessment a;
      DU_RETURN_IF_ERROR(Fold(AssessmentFromJson(rec.payload, name), &a));
      s.assessed_by[a.application_id] = rec.actor;
      s.assessments[a.application_id] = std::move(a);
    } else if (rec.kind == kConsultationRecord) {
      Consultation c;
      DU_RETURN_IF_ERROR(Fold(ConsultationFromJson(rec.payload, name), &c));
      s.consultations.push_back(std::move(c));
    } else if (rec.kind == kDecisionRecord) {
      Decision d;
      DU_RETURN_IF_ERROR(Fold(DecisionFromJson(rec.payload, name), &d));
      s.decision_of_app[d.application_id] = d.id;
      s.decisions[d.id] = std::move(d);
    } else if (rec.kind == kLicenceRecord) {
      Licence l;
      DU_RETURN_IF_ERROR(Fold(LicenceFromJson(rec.payload, name), &l));
      s.licence_of_app[l.application_id] = l.id;
      s.licence_order.push_back(l.id);
      s.licences[l.id] = std::move(l);
    } else if (rec.kind == kBookingRecord) {
      Booking b;
      DU_RETURN_IF_ERROR(Fold(BookingFromJson(rec.payload, name), &b));
      s.bookings.push_back(std::move(b));
    } else if (rec.kind == kDenialRecord) {
      Denial d;
      DU_RETURN_IF_ERROR(Fold(DenialFromJson(rec.payload, name), &d));
      s.denials.push_back(std::move(d));
    }
  }
  return s;
}

Result<Application> Authority::File(Application app, const std::string& actor,
                                    const std::string& organisation) {
  if (app.items.empty()) return Status::InvalidArgument("filing: expected at least one item");
  if (app.destination.empty()) return Status::InvalidArgument("filing: expected a destination");
  if (app.exporter_name.empty()) return Status::InvalidArgument("filing: expected the exporter");
  std::lock_guard<std::mutex> lock(mu_);
  return Retrying([&]() -> Result<Application> {
    DU_ASSIGN_OR_RETURN(State s, Load());
    app.id = s.NextId(kFilingRecord, "APP");
    app.filed_by = actor;
    app.filed_by_organisation = organisation;
    DU_RETURN_IF_ERROR(repo_->Append(MakeRecord(kFilingRecord, app.id, ToJson(app), actor)));
    return app;
  });
}

Result<std::vector<FilingStatus>> Authority::FilingStatuses() const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  std::vector<FilingStatus> out;
  for (const auto& id : s.app_order) {
    FilingStatus f;
    f.application = s.apps.at(id);
    f.assessed = s.assessments.count(id) > 0;
    if (auto d = s.decision_of_app.find(id); d != s.decision_of_app.end())
      f.decision = s.decisions.at(d->second);
    if (auto l = s.licence_of_app.find(id); l != s.licence_of_app.end())
      f.licence = s.licences.at(l->second);
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<Application>> Authority::Applications() const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  std::vector<Application> out;
  for (const auto& id : s.app_order)
    out.push_back(s.apps.at(id));
  return out;
}

namespace {

// `entry` is `filter` or under it in Annex I notation, or starts with a
// one- or two-character category / product group filter.
bool EntryUnder(const std::string& entry, const std::string& filter) {
  if (entry.rfind(filter, 0) != 0) return false;
  return entry.size() == filter.size() || entry[filter.size()] == '.' || filter.size() <= 2;
}

}  // namespace

bool LicenceMatches(const LicenceEntry& e, const LicenceFilter& f) {
  const Licence& l = e.licence;
  if (!f.statuses.empty() &&
      std::find(f.statuses.begin(), f.statuses.end(), e.status) == f.statuses.end()) {
    return false;
  }
  if (!f.holder.empty() &&
      NormaliseName(l.holder).find(NormaliseName(f.holder)) == std::string::npos) {
    return false;
  }
  if (!f.destination.empty() && l.destination != f.destination) return false;
  if (f.type && l.type != *f.type) return false;
  if (!f.case_id.empty() && l.application_id != f.case_id) return false;
  if (!f.entry.empty()) {
    bool any = false;
    for (const auto& item : e.items) {
      for (const auto& c : item.control_entries)
        any |= EntryUnder(c, f.entry);
    }
    if (!any) return false;
  }
  return true;
}

Result<std::vector<LicenceEntry>> Authority::Licences(const Date& as_of,
                                                      const LicenceFilter& filter) const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  // The register as it stood on as_of: exports dated after it are not counted.
  std::map<std::string, std::vector<Booking>> bookings;  // by licence id
  for (const auto& b : s.bookings) {
    if (!(as_of < b.date)) bookings[b.licence_id].push_back(b);
  }
  std::vector<LicenceEntry> out;
  for (const auto& id : s.licence_order) {
    LicenceEntry e;
    e.licence = s.licences.at(id);
    const std::vector<Booking>& booked = bookings[id];
    e.remaining = RemainingOnLicence(e.licence, booked);
    e.status = LicenceStatusOn(e.licence, e.remaining, as_of);
    e.bookings = booked.size();
    for (const auto& b : booked) {
      if (!e.last_booked_on || *e.last_booked_on < b.date) e.last_booked_on = b.date;
    }
    auto app = s.apps.find(e.licence.application_id);
    for (const auto& a : e.licence.allowances) {
      ItemLine line;
      line.id = a.item_id;
      if (app != s.apps.end()) {
        for (const auto& i : app->second.items) {
          if (i.id == a.item_id) line = i;
        }
      }
      e.items.push_back(std::move(line));
    }
    if (LicenceMatches(e, filter)) out.push_back(std::move(e));
  }
  return out;
}

Result<CaseFile> Authority::Case(const std::string& application_id, const Date& as_of) const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  auto it = s.apps.find(application_id);
  if (it == s.apps.end()) return Status::NotFound("no filing " + application_id);
  CaseFile c;
  c.application = it->second;
  c.matcher_name = options_.matcher_name;
  c.prior_denials = FindEssentiallyIdentical(c.application, s.denials, as_of, options_.matcher);
  if (auto a = s.assessments.find(application_id); a != s.assessments.end())
    c.assessment = a->second;
  for (const auto& con : s.consultations) {
    if (con.application_id == application_id) c.consultations.push_back(con);
  }
  for (const auto& m : c.prior_denials) {
    bool consulted = std::any_of(c.consultations.begin(), c.consultations.end(),
                                 [&](const Consultation& x) { return x.denial_id == m.denial_id; });
    if (!consulted) c.unconsulted_denials.push_back(m.denial_id);
  }
  if (auto d = s.decision_of_app.find(application_id); d != s.decision_of_app.end()) {
    c.decision = s.decisions.at(d->second);
  }
  if (auto l = s.licence_of_app.find(application_id); l != s.licence_of_app.end()) {
    c.licence = s.licences.at(l->second);
    for (const auto& b : s.bookings) {
      if (b.licence_id == c.licence->id) c.bookings.push_back(b);
    }
    c.remaining = RemainingOnLicence(*c.licence, c.bookings);
  }
  return c;
}

Status Authority::Assess(const CriteriaAssessment& a, const std::string& actor) {
  DU_RETURN_IF_ERROR(ValidateAssessment(a, *catalogue_));
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  if (!s.apps.count(a.application_id)) return Status::NotFound("no filing " + a.application_id);
  if (s.decision_of_app.count(a.application_id)) {
    return Status::FailedPrecondition(a.application_id + " is already decided (" +
                                      s.decision_of_app.at(a.application_id) +
                                      "); the assessment can no longer change");
  }
  return repo_->Append(MakeRecord(kAssessmentRecord, a.application_id, ToJson(a), actor));
}

Result<Consultation> Authority::Consult(Consultation c, const std::string& actor) {
  if (c.outcome.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("consultation: expected the outcome of the consultation");
  }
  std::lock_guard<std::mutex> lock(mu_);
  return Retrying([&]() { return ConsultLocked(c, actor); });
}

Result<Consultation> Authority::ConsultLocked(Consultation c, const std::string& actor) {
  DU_ASSIGN_OR_RETURN(State s, Load());
  if (!s.apps.count(c.application_id)) return Status::NotFound("no filing " + c.application_id);
  const Denial* d = s.FindDenial(c.denial_id);
  if (!d) return Status::NotFound("no denial " + c.denial_id);
  if (s.decision_of_app.count(c.application_id)) {
    return Status::FailedPrecondition(c.application_id + " is already decided (" +
                                      s.decision_of_app.at(c.application_id) +
                                      "); a consultation can no longer change it");
  }
  if (c.consulted_authority.empty()) c.consulted_authority = d->issuing_authority;
  c.id = s.NextId(kConsultationRecord, "CON");
  DU_RETURN_IF_ERROR(repo_->Append(MakeRecord(kConsultationRecord, c.id, ToJson(c), actor)));
  return c;
}

Result<Decision> Authority::Decide(Decision d, const std::string& actor) {
  std::lock_guard<std::mutex> lock(mu_);
  return Retrying([&]() { return DecideLocked(d, actor); });
}

Result<Decision> Authority::DecideLocked(Decision d, const std::string& actor) {
  DU_ASSIGN_OR_RETURN(State s, Load());
  auto it = s.apps.find(d.application_id);
  if (it == s.apps.end()) return Status::NotFound("no filing " + d.application_id);
  const Application& app = it->second;
  if (auto prev = s.decision_of_app.find(app.id); prev != s.decision_of_app.end()) {
    return Status::FailedPrecondition(app.id + " is already decided (" + prev->second + ")");
  }
  const bool is_application = app.kind == FilingKind::kApplication;
  const bool for_application = d.kind == DecisionKind::kGrant || d.kind == DecisionKind::kDeny;
  if (is_application != for_application) {
    return Status::InvalidArgument(
        std::string("decision \"") + DecisionKindName(d.kind) + "\" does not fit a " +
        FilingKindName(app.kind) +
        (is_application ? " (expected grant or deny)"
                        : " (expected impose_requirement or no_requirement: Art 4(2), 5(2))"));
  }
  if (d.date < app.filed_on) {
    return Status::InvalidArgument("decision date " + d.date.ToString() +
                                   " is before the filing date " + app.filed_on.ToString());
  }
  // Separation of duties: the exporter side files, the authority decides;
  // with four eyes, not the officer who assessed the criteria either.
  if (!app.filed_by.empty() && app.filed_by == actor) {
    return Status::FailedPrecondition(app.id + ": " + actor +
                                      " filed it and may not decide it (separation of duties)");
  }
  if (options_.four_eyes) {
    auto by = s.assessed_by.find(app.id);
    if (by != s.assessed_by.end() && by->second == actor) {
      return Status::FailedPrecondition(
          app.id + ": " + actor +
          " recorded the criteria assessment; under the four-eyes rule another officer decides");
    }
  }
  auto assessment = s.assessments.find(app.id);
  if (is_application && assessment == s.assessments.end()) {
    return Status::FailedPrecondition(app.id +
                                      ": no criteria assessment recorded; assess the application "
                                      "against Art 15 and the Common Position first");
  }
  std::vector<Record> out;
  d.id = s.NextId(kDecisionRecord, "DEC");
  d.officer = d.officer.empty() ? actor : d.officer;
  if (d.kind == DecisionKind::kGrant) {
    auto mandatory = MandatoryDenialCriteria(assessment->second, *catalogue_);
    if (!mandatory.empty()) {
      std::string list;
      for (const auto& m : mandatory)
        list += (list.empty() ? "" : ", ") + m;
      return Status::FailedPrecondition("grant refused: the assessment found a clear risk under " +
                                        list + ", which requires a denial");
    }
    auto matches = FindEssentiallyIdentical(app, s.denials, d.date, options_.matcher);
    for (const auto& m : matches) {
      bool consulted =
          std::any_of(s.consultations.begin(), s.consultations.end(), [&](const Consultation& c) {
            return c.application_id == app.id && c.denial_id == m.denial_id;
          });
      if (!consulted) {
        return Status::FailedPrecondition(
            "grant refused: " + app.id + " is essentially identical to denial " + m.denial_id +
            " of " + m.issuing_authority + " in force (Art 16(2)); record a consultation of " +
            m.issuing_authority + " first");
      }
    }
    if (!d.validity.until || !(d.validity.from < *d.validity.until)) {
      return Status::InvalidArgument(
          "grant: expected a validity period with an end after its start");
    }
    std::set<std::string> seen;
    for (const auto& a : d.allowances) {
      auto item = std::find_if(app.items.begin(), app.items.end(),
                               [&](const ItemLine& i) { return i.id == a.item_id; });
      if (item == app.items.end()) {
        return Status::InvalidArgument("grant: allowance for unknown item " + a.item_id);
      }
      if (!seen.insert(a.item_id).second) {
        return Status::InvalidArgument("grant: two allowances for item " + a.item_id);
      }
      if (a.quantity &&
          (*a.quantity <= 0 || (item->quantity > 0 && *a.quantity > item->quantity))) {
        return Status::InvalidArgument("grant: item " + a.item_id + " quantity " +
                                       FormatNumber(*a.quantity) + " must be > 0 and at most the " +
                                       FormatNumber(item->quantity) + " applied for");
      }
      if (a.value_eur &&
          (*a.value_eur < 0 || (item->value_eur > 0 && *a.value_eur > item->value_eur))) {
        return Status::InvalidArgument("grant: item " + a.item_id + " value EUR " +
                                       FormatNumber(*a.value_eur) + " must be at most the " +
                                       FormatNumber(item->value_eur) + " applied for");
      }
      if (d.licence_type == LicenceType::kIndividual && (!a.quantity || !a.value_eur)) {
        return Status::InvalidArgument(
            "grant: an individual licence needs a quantity and a value "
            "for item " +
            a.item_id);
      }
    }
    if (d.licence_type == LicenceType::kIndividual && d.allowances.empty()) {
      return Status::InvalidArgument(
          "grant: an individual licence needs an allowance per item granted");
    }
    Licence l;
    l.id = s.NextId(kLicenceRecord, "LIC");
    l.application_id = app.id;
    l.decision_id = d.id;
    l.holder = app.exporter_name;
    l.destination = app.destination;
    l.type = d.licence_type;
    l.validity = d.validity;
    l.allowances = d.allowances;
    if (l.allowances.empty()) {  // a global licence without limits covers every item
      for (const auto& i : app.items)
        l.allowances.push_back({i.id, std::nullopt, std::nullopt});
    }
    out.push_back(MakeRecord(kDecisionRecord, d.id, ToJson(d), actor));
    out.push_back(MakeRecord(kLicenceRecord, l.id, ToJson(l), actor));
  } else if (d.kind == DecisionKind::kDeny) {
    if (d.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument("deny: expected the reason");
    }
    if (d.criteria.empty())
      return Status::InvalidArgument("deny: expected the criteria it rests on");
    for (const auto& c : d.criteria) {
      if (!catalogue_->Find(c)) {
        return Status::InvalidArgument("deny: \"" + c + "\" is not a criterion of the catalogue");
      }
      // The denial rests on the officer's own assessment: each criterion it
      // cites must have been found a concern or a clear risk.
      for (const auto& x : assessment->second.answers) {
        if (x.criterion == c && x.finding != CriterionFinding::kConcern &&
            x.finding != CriterionFinding::kClearRisk) {
          return Status::FailedPrecondition(
              "deny: criterion " + c + " was assessed " + CriterionFindingName(x.finding) +
              "; a denial rests on criteria assessed as concern or clear_risk");
        }
      }
    }
    d.allowances.clear();
    Denial den;
    den.id = options_.authority_code + "-" + s.NextId(kDenialRecord, "DEN");
    den.issuing_authority = options_.authority_code;
    den.application_id = app.id;
    den.issued_on = d.date;
    for (const auto& i : app.items) {
      den.entries.insert(den.entries.end(), i.control_entries.begin(), i.control_entries.end());
    }
    den.destination = app.destination;
    if (const PartyLine* eu = app.EndUser()) {
      den.end_user_name = eu->name;
      den.end_user_country = eu->country;
    }
    den.reason = d.reason;
    den.criteria = d.criteria;
    out.push_back(MakeRecord(kDecisionRecord, d.id, ToJson(d), actor));
    // Art 16(1) denials are recorded for exchange; a catch-all application
    // without Annex I entries has no entry family to match on later.
    if (!den.entries.empty()) out.push_back(MakeRecord(kDenialRecord, den.id, ToJson(den), actor));
  } else {
    if (d.kind == DecisionKind::kImposeRequirement &&
        d.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument("impose_requirement: expected the reason");
    }
    d.allowances.clear();
    out.push_back(MakeRecord(kDecisionRecord, d.id, ToJson(d), actor));
  }
  // One decision per filing, whichever process decides it.
  out.front().claims.push_back("authority_decision_of:" + app.id);
  DU_RETURN_IF_ERROR(repo_->AppendAll(out));
  return d;
}

Result<Booking> Authority::Book(Booking b, const std::string& actor) {
  std::lock_guard<std::mutex> lock(mu_);
  // A booking checked against a balance another process has since booked
  // from loses its number and is checked again against the new balance.
  return Retrying([&]() { return BookLocked(b, actor); });
}

Result<std::pair<std::string, std::string>> Authority::HolderOf(
    const std::string& licence_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  auto l = s.licences.find(licence_id);
  if (l == s.licences.end()) return Status::NotFound("no licence " + licence_id);
  auto app = s.apps.find(l->second.application_id);
  if (app == s.apps.end()) return Status::NotFound("no filing " + l->second.application_id);
  return std::make_pair(app->second.filed_by, app->second.filed_by_organisation);
}

Result<Booking> Authority::BookLocked(Booking b, const std::string& actor) {
  DU_ASSIGN_OR_RETURN(State s, Load());
  auto it = s.licences.find(b.licence_id);
  if (it == s.licences.end()) return Status::NotFound("no licence " + b.licence_id);
  DU_RETURN_IF_ERROR(CheckBooking(it->second, s.bookings, b));
  b.id = s.NextId(kBookingRecord, "BKG");
  DU_RETURN_IF_ERROR(repo_->Append(MakeRecord(kBookingRecord, b.id, ToJson(b), actor)));
  return b;
}

Result<std::vector<Denial>> Authority::Denials() const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  return std::move(s.denials);
}

Result<int> Authority::ImportDenials(std::string_view json, const std::string& name,
                                     const std::string& actor) {
  DU_ASSIGN_OR_RETURN(std::vector<Denial> incoming, DenialsFromJson(json, name));
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  std::vector<Record> out;
  for (const auto& d : incoming) {
    if (const Denial* have = s.FindDenial(d.id)) {
      if (ToJson(*have) == ToJson(d)) continue;
      return Status::AlreadyExists(name + ": denial " + d.id +
                                   " is already held with different content; nothing imported");
    }
    out.push_back(MakeRecord(kDenialRecord, d.id, ToJson(d), actor));
  }
  if (!out.empty()) DU_RETURN_IF_ERROR(repo_->AppendAll(out));
  return static_cast<int>(out.size());
}

Result<std::string> Authority::ExportDenials(const Date& today) const {
  DU_ASSIGN_OR_RETURN(std::vector<Denial> all, Denials());
  return DenialsToJson(all, options_.authority_code, today);
}

Result<TransparencyReport> Authority::Report(int year) const {
  DU_ASSIGN_OR_RETURN(std::vector<Record> records, repo_->Records());
  return BuildTransparencyReport(records, year);
}

Result<std::string> Authority::DecisionLetter(const std::string& decision_id,
                                              const std::string& lang) const {
  std::lock_guard<std::mutex> lock(mu_);
  DU_ASSIGN_OR_RETURN(State s, Load());
  auto it = s.decisions.find(decision_id);
  if (it == s.decisions.end()) return Status::NotFound("no decision " + decision_id);
  const Decision& d = it->second;
  const Application& app = s.apps.at(d.application_id);
  std::optional<CriteriaAssessment> assessment;
  if (auto a = s.assessments.find(app.id); a != s.assessments.end()) assessment = a->second;
  std::vector<Consultation> cons;
  for (const auto& c : s.consultations) {
    if (c.application_id == app.id) cons.push_back(c);
  }
  std::optional<Licence> licence;
  if (auto l = s.licence_of_app.find(app.id); l != s.licence_of_app.end()) {
    licence = s.licences.at(l->second);
  }
  return RenderDecisionLetter(app, d, assessment, cons, licence, *catalogue_, options_, lang);
}

std::string LicencesToJson(const std::vector<LicenceEntry>& entries, const Date& as_of) {
  auto opt = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  Json list = Json::array();
  for (const auto& e : entries) {
    const Licence& l = e.licence;
    Json items = Json::array();
    for (size_t i = 0; i < l.allowances.size(); ++i) {
      const Allowance& a = l.allowances[i];
      const ItemLine& line = e.items[i];
      const Remaining& r = e.remaining[i];
      items.push_back(
          {{"item_id", a.item_id},
           {"description", line.description},
           {"control_entries", line.control_entries},
           {"granted", {{"quantity", opt(a.quantity)}, {"value_eur", opt(a.value_eur)}}},
           {"used", {{"quantity", r.booked_quantity}, {"value_eur", r.booked_value_eur}}},
           {"remaining", {{"quantity", opt(r.quantity)}, {"value_eur", opt(r.value_eur)}}}});
    }
    list.push_back(
        {{"licence_number", l.id},
         {"case_id", l.application_id},
         {"decision_id", l.decision_id},
         {"holder", l.holder},
         {"destination", l.destination},
         {"type", LicenceTypeName(l.type)},
         {"validity",
          {{"from", l.validity.from.ToString()},
           {"until", l.validity.until ? Json(l.validity.until->ToString()) : Json(nullptr)}}},
         {"status", LicenceStatusName(e.status)},
         {"items", items},
         {"bookings", e.bookings},
         {"last_booked_on",
          e.last_booked_on ? Json(e.last_booked_on->ToString()) : Json(nullptr)}});
  }
  Json j = {
      {"schema", "dualuse.authority-licences/1"}, {"as_of", as_of.ToString()}, {"licences", list}};
  return j.dump();
}

std::string CaseFileToJson(const CaseFile& c) {
  Json j;
  j["schema"] = "dualuse.authority-case/1";
  j["application"] = Json::parse(ToJson(c.application));
  Json pd = Json::array();
  for (const auto& m : c.prior_denials) {
    pd.push_back({{"denial_id", m.denial_id},
                  {"issuing_authority", m.issuing_authority},
                  {"shared_entry_families", m.shared_families},
                  {"end_user", m.end_user_explanation}});
  }
  j["prior_denials"] = pd;
  j["end_user_matching"] = c.matcher_name;
  j["unconsulted_denials"] = c.unconsulted_denials;
  j["assessment"] = c.assessment ? Json::parse(ToJson(*c.assessment)) : Json(nullptr);
  Json cons = Json::array();
  for (const auto& x : c.consultations)
    cons.push_back(Json::parse(ToJson(x)));
  j["consultations"] = cons;
  j["decision"] = c.decision ? Json::parse(ToJson(*c.decision)) : Json(nullptr);
  j["licence"] = c.licence ? Json::parse(ToJson(*c.licence)) : Json(nullptr);
  Json bookings = Json::array();
  for (const auto& b : c.bookings)
    bookings.push_back(Json::parse(ToJson(b)));
  j["bookings"] = bookings;
  Json rem = Json::array();
  for (const auto& r : c.remaining) {
    rem.push_back({{"item_id", r.item_id},
                   {"quantity", r.quantity ? Json(*r.quantity) : Json(nullptr)},
                   {"value_eur", r.value_eur ? Json(*r.value_eur) : Json(nullptr)},
                   {"booked_quantity", r.booked_quantity},
                   {"booked_value_eur", r.booked_value_eur}});
  }
  j["remaining"] = rem;
  return j.dump(2) + "\n";
}

}  // namespace dualuse::authority
