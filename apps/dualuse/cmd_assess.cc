// dualuse assess: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterAssess(CLI::App& app) {
  auto* cmd = app.add_subcommand("assess", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'assess' is not implemented yet"); });
}

}  // namespace dualuse::cli
