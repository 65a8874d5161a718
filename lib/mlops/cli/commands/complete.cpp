// `mlops __complete WORD...`: the candidates for the last WORD, given the words before it.
// The bash, zsh and fish scripts in completions/ call this, so they never drift from the
// command tree: a new command or flag is completed as soon as it is registered.
#include <CLI/CLI.hpp>

#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

const CLI::App* find_visible_subcommand(const CLI::App& command, const std::string& name) {
  for (const auto* sub : command.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

int run_complete(const CLI::App& root, std::vector<std::string> words) {
  std::string current = words.empty() ? "" : words.back();
  if (!words.empty()) words.pop_back();

  const CLI::App* command = &root;
  for (const auto& word : words) {
    if (const auto* sub = find_visible_subcommand(*command, word)) command = sub;
  }
  auto emit = [&](const std::string& candidate, const std::string& description) {
    if (candidate.starts_with(current)) out::print(candidate + "\t" + description + "\n");
  };
  if (current.starts_with("-")) {
    for (const CLI::App* c = command; c; c = c->get_parent()) {
      for (const auto* option : c->get_options()) {
        for (const auto& name : option->get_lnames()) emit("--" + name, option->get_description());
        for (const auto& name : option->get_snames()) emit("-" + name, option->get_description());
      }
    }
    return 0;
  }
  for (const auto* sub : command->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    emit(sub->get_name(), sub->get_description());
  }
  return 0;
}

}  // namespace

int complete(const CLI::App& app, std::vector<std::string> words) { return run_complete(app, std::move(words)); }

}  // namespace mlops::cli
