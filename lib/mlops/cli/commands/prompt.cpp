// `mlops prompt`: versioned prompt files: lint, render, list, show, diff.
#include "mlops/cli/commands/prompt.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_prompt(CLI::App& app) {
  auto* group = add_group(app, "prompt", "Prompt files: lint them, render them, list, show and diff their versions");
  add_prompt_lint(*group);
  add_prompt_render(*group);
  add_prompt_list(*group);
  add_prompt_show(*group);
  add_prompt_diff(*group);
}

namespace prompt {

Loaded load(const Repo& repo, const std::string& reference) {
  Loaded loaded;
  loaded.source = unwrap(llm::read_prompt_source(repo, reference));
  loaded.prompt = unwrap(llm::parse_prompt(loaded.source.text, loaded.source.label));
  return loaded;
}

}  // namespace prompt
}  // namespace mlops::cli
