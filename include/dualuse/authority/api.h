// The authority's HTTP API as a transport-free function: the server forwards
// every request under /authority/ here (src/server/authority_routes.cc) after
// authenticating the caller. Error bodies use the server's one shape
// {"error": {"code", "message"}}.
//
//   POST /authority/filings                 dualuse.authority-filing/1 -> 201 application
//   GET  /authority/filings                 list of filings
//   GET  /authority/filings/{id}[?as_of=D]  case file (dualuse.authority-case/1)
//   POST /authority/assessments             criteria assessment -> 201
//   POST /authority/consultations           consultation (Art 16(2)) -> 201
//   POST /authority/decisions               decision -> 201; 409 when refused (reason given)
//   GET  /authority/decisions/{id}/letter   the decision letter, text/html
//   GET  /authority/licences[?status=&holder=&destination=&type=&entry=&case_id=&as_of=]
//                                           the licence register (LicencesToJson)
//   POST /authority/bookings                export booked on a licence -> 201; 409 when refused
//   GET  /authority/denials                 dualuse.denials/1
//   POST /authority/denials                 import dualuse.denials/1 -> {"imported": n}
//   GET  /authority/report?year=Y[&format=json|csv|html]   Art 26 report
//   GET  /authority/status                  where the caller's own filings stand
//                                           (dualuse.authority-status/1)
//
// Roles: "authority" and "admin" may read everything and the authority acts
// on filings; "officer" (an exporter's compliance officer) may only POST
// filings and bookings and read the status of its own filings.
#ifndef DUALUSE_AUTHORITY_API_H_
#define DUALUSE_AUTHORITY_API_H_

#include <map>
#include <string>
#include <vector>

#include "dualuse/authority/authority.h"

namespace dualuse::authority {

struct ApiRequest {
  std::string method;  // "GET", "POST"
  std::string path;    // without the query string, e.g. "/authority/filings/APP-1"
  std::multimap<std::string, std::string> query;
  std::string body;
  std::string actor;         // authenticated user name
  std::string role;          // "authority", "admin", "officer", "reviewer"
  std::string organisation;  // the caller's organisation ("" = none)
  std::string lang = "en";   // the reader's language (Accept-Language): letters
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// One path served under /authority/ and a method on it, as an OpenAPI path
// template ("{id}" = one non-empty segment). web/openapi.json documents each
// (tests/openapi_live_test.py checks both ways on a live server).
struct ApiRoute {
  const char* method;
  const char* path;
};
const std::vector<ApiRoute>& AuthorityApiRoutes();

// Never throws. 404 for a path that is none of AuthorityApiRoutes() under /authority/, 405 for a
// wrong method, 403 for a role that may not call it.
ApiResponse HandleAuthorityApi(Authority& authority, const ApiRequest& request);

// The licence register's query, shared by GET /authority/licences and
// `dualuse authority licences`: status (one or several, comma-separated),
// holder, destination, type, entry, case_id, as_of (default today). Unknown
// parameters and bad values are InvalidArgument, so that a mistyped filter
// does not silently list everything.
struct LicenceQuery {
  Date as_of = Date::Today();
  LicenceFilter filter;
};
Result<LicenceQuery> ParseLicenceQuery(const std::multimap<std::string, std::string>& params);

// HTTP status for a Status: HttpErrorFor(s).status (dualuse/base/http_error.h).
int HttpStatusFor(const Status& s);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_API_H_
