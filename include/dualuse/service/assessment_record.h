// What an assessment leaves in the store, computed from the typed request and
// determination (never by parsing their JSON again), and written in groups.
//
// One assessment makes one hash-chained record (kind "assessment": the request
// as inputs, the determination as outputs, with its law and list versions;
// Article 27 of Regulation (EU) 2021/821: records kept at least five years),
// registers the request's parties as counterparties, and raises review items:
// one per match of a party screened "potential_match" or "hit", one per red
// flag finding, and, when review is required and none of these was raised,
// one for the determination itself, so that no answer that needs a person
// escapes the review queue.
#ifndef DUALUSE_SERVICE_ASSESSMENT_RECORD_H_
#define DUALUSE_SERVICE_ASSESSMENT_RECORD_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/rules/determination.h"
#include "dualuse/rules/request.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// Content hash of a listed entity by list and entity id; unset: the list
// version stands in ("version:<v>", a dismissal then holds until the next
// version of that list).
using EntityHash = std::function<std::string(const std::string& list, const std::string& id)>;

struct PlannedAlert {
  int party = -1;  // index into the request's parties; -1: about no party
  store::AlertInput alert;
};

struct AssessmentRecordPlan {
  store::RecordInput record;
  std::vector<store::CounterpartyInput> parties;  // per request party, in order
  std::vector<PlannedAlert> alerts;
};

// `request_json` and `determination_json` are the texts recorded as inputs
// and outputs (the caller has them already: the determination's is the answer).
AssessmentRecordPlan PlanAssessmentRecord(const rules::AssessmentRequest& request,
                                          const rules::Determination& determination,
                                          std::string request_json, std::string determination_json,
                                          const std::string& actor,
                                          const EntityHash& entity_hash = {});

// Registers the plans' parties (one transaction) and returns, per plan, its
// alerts with their counterparty ids.
Result<std::vector<std::vector<store::AlertInput>>> RegisterParties(
    store::Store& store, const std::vector<const AssessmentRecordPlan*>& plans,
    std::vector<std::vector<int64_t>>* counterparty_ids = nullptr);

struct AssessmentRecorded {
  store::Record record;
  int alerts_raised = 0;                  // not suppressed as dismissed or duplicate
  std::vector<int64_t> counterparty_ids;  // per request party, in order
};

// Records assessments in groups: Add() queues a plan, Flush() registers the
// parties of every queued plan in one transaction and appends their records
// with their review items in another (the hash chain in order of Add()).
// Not thread-safe.
class AssessmentRecorder {
 public:
  explicit AssessmentRecorder(store::Store& store) : store_(store) {}
  void Add(AssessmentRecordPlan plan) { pending_.push_back(std::move(plan)); }
  size_t pending() const { return pending_.size(); }
  // What was written, in order of Add(); nothing is written on error.
  Result<std::vector<AssessmentRecorded>> Flush();

 private:
  store::Store& store_;
  std::vector<AssessmentRecordPlan> pending_;
};

// One assessment, recorded at once (Add and Flush).
Result<AssessmentRecorded> RecordAssessment(store::Store& store,
                                            const rules::AssessmentRequest& request,
                                            const rules::Determination& determination,
                                            const std::string& actor,
                                            const EntityHash& entity_hash = {});

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_ASSESSMENT_RECORD_H_
