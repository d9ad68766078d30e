#include "route_table.h"

#include <utility>

namespace dualuse::server {

void RouteTable::Add(const std::string& method, const std::string& pattern, const std::string& role,
                     HttpServer::Handler handler, HttpServer::Runs runs) {
  routes_.push_back({method, pattern, role});
  if (method == "GET") http_->Get(pattern, std::move(handler), runs);
  if (method == "POST") http_->Post(pattern, std::move(handler), runs);
}

void RouteTable::AddAsync(const std::string& method, const std::string& pattern,
                          const std::string& role, HttpServer::AsyncHandler handler,
                          HttpServer::Runs runs) {
  routes_.push_back({method, pattern, role});
  if (method == "GET") http_->GetAsync(pattern, std::move(handler), runs);
  if (method == "POST") http_->PostAsync(pattern, std::move(handler), runs);
}

}  // namespace dualuse::server
