// What a screening leaves in the review queue, the same at every door
// (`dualuse screen`, POST /screen, POST /match/{dataset}).
#ifndef DUALUSE_SERVICE_SCREENING_RECORD_H_
#define DUALUSE_SERVICE_SCREENING_RECORD_H_

#include <string>
#include <utility>
#include <vector>

#include "dualuse/screening/screener.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// One review item per match (at most five) of each name screened that is not
// clear, in order. The store does not raise again what a reviewer dismissed
// for the same listing and party (store.h, AddAlert). `screened`: the name
// asked about and what the screener found.
std::vector<store::AlertInput> ScreeningReviewItems(
    const std::vector<std::pair<std::string, screening::ScreeningResult>>& screened);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_SCREENING_RECORD_H_
