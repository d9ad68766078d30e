// The API's route handlers, independent of HTTP plumbing (server.cc does
// authentication, body parsing, recording and the wire format).
#ifndef DUALUSE_SRC_SERVER_HANDLERS_H_
#define DUALUSE_SRC_SERVER_HANDLERS_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/http_error.h"
#include "dualuse/base/result.h"
#include "dualuse/server/server.h"

namespace dualuse::server::internal {

// Record kinds of the server besides store::kKind*: a read-only request, a
// /match call, a replay of a record.
inline constexpr const char* kKindAccess = "access";
inline constexpr const char* kKindMatch = "match";
inline constexpr const char* kKindReplay = "replay";

// One authenticated, authorised API call.
struct Call {
  Principal principal;
  std::string method;
  std::string target;                              // path and query string
  std::multimap<std::string, std::string> params;  // query string
  std::vector<std::string> matches;                // path captures
  nlohmann::json body;                             // parsed body (POST)
  // The reader's language of generated texts, from Accept-Language
  // (messages/catalogue.h LangFromAcceptLanguage).
  std::string lang = "en";
};

// A successful answer and what to record about it (store::RecordInput).
struct Reply {
  int status = 200;
  nlohmann::json body;
  std::string kind = kKindAccess;  // record kind
  std::string subject;             // record subject: a reference or the name screened
  nlohmann::json list_versions = nlohmann::json::object();
  std::string law_version;
  std::vector<store::AlertInput> alerts;  // raised in the record's transaction
  bool with_record_id = false;            // add "record_id" to the body
  int64_t record_id = 0;                  // already recorded by the handler (review decisions)
};

using ApiError = HttpError;

// The one error body: {"error": {"code": ..., "message": ...}}.
nlohmann::json ErrorBody(const std::string& code, const std::string& message);
// Status -> HTTP status and error code: HttpErrorFor (dualuse/base/http_error.h).
ApiError ErrorFor(const Status& status);

// kUnavailable with error code not_ready: "<what> is not available ..." (answered 503).
Status NotReady(const std::string& what);

class Handlers {
 public:
  Handlers(Backends backends, const ServerOptions& options);

  nlohmann::json Health() const;
  Result<Reply> Me(const Call& c) const;
  Result<Reply> Screen(const Call& c) const;
  Result<Reply> Match(const Call& c) const;
  Result<Reply> Assess(const Call& c) const;
  Result<Reply> Lists(const Call& c) const;
  Result<Reply> Records(const Call& c) const;
  Result<Reply> RecordById(const Call& c) const;
  Result<Reply> Replay(const Call& c) const;
  Result<Reply> ReplayAssessment(int64_t id) const;
  Result<Reply> Reviews(const Call& c) const;
  Result<Reply> Decide(const Call& c) const;
  // Known false positives (store.h, GoodGuy): list, add, remove.
  Result<Reply> GoodGuys(const Call& c) const;
  Result<Reply> AddGoodGuy(const Call& c) const;
  Result<Reply> RemoveGoodGuy(const Call& c) const;
  Result<Reply> Users(const Call& c) const;

 private:
  Result<Reply> AssessRequest(const Call& c, bool register_parties) const;

  Backends b_;
  int stale_after_days_;
  int max_batch_;
};

}  // namespace dualuse::server::internal

#endif  // DUALUSE_SRC_SERVER_HANDLERS_H_
