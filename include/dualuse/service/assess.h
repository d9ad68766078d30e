// The assessment use case, written once for every door (`dualuse assess`,
// POST /assess, replay): a dualuse.assessment/1 request in, a
// dualuse.determination/1 out, with the steps in this order:
//
//   1. resolve record references (classification and due-diligence records,
//      classify/integration.h): from the store, then the records directory;
//   2. parse (spec section 2) and validate against the law data;
//   3. find the law in force on the request's date (or --as-of);
//   4. assess (rules::Engine), screening the parties;
//   5. apply the confirmed matches of the parties from the review queue;
//   6. name the lists screened with their age; a required list missing or
//      stale requires review (list_requirements.h);
//   7. attach the Article 5(2) notification once the verdict is final.
//
// Recording the answer is assessment_record.h. Errors are kInvalidArgument
// "<name>: $.path: <expectation>" for a bad request.
#ifndef DUALUSE_SERVICE_ASSESS_H_
#define DUALUSE_SERVICE_ASSESS_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/base/status.h"
#include "dualuse/law/law_data.h"
#include "dualuse/rules/determination.h"
#include "dualuse/rules/engine.h"
#include "dualuse/rules/request.h"
#include "dualuse/screening/screener.h"
#include "dualuse/service/list_requirements.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

struct AssessOptions {
  // "CR-..." classification records kept by `classify ask --save`; "" = none.
  std::string records_dir;
  // Relative record paths are read from here; "" = the working directory.
  std::string base_dir;
  // false (HTTP): only ids and embedded records, never a file path.
  bool allow_paths = true;
  // Assess under the law in force on this date instead of the request's.
  std::optional<Date> as_of;
  // The lists every answer must have been screened against (list_requirements.h).
  ListRequirements lists;
};

// A request resolved, parsed and validated, with the law it falls under.
struct PreparedAssessment {
  nlohmann::json resolved;  // the request with its record references resolved
  rules::AssessmentRequest request;
  Date date;  // the law in force on this date applies
};

class AssessService {
 public:
  // `screener` may be null (parties are then "not_screened"); it must outlive
  // the service. Thread-safe afterwards.
  static Result<std::unique_ptr<AssessService>> Create(const screening::PartyScreener* screener,
                                                       AssessOptions options);
  ~AssessService();

  // Steps 1-3. `store` (may be null) is consulted for "CR-..." ids first.
  Result<PreparedAssessment> Prepare(const nlohmann::json& request, const std::string& name,
                                     store::Store* store) const;
  // Steps 4-7. `store` null: no confirmed matches are consulted.
  Result<rules::Determination> Decide(const PreparedAssessment& prepared,
                                      store::Store* store) const;
  // Prepare, then Decide.
  Result<rules::Determination> Assess(const nlohmann::json& request, const std::string& name,
                                      store::Store* store) const;

  const rules::Engine& engine() const { return *engine_; }
  const screening::PartyScreener* screener() const { return screener_; }

 private:
  AssessService(std::unique_ptr<rules::Engine> engine, const screening::PartyScreener* screener,
                AssessOptions options);
  std::unique_ptr<rules::Engine> engine_;
  const screening::PartyScreener* screener_;
  AssessOptions options_;
};

// The effect of a confirmed listing on a transaction. A list the law data
// names as an asset freeze (law::LawData::asset_freeze_lists()) has the effect
// it gives there ("prohibited"); a list it does not name is prohibited when it
// is an EU or UN asset freeze (spec section 3: "a party under an EU or UN asset
// freeze"), as the engine reads a screening hit; every other confirmed listing
// (a US list for an EU exporter, ...) is a red flag a person must review.
rules::Effect ConfirmedListingEffect(const law::LawData& law, const store::ConfirmedMatch& match);

// Step 5: for every party with a confirmed match in the review queue, a
// finding "review/confirmed-match" citing the listing and the decision; the
// verdict becomes prohibited for an asset freeze; review is required.
Status ApplyConfirmedMatches(store::Store& store, const law::LawData& law,
                             const rules::AssessmentRequest& request,
                             rules::Determination* determination);

// Step 7: for a notify_authority determination of a request carrying a
// due-diligence record, the notification to the competent authority under the
// provision the due-diligence finding cites.
Status AttachNotification(const nlohmann::json& resolved_request,
                          rules::Determination* determination);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_ASSESS_H_
