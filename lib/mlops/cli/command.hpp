#pragma once
// Helpers every command file uses to register itself. "Parse, then run": CLI11 only fills the
// command's option struct while parsing; the command's body runs after parsing has succeeded.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

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

// The repository around the current folder, with a clear error when there is none (exit 2).
Repo require_git_repo();
// As require_git_repo, and it must have been set up with `mlops init`.
Repo require_store();

}  // namespace mlops::cli
