// How subcommands plug into the dualuse binary.
//
// Each command lives in its own cmd_<name>.cc and defines a Register<Name>
// function that adds a CLI11 subcommand and sets its callback. A callback
// returns a Status; main() prints a failed Status as one line
// "error: <message>" on stderr and exits with Status::ExitCode().
#ifndef DUALUSE_APPS_COMMAND_H_
#define DUALUSE_APPS_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "dualuse/base/status.h"

namespace dualuse::cli {

// Options every command shares (spec section 1).
struct CommonOptions {
  std::string data_dir;            // --data-dir; resolved by DataDir()
  std::vector<std::string> lists;  // --list (repeatable)
  std::string as_of;               // --as-of YYYY-MM-DD
  std::string format;              // --format
};

// --data-dir, else $DUALUSE_DATA, else ./var.
std::string DataDir(const CommonOptions& o);
// --help text of --data-dir, naming the default DataDir() resolves.
inline constexpr const char* kDataDirHelp =
    "Store, imported lists and settings (default $DUALUSE_DATA, else $XDG_DATA_HOME/dualuse, "
    "else ~/.local/share/dualuse)";

// Adds the common options to `cmd`, storing into `o`.
void AddCommonOptions(CLI::App* cmd, CommonOptions* o);

// Sets the command's action. The Status it returns becomes the exit code.
void SetAction(CLI::App* cmd, std::function<Status()> action);

// The Status of the action that ran (OK if none ran).
Status& LastActionStatus();

// The exit code of an action that returned OK but wants a script to notice
// something: 3 (an answer matched --fail-on), 4 (some lines of a batch were
// rejected). The action has written its output and a summary on stderr.
int& ActionExitCode();

// Registration functions, one per cmd_*.cc.
void RegisterAssess(CLI::App& app);
void RegisterScreen(CLI::App& app);
void RegisterCompare(CLI::App& app);
void RegisterLists(CLI::App& app);
void RegisterLaw(CLI::App& app);
void RegisterClassify(CLI::App& app);
void RegisterServe(CLI::App& app);
void RegisterStore(CLI::App& app);  // audit, rescreen, review, replay, users
// authority file|case|assess|decide|book|denials|report
void RegisterAuthority(CLI::App& app);
void RegisterCounterparties(CLI::App& app);  // counterparties import | list

}  // namespace dualuse::cli

#endif  // DUALUSE_APPS_COMMAND_H_
