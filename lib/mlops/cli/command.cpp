#include "mlops/cli/command.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "mlops/core/output.hpp"
#include "mlops/core/temp_files.hpp"

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

std::string command_path(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* up = command.get_parent(); up; up = up->get_parent()) path = up->get_name() + " " + path;
  return path;
}

const CLI::App& parsed_leaf(const CLI::App& root) {
  const CLI::App* command = &root;
  for (auto chosen = root.get_subcommands(); !chosen.empty(); chosen = command->get_subcommands()) {
    command = chosen.front();
  }
  return *command;
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& command) {
  return command.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

const CLI::Option* find_option(const CLI::App& command, std::string_view word) {
  if (word.size() < 2 || word[0] != '-' || word == "--") return nullptr;
  for (const CLI::App* c = &command; c; c = c->get_parent()) {
    for (const CLI::Option* option : c->get_options()) {
      if (!option->nonpositional()) continue;
      if (word.starts_with("--")) {
        std::string_view name =
            word.substr(2, word.find('=') == std::string_view::npos ? word.npos : word.find('=') - 2);
        for (const auto& lname : option->get_lnames())
          if (lname == name) return option;
      } else {
        std::string name(1, word[1]);
        for (const auto& sname : option->get_snames())
          if (sname == name) return option;
      }
    }
  }
  return nullptr;
}

std::vector<const CLI::Option*> visible_options(const CLI::App& command) {
  std::vector<const CLI::Option*> options;
  std::set<std::string> seen;
  for (const CLI::App* c = &command; c; c = c->get_parent()) {
    for (const CLI::Option* option : c->get_options()) {
      if (!option->nonpositional() || option->get_group().empty()) continue;
      // One entry per name: the nearest command's --help stands for its parents'.
      bool fresh = false;
      for (const auto& name : option->get_lnames()) fresh |= seen.insert("--" + name).second;
      for (const auto& name : option->get_snames()) fresh |= seen.insert("-" + name).second;
      if (fresh) options.push_back(option);
    }
  }
  return options;
}

std::string option_label(const CLI::Option& option) {
  if (option.nonpositional()) {
    if (!option.get_lnames().empty()) return "--" + option.get_lnames().front();
    return "-" + option.get_snames().front();
  }
  if (!option.get_option_text().empty()) return option.get_option_text();
  std::string name = option.get_name();
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

bool takes_value(const CLI::Option& option) { return option.get_items_expected_max() > 0; }

std::vector<std::string> examples_of(const CLI::App& command) {
  std::vector<std::string> examples;
  std::string footer = command.get_footer();
  bool in_list = false;  // "Examples:" followed by indented lines
  std::size_t start = 0;
  while (start <= footer.size()) {
    std::size_t end = footer.find('\n', start);
    if (end == std::string::npos) end = footer.size();
    std::string line = footer.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("Example:") || line.starts_with("Example ")) {
      std::string text = line.substr(line.find_first_of(": ") + 1);
      text.erase(0, text.find_first_not_of(' '));
      if (!text.empty()) examples.push_back(text);
      in_list = text.empty();
    } else if (line.starts_with("Examples:")) {
      in_list = true;
    } else if (in_list && line.starts_with("  ")) {
      examples.push_back(line.substr(line.find_first_not_of(' ')));
    } else {
      in_list = false;
    }
  }
  return examples;
}

Repo require_git_repo() { return unwrap(find_git_repo()); }
Repo require_store() {
  Repo repo = unwrap(find_store());
  // What a killed command left in tmp/ goes now (one look at a folder that is usually empty);
  // `data gc` reports what it frees.
  remove_stale_temps(repo.tmp());
  return repo;
}

}  // namespace mlops::cli
