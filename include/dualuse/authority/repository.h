// Where the authority's records live. Every filing, assessment,
// consultation, decision, licence, booking and denial is one append-only
// record; the authority's state is a fold over them (authority.h).
//
// Implementations: InMemoryRepository (tests), FileRepository (a JSON-lines
// file, each line chained to the previous by SHA-256, for the CLI until the
// store module is wired), and the Store-backed one (store_repository.h).
#ifndef DUALUSE_AUTHORITY_REPOSITORY_H_
#define DUALUSE_AUTHORITY_REPOSITORY_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "dualuse/base/clock.h"
#include "dualuse/base/result.h"

namespace dualuse::authority {

// Record kinds.
inline constexpr char kFilingRecord[] = "authority_filing";
inline constexpr char kAssessmentRecord[] = "authority_assessment";
inline constexpr char kConsultationRecord[] = "authority_consultation";
inline constexpr char kDecisionRecord[] = "authority_decision";
inline constexpr char kLicenceRecord[] = "authority_licence";
inline constexpr char kBookingRecord[] = "authority_booking";
inline constexpr char kDenialRecord[] = "authority_denial";

struct Record {
  std::string kind;     // one of the kinds above
  std::string id;       // the object's id ("APP-1", "DEC-3", ...)
  std::string payload;  // the object as JSON (codec.h)
  std::string actor;
  std::string recorded_at;  // ISO 8601 UTC, set by the repository
  // Unique keys the record takes: "<kind>:<id>" for every numbered object,
  // "authority_decision_of:<APP-n>" for a decision. AppendAll fails with
  // kAlreadyExists, appending nothing, when one is already held, so that
  // numbers and decisions are unique across processes (the store enforces
  // them in the database; the in-memory repository in memory).
  std::vector<std::string> claims;
};

class Repository {
 public:
  virtual ~Repository() = default;
  // Appends all records in order, atomically (all or none): after OK they
  // are durable and visible. `recorded_at` is set by the repository.
  virtual Status AppendAll(const std::vector<Record>& records) = 0;
  Status Append(const Record& record) { return AppendAll({record}); }
  // Every record, in append order.
  virtual Result<std::vector<Record>> Records() const = 0;
};

class InMemoryRepository : public Repository {
 public:
  Status AppendAll(const std::vector<Record>& records) override;
  Result<std::vector<Record>> Records() const override;

 private:
  mutable std::mutex mu_;
  std::vector<Record> records_;
  std::set<std::string> claims_;  // every claim held
};

// JSON lines at `path`; each line {"seq","prev","hash","record":{...}} where
// hash = SHA-256(prev + canonical record). Records() verifies the chain and
// returns DataLoss naming the line that breaks it.
class FileRepository : public Repository {
 public:
  explicit FileRepository(std::string path) : path_(std::move(path)) {}
  Status AppendAll(const std::vector<Record>& records) override;
  Result<std::vector<Record>> Records() const override;

 private:
  std::string path_;
  mutable std::mutex mu_;
};

// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ": Clock::NowUtc() (dualuse/base/clock.h).
inline std::string NowUtc() { return Clock::NowUtc(); }

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_REPOSITORY_H_
