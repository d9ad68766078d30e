#include "authority_routes.h"

#include <exception>
#include <utility>

#include "dualuse/authority/api.h"
#include "dualuse/messages/catalogue.h"

namespace dualuse::server {

void RegisterAuthorityRoutes(RouteTable* routes, authority::Authority* authority,
                             AuthorityAuthenticate authenticate) {
  auto handle = [authority, authenticate = std::move(authenticate)](const httplib::Request& req,
                                                                    httplib::Response& res) {
    std::optional<AuthorityCaller> who = authenticate(req, res);
    if (!who) return;
    authority::ApiRequest r;
    r.method = req.method;
    r.path = req.path;
    for (const auto& [k, v] : req.params)
      r.query.emplace(k, v);
    r.body = req.body;
    r.actor = who->name;
    r.role = who->role;
    r.organisation = who->organisation;
    r.lang = messages::LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
    authority::ApiResponse a;
    try {
      a = authority::HandleAuthorityApi(*authority, r);
    } catch (const std::exception&) {
      a = {500, "application/json", R"({"error":{"code":"internal","message":"internal error"}})"};
    }
    res.status = a.status;
    res.set_content(a.body, a.content_type);
  };
  // Case files, registers and reports are store queries and transactions:
  // on the worker pool, not on an event-loop thread.
  routes->Add("GET", R"(/authority/.*)", kRoleAuthority, handle, HttpServer::Runs::kOnWorker);
  routes->Add("POST", R"(/authority/.*)", kRoleAuthority, handle, HttpServer::Runs::kOnWorker);
}

}  // namespace dualuse::server
