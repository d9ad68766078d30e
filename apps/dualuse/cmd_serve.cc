// dualuse serve: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterServe(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'serve' is not implemented yet"); });
}

}  // namespace dualuse::cli
