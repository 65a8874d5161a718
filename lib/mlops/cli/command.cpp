#include "mlops/cli/command.hpp"

#include <map>

#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {
std::map<const CLI::App*, RunFunction>& run_functions() {
  static std::map<const CLI::App*, RunFunction> functions;
  return functions;
}
}  // namespace

CLI::App* add_group(CLI::App& parent, const std::string& name, const std::string& description) {
  auto* group = parent.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description, RunFunction run) {
  auto* command = parent.add_subcommand(name, description);
  run_functions()[command] = std::move(run);
  return command;
}

const RunFunction* parsed_command(const CLI::App& root) {
  const CLI::App* current = &root;
  const RunFunction* found = nullptr;
  for (;;) {
    if (auto it = run_functions().find(current); it != run_functions().end()) found = &it->second;
    auto chosen = current->get_subcommands();
    if (chosen.empty()) return found;
    current = chosen.front();
  }
}

void add_json_flag(CLI::App& command) {
  command.add_flag_callback(
      "--json", [] { out::settings().json = true; },
      "Print one JSON document on stdout (its shape is documented in docs/)");
}

Repo require_git_repo() { return unwrap(find_git_repo()); }
Repo require_store() { return unwrap(find_store()); }

}  // namespace mlops::cli
