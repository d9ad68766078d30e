// dualuse compare: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterCompare(CLI::App& app) {
  auto* cmd = app.add_subcommand("compare", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'compare' is not implemented yet"); });
}

}  // namespace dualuse::cli
