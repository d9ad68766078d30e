// The fast serialisation of a record for its hash (private to the store).
#ifndef DUALUSE_SRC_STORE_CANONICAL_H_
#define DUALUSE_SRC_STORE_CANONICAL_H_

#include <optional>
#include <string>

#include "dualuse/store/store.h"

namespace dualuse::store::internal {

// The same bytes as CanonicalRecord(r) (the reference: it builds an
// nlohmann::json object and dumps it), written directly: the keys in their
// sorted order, each text escaped as nlohmann::json's dump() escapes valid
// UTF-8 (ensure_ascii off). nullopt when a text field is not valid UTF-8 or
// holds NUL: the caller then uses CanonicalRecord(), whose replacement of
// invalid bytes this does not imitate. Appends hash every record with it;
// store_test.cc compares it with CanonicalRecord() over a table of texts.
std::optional<std::string> CanonicalRecordFast(const Record& r);

}  // namespace dualuse::store::internal

#endif  // DUALUSE_SRC_STORE_CANONICAL_H_
