// Adapters from the library modules to the server's seams (server.h):
// the rules engine as an Assessor, the list registry as a ListStatusSource.
#ifndef DUALUSE_SERVER_BACKENDS_H_
#define DUALUSE_SERVER_BACKENDS_H_

#include <memory>
#include <string>

#include "dualuse/server/server.h"

namespace dualuse::rules {
class Engine;
}

namespace dualuse::server {

// rules::Engine over the bundled law data; parties are screened with
// `screener` (may be null: parties are then "not_screened"). Thread-safe.
class RulesAssessor : public Assessor {
 public:
  static Result<std::unique_ptr<RulesAssessor>> Create(const screening::PartyScreener* screener);
  ~RulesAssessor() override;
  // Parses (spec section 2), validates against the law, assesses under the
  // law in force on the request's date; kInvalidArgument for a bad request.
  Result<nlohmann::json> Assess(const nlohmann::json& request) const override;

 private:
  RulesAssessor(std::unique_ptr<rules::Engine> engine, const screening::PartyScreener* screener);
  std::unique_ptr<rules::Engine> engine_;
  const screening::PartyScreener* screener_;
};

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
