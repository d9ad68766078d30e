// Who may read which record: one policy for every route that shows records
// (GET /records, /records/{id}, POST /records/{id}/replay, GET /review,
// GET /classify/records/{id}); docs/security.md has the table.
//
//   admin:     every record.
//   authority: the licensing authority's records (kinds authority_*), and
//              records made by users of its organisation or by itself.
//   reviewer:  every record except the authority's (the exporter side:
//              screenings, matches, assessments, review decisions, reads).
//   officer:   records made by itself or by users of its organisation.
// Every role may read classification records by id: they are addressed by
// the hash of their content and cited in assessments and filings.
//
// A record outside the policy answers 404, as a record that does not exist:
// its existence is not revealed.
#ifndef DUALUSE_SRC_SERVER_ACCESS_POLICY_H_
#define DUALUSE_SRC_SERVER_ACCESS_POLICY_H_

#include "dualuse/server/auth.h"
#include "dualuse/store/store.h"

namespace dualuse::server {

// Narrows `q` (already filtered as the caller asked) to what `who` may read.
void RestrictToReadable(const Principal& who, store::RecordQuery* q);

// True when `who` may read `r` (the same policy, for one record).
bool MayRead(const Principal& who, const store::Record& r, const std::string& actor_organisation);

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_ACCESS_POLICY_H_
