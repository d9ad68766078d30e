// dualuse screen: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterScreen(CLI::App& app) {
  auto* cmd = app.add_subcommand("screen", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'screen' is not implemented yet"); });
}

}  // namespace dualuse::cli
