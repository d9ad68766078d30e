// dualuse store: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterStore(CLI::App& app) {
  auto* cmd = app.add_subcommand("store", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'store' is not implemented yet"); });
}

}  // namespace dualuse::cli
