#include "dualuse/authority/store_repository.h"

#include <algorithm>
#include <utility>

namespace dualuse::authority {
namespace {

constexpr const char* kKinds[] = {kFilingRecord,   kAssessmentRecord, kConsultationRecord,
                                  kDecisionRecord, kLicenceRecord,    kBookingRecord,
                                  kDenialRecord};

}  // namespace

Status StoreRepository::AppendAll(const std::vector<Record>& records) {
  std::vector<store::RecordInput> inputs;
  inputs.reserve(records.size());
  for (const auto& r : records) {
    store::RecordInput in;
    in.kind = r.kind;
    in.actor = r.actor;
    in.subject = r.id;
    in.inputs = r.payload;
    in.claims = r.claims;
    inputs.push_back(std::move(in));
  }
  auto appended = store_->AppendBatch(inputs);
  return appended.status();
}

Result<std::vector<Record>> StoreRepository::Records() const {
  std::vector<std::pair<int64_t, Record>> all;
  for (const char* kind : kKinds) {
    store::RecordQuery q;
    q.kind = kind;
    DU_ASSIGN_OR_RETURN(std::vector<store::Record> got, store_->Records(q));
    for (auto& s : got) {
      Record r;
      r.kind = s.kind;
      r.id = s.subject;
      r.payload = std::move(s.inputs);
      r.actor = s.actor;
      r.recorded_at = s.recorded_at;
      all.emplace_back(s.id, std::move(r));
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Record> out;
  out.reserve(all.size());
  for (auto& [id, r] : all)
    out.push_back(std::move(r));
  return out;
}

}  // namespace dualuse::authority
