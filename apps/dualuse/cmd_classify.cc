// dualuse classify: placeholder until its issue lands.
#include "command.h"

namespace dualuse::cli {

void RegisterClassify(CLI::App& app) {
  auto* cmd = app.add_subcommand("classify", "(not yet implemented)");
  cmd->allow_extras();
  SetAction(cmd, [] { return Status::Internal("'classify' is not implemented yet"); });
}

}  // namespace dualuse::cli
