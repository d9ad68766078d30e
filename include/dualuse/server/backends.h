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
// `screener` (may be null: parties are then "not_screened"). Record
// references in the request (classify/integration.h) are resolved first:
// "CR-..." ids from `store` (records of kind "classification", as POST
// /classify/records keeps them; may be null), then from `records_dir` (as
// `classify ask --save` keeps them; empty: not consulted), and embedded
// records; file paths are refused over HTTP. Thread-safe.
class RulesAssessor : public Assessor {
 public:
  static Result<std::unique_ptr<RulesAssessor>> Create(const screening::PartyScreener* screener,
                                                       std::string records_dir = "",
                                                       store::Store* store = nullptr);
  ~RulesAssessor() override;
  // Parses (spec section 2), validates against the law, assesses under the
  // law in force on the request's date; kInvalidArgument for a bad request.
  Result<nlohmann::json> Assess(const nlohmann::json& request) const override;

 private:
  RulesAssessor(std::unique_ptr<rules::Engine> engine, const screening::PartyScreener* screener,
                std::string records_dir, store::Store* store);
  std::unique_ptr<rules::Engine> engine_;
  const screening::PartyScreener* screener_;
  std::string records_dir_;
  store::Store* store_;
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
