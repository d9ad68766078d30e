// dualuse law: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterLaw(CLI::App& app) {
  auto* cmd = app.add_subcommand("law", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'law' is not implemented yet"); });
}

}  // namespace dualuse::cli
