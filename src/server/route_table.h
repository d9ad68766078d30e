// The server's routes, in one table: method, path pattern, the role a caller
// needs and the handler. Every route of `dualuse serve` (server.cc, yente's
// routes, classify_routes.cc, authority_routes.cc) is added here, and the
// table registers it with the HttpServer; web/openapi.json documents each
// (server_test.cc, EveryRouteIsDocumented).
#ifndef DUALUSE_SRC_SERVER_ROUTE_TABLE_H_
#define DUALUSE_SRC_SERVER_ROUTE_TABLE_H_

#include <string>
#include <vector>

#include "dualuse/server/server.h"
#include "http_server.h"

namespace dualuse::server {

// Required roles (ServerRoute::role).
inline constexpr char kRolePublic[] = "public";  // no token: health, UI files
inline constexpr char kRoleAny[] = "any role";   // any valid token
inline constexpr char kRoleDecideReview[] = "reviewer or admin";
inline constexpr char kRoleOfficerOrAdmin[] = "officer or admin";
inline constexpr char kRoleAdmin[] = "admin";
// Any valid token; the authority module decides per resource and role.
inline constexpr char kRoleAuthority[] = "authority module";

class RouteTable {
 public:
  explicit RouteTable(HttpServer* http) : http_(http) {}

  // `method` is "GET" or "POST"; `pattern` a regular expression over the path.
  void Add(const std::string& method, const std::string& pattern, const std::string& role,
           HttpServer::Handler handler, HttpServer::Runs runs = HttpServer::Runs::kOnEventLoop);
  void AddAsync(const std::string& method, const std::string& pattern, const std::string& role,
                HttpServer::AsyncHandler handler,
                HttpServer::Runs runs = HttpServer::Runs::kOnEventLoop);

  const std::vector<ServerRoute>& routes() const { return routes_; }

 private:
  HttpServer* http_;
  std::vector<ServerRoute> routes_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_ROUTE_TABLE_H_
