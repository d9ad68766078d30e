// Engine: assesses requests under the law in force on a date.
//
// Built once from the law data (data/law/) and Annex I (data/law/annex-i/);
// const and thread-safe afterwards: Assess() may run concurrently. No file
// I/O per request. The rules run in the order of legal-reference section 1.3:
// R0 restrictive measures (and party screening), Art 3 listed items, Art 4
// general catch-all, Art 5 cyber-surveillance catch-all, national measures
// (Art 9/10; 428/2009: Art 8), brokering, transit, technical assistance,
// intra-EU transfer (Annex IV), general-authorisation eligibility; then red
// flags, the verdict, obligations and caveats.
#ifndef DUALUSE_RULES_ENGINE_H_
#define DUALUSE_RULES_ENGINE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/controllist/control_list.h"
#include "dualuse/law/law_data.h"
#include "dualuse/rules/determination.h"
#include "dualuse/rules/request.h"
#include "dualuse/screening/screener.h"

namespace dualuse::rules {

class EngineImpl;

class Engine {
 public:
  // Precomputes every look-up. Fails when the law data refers to things the
  // engine cannot use.
  static Result<std::unique_ptr<Engine>> Create(
      std::shared_ptr<const law::LawData> law,
      std::shared_ptr<const controllist::ControlList> annex);
  // Loads both from the bundled data (ResourcePath("law")).
  static Result<std::unique_ptr<Engine>> CreateDefault();
  ~Engine();

  // The law-dependent checks of a parsed request, as kInvalidArgument
  // "<name>: $.items[0].control_entries[1]: "5A01.j" is not an Annex I entry":
  // countries exist, Annex I entries exist, national-list prefixes are known.
  Status Validate(const AssessmentRequest& r, std::string_view name) const;

  // The date the law is taken from: `as_of` when given, else the request's
  // date, else today.
  static Date EffectiveDate(const AssessmentRequest& r, const std::optional<Date>& as_of);

  // Assesses `r` under the law in force on `as_of`. `screener` may be null (no
  // lists loaded: parties get status "not_screened"). kInvalidArgument when no
  // regime in the data covers `as_of`.
  Result<Determination> Assess(const AssessmentRequest& r, const Date& as_of,
                               const screening::PartyScreener* screener = nullptr) const;

  const law::LawData& law() const;
  const controllist::ControlList& annex() const;

  // Problems in the law data that need Annex I: codes in general
  // authorisations, Annex II Section I, Annex IV and restrictive measures that
  // are not Annex I entries. Used by `dualuse law validate`.
  std::vector<std::string> CheckLawCodes() const;

 private:
  explicit Engine(std::unique_ptr<EngineImpl> impl);
  std::unique_ptr<EngineImpl> impl_;
};

}  // namespace dualuse::rules

#endif  // DUALUSE_RULES_ENGINE_H_
