// dualuse lists: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterLists(CLI::App& app) {
  auto* cmd = app.add_subcommand("lists", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'lists' is not implemented yet"); });
}

}  // namespace dualuse::cli
