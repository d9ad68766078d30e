// Replay: re-runs a recorded assessment with the law and list versions it
// used, and again with those in force today, and says what differs.
//
// The record keeps the request (inputs) and the determination (outputs, with
// as_of and data_versions). "Then" assesses the request on the recorded
// as_of with the recorded list versions loaded from the data directory's
// list registry; "today" assesses it on today's date with the lists in force
// today. A list version that is no longer in the registry is reported, not
// silently replaced.
#ifndef DUALUSE_SERVICE_REPLAY_H_
#define DUALUSE_SERVICE_REPLAY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"
#include "dualuse/store/store.h"

namespace dualuse::service {

struct ReplayOptions {
  std::string data_dir;       // where the imported lists are
  std::optional<Date> today;  // default: Date::Today()
};

struct ReplayResult {
  int64_t record_id = 0;
  std::string as_of;
  std::string recorded_json;  // the determination as recorded
  std::string then_json;      // re-run with the recorded versions
  std::string today_json;     // re-run with today's law and lists
  bool reproduced = false;    // then == recorded (verdict, findings, screening)
  std::vector<std::string> differences_from_record;  // "verdict: a -> b", ...
  std::vector<std::string> differences_today;        // then -> today
  std::vector<std::string> notes;  // missing list versions, law data version changes
  // The whole result as one JSON document.
  std::string ToJson() const;
  std::string ToText() const;
};

// The request a recorded assessment answered, as JSON text, whichever adapter
// recorded it: `dualuse assess` records the request as the inputs, the HTTP
// server the call {"method", "path", "role", "body": request}. kDataLoss when
// the inputs hold neither; `name` prefixes the message.
Result<std::string> RecordedRequestText(const store::Record& record, const std::string& name);

// kNotFound for an unknown record, kInvalidArgument for a record that is not
// an assessment.
Result<ReplayResult> Replay(store::Store& store, int64_t record_id, const ReplayOptions& options);

// The differences between two determinations (JSON texts): verdict, regime,
// licence_required, review_required, findings (rule, effect, item, party),
// general authorisations applicable, screening status per party, list versions.
std::vector<std::string> DiffDeterminations(const std::string& a_json, const std::string& b_json);

}  // namespace dualuse::service

#endif  // DUALUSE_SERVICE_REPLAY_H_
