// What a screening leaves in the review queue, the same at every door
// (`dualuse screen`, POST /screen, POST /match/{dataset}), and what the queue
// already holds about each match (a dismissal that still holds, a known
// false positive), shown in the screening answer.
#ifndef DUALUSE_SERVICE_SCREENING_RECORD_H_
#define DUALUSE_SERVICE_SCREENING_RECORD_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/screening/screener.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// One review item per match (at most five) of each party screened that is
// not clear, in order, keyed by the party's name, country and birth date, with
// the listed entity's identity (ListedEntityIdentity) when `screener` knows
// it. The store does not raise again what a reviewer dismissed for the same
// listing and party, nor a known false positive (store.h, AddAlert).
struct ScreenedParty {
  screening::PartyQuery query;
  const screening::ScreeningResult* result = nullptr;
};
std::vector<store::AlertInput> ScreeningReviewItems(const std::vector<ScreenedParty>& screened,
                                                    const screening::PartyScreener* screener);

// Sets a.entity_hash (EntityContentHash of the listing: a dismissal holds
// until it changes) and a.entity_key (the entity's identity across lists:
// "un_reference:<number>" when the listing carries a UN reference number, as
// UN, EU and UK records do) from the screener's copy of the listing; leaves
// them as they are when the screener does not know the entity.
void ListedEntityIdentity(const screening::PartyScreener& screener, store::AlertInput* a);

// The listings' content hashes for an assessment's review items
// (PlanAssessmentRecord's entity_hash), so that a dismissal made on a
// screening holds for the assessment of the same party and listing, and the
// other way round. Unknown entity: "version:<list version>". Null screener:
// an unset function.
std::function<std::string(const std::string& list, const std::string& id)> ListedEntityHashes(
    const screening::PartyScreener* screener);

// What the review queue holds about each match of each party (per party, per
// match; nullopt when the match would raise a new item or is beyond the
// items raised). `items` is ScreeningReviewItems(screened, ...).
Result<std::vector<std::vector<std::optional<store::AlertStanding>>>> PriorReviews(
    store::Store& store, const std::vector<ScreenedParty>& screened,
    const std::vector<store::AlertInput>& items);

// A match's "review" member in screening answers (docs/spec.md):
// {"state": "dismissed"|"known_false_positive"|"open"|"pending_dismissal"|
// "confirmed", "item", "by", "at", "reason", "good_guy"}.
nlohmann::json PriorReviewJson(const store::AlertStanding& s);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_SCREENING_RECORD_H_
