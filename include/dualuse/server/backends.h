// Adapters from the library modules to the server's seams (server.h): the
// list registry as a ListStatusSource.
#ifndef DUALUSE_SERVER_BACKENDS_H_
#define DUALUSE_SERVER_BACKENDS_H_

#include <string>

#include "dualuse/server/server.h"

namespace dualuse::server {

// The list versions imported into <data_dir>/lists (lists::ListRegistry) in
// force today, named and with the freshness limit of the list catalogue.
class RegistryListStatus : public ListStatusSource {
 public:
  explicit RegistryListStatus(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  Result<std::vector<ListStatusEntry>> Lists() const override;

 private:
  std::string data_dir_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SERVER_BACKENDS_H_
