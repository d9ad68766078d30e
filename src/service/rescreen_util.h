// Test and benchmark support for re-screening: a deterministic counterparty
// register generator.
#ifndef DUALUSE_SRC_SERVICE_RESCREEN_UTIL_H_
#define DUALUSE_SRC_SERVICE_RESCREEN_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "dualuse/service/list_rescreen.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

// `n` counterparties, the same for the same arguments: synthetic company and
// person names from a seeded generator, the main names of every entity added
// or changed by `diff` (returned in `planted`), and some names of entities of
// `before` that did not change. Keys are unique.
std::vector<store::CounterpartyInput> GenerateCounterparties(size_t n, const lists::ListDiff& diff,
                                                             const lists::ListVersion& before,
                                                             uint64_t seed,
                                                             std::vector<std::string>* planted);

}  // namespace dualuse::service

#endif  // DUALUSE_SRC_SERVICE_RESCREEN_UTIL_H_
