// The dualuse binary: wiring only. Each subcommand is in cmd_<name>.cc.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>

#include "command.h"

namespace dualuse::cli {

// The data directory, by the platform convention (XDG Base Directory
// Specification): --data-dir, else $DUALUSE_DATA, else $XDG_DATA_HOME/dualuse,
// else ~/.local/share/dualuse. Never the working directory: a command run from
// another folder must find the same store.
std::string DataDir(const CommonOptions& o) {
  if (!o.data_dir.empty()) return o.data_dir;
  if (const char* env = std::getenv("DUALUSE_DATA"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && xdg[0] == '/') {
    return (std::filesystem::path(xdg) / "dualuse").string();
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return (std::filesystem::path(home) / ".local" / "share" / "dualuse").string();
  }
  return (std::filesystem::current_path() / "dualuse-data").string();
}

void AddCommonOptions(CLI::App* cmd, CommonOptions* o) {
  cmd->add_option("--data-dir", o->data_dir, kDataDirHelp);
  // One path per occurrence: `--list un.xml NAME` leaves NAME to the command.
  cmd->add_option("--list", o->lists,
                  "Use this list file instead of the imported ones (repeatable, one path each)")
      ->allow_extra_args(false);
  cmd->add_option("--as-of", o->as_of, "Evaluate with the law and lists in force on YYYY-MM-DD");
}

Status& LastActionStatus() {
  static Status status;
  return status;
}

int& ActionExitCode() {
  static int code = 0;
  return code;
}

void SetAction(CLI::App* cmd, std::function<Status()> action) {
  cmd->callback([action = std::move(action)] { LastActionStatus() = action(); });
}

}  // namespace dualuse::cli

int main(int argc, char** argv) {
  using namespace dualuse::cli;
  // The store, token key, imported lists and exports hold what only their
  // owner may read: files 0600, directories 0700 (docs/security.md).
  umask(0077);
  CLI::App app{"dualuse: export-control compliance engine (EU dual-use Regulation 2021/821)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dualuse 0.1.0");
  RegisterAssess(app);
  RegisterScreen(app);
  RegisterCompare(app);
  RegisterLists(app);
  RegisterLaw(app);
  RegisterClassify(app);
  RegisterServe(app);
  RegisterStore(app);
  RegisterAuthority(app);
  RegisterCounterparties(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s (see dualuse --help)\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    // Last resort: library code returns Status, so reaching here is a bug.
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return 1;
  }
  const dualuse::Status& status = LastActionStatus();
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.message().c_str());
    return status.ExitCode();
  }
  return ActionExitCode();
}
