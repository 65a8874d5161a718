#pragma once
// Helpers every command file uses to register itself. "Parse, then run": CLI11 only fills the
// command's option struct while parsing; the command's body runs after parsing has succeeded.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/repo.hpp"

namespace mlops::cli {

// Returns the process exit code (an mlops::Exit value, or a child's code for `mlops run`).
using RunFunction = std::function<int()>;

// A command group such as `data` or `model`: needs one of its subcommands.
CLI::App* add_group(CLI::App& parent, const std::string& name, const std::string& description);
// A leaf command such as `data add`.
CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description, RunFunction run);
// The run function of the leaf command that was parsed, or nullptr.
const RunFunction* parsed_command(const CLI::App& root);

// `--json` for commands that report: one JSON document on stdout, shape documented in docs/, per command.
void add_json_flag(CLI::App& command);

// The command tree, as the parse-error messages, the argument normaliser and the completion see it.
// "mlops runs list" for the `list` command under `runs`.
std::string command_path(const CLI::App& command);
// The deepest command that was parsed (the root when none was).
const CLI::App& parsed_leaf(const CLI::App& root);
// The subcommands a user may type (not the hidden `__complete`).
std::vector<const CLI::App*> visible_subcommands(const CLI::App& command);
// The option that `word` names (--name, --name=value, -n, -nVALUE) in `command` or the commands
// above it (whose options are accepted after a subcommand too); nullptr if none.
const CLI::Option* find_option(const CLI::App& command, std::string_view word);
// Every named option a user may give to `command`: its own, then those of the commands above it;
// each once (a subcommand's --help hides its parent's).
std::vector<const CLI::Option*> visible_options(const CLI::App& command);
// "--limit" for an option, "VALUE" (its option text, or its name in capitals) for an argument.
std::string option_label(const CLI::Option& option);
// True when the option takes a value (--limit N), false for a flag (--json).
bool takes_value(const CLI::Option& option);
// The lines of a command's footer that start with "Example", without the label; empty if none.
std::vector<std::string> examples_of(const CLI::App& command);

// The repository around the current folder, with a clear error when there is none (exit 2).
Repo require_git_repo();
// As require_git_repo, and it must have been set up with `mlops init`.
Repo require_store();

}  // namespace mlops::cli
