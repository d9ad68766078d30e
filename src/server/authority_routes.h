// The licensing authority's endpoints (/authority/...) on the
// server's httplib instance. The routing logic is in the authority module
// (include/dualuse/authority/api.h); this file only adapts HTTP to it.
//
// Wiring (server.cc, Server::Impl::Routes()):
//   if (backends_.authority) {
//     RegisterAuthorityRoutes(&http_, backends_.authority,
//         [this](const httplib::Request& q, httplib::Response& r)
//             -> std::optional<AuthorityCaller> {
//           auto who = Authenticate(q, r);  // answers 401 itself
//           if (!who) return std::nullopt;
//           return AuthorityCaller{who->name, RoleName(who->role)};
//         });
//   }
// with `authority::Authority* authority = nullptr;` added to Backends, and
// the Authority built in cmd_serve.cc over authority::StoreRepository on the
// same store. Role checks (authority/admin; officer may file and book) are
// done by HandleAuthorityApi.
#ifndef DUALUSE_SRC_SERVER_AUTHORITY_ROUTES_H_
#define DUALUSE_SRC_SERVER_AUTHORITY_ROUTES_H_

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

#include "dualuse/authority/authority.h"
#include "http_server.h"
#include "route_table.h"

namespace dualuse::server {

struct AuthorityCaller {
  std::string name;
  std::string role;          // "authority", "admin", "officer", "reviewer"
  std::string organisation;  // "" = none
};

// Returns the caller, or nullopt after answering the request itself (401).
using AuthorityAuthenticate =
    std::function<std::optional<AuthorityCaller>(const httplib::Request&, httplib::Response&)>;

// Registers GET and POST "/authority/..." on `http`. `authority` is not owned.
void RegisterAuthorityRoutes(RouteTable* routes, authority::Authority* authority,
                             AuthorityAuthenticate authenticate);

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_AUTHORITY_ROUTES_H_
