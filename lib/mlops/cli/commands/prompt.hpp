#pragma once
// `mlops prompt ...`: versioned prompt files (docs/prompts.md). One file per leaf command
// (prompt_<verb>.cpp); what several of them share is declared here.
#include <CLI/CLI.hpp>
#include <string>

#include "mlops/core/repo.hpp"
#include "mlops/llm/prompt.hpp"
#include "mlops/llm/prompt_ref.hpp"

namespace mlops::cli {

void add_prompt_lint(CLI::App& group);
void add_prompt_render(CLI::App& group);
void add_prompt_list(CLI::App& group);
void add_prompt_show(CLI::App& group);
void add_prompt_diff(CLI::App& group);

namespace prompt {

// A prompt a command argument names (llm/prompt_ref.hpp), read and parsed; errors are thrown.
struct Loaded {
  llm::PromptSource source;
  llm::Prompt prompt;
};
Loaded load(const Repo& repo, const std::string& reference);

// "NAME, NAME@REV, NAME@vX.Y.Z, NAME#STAGE or PATH.prompt", for help texts.
inline constexpr const char* kReferenceHelp =
    "NAME (prompts/NAME.prompt), NAME@REV (a git revision), NAME@vX.Y.Z or NAME#STAGE (the registry), or a .prompt "
    "file";

}  // namespace prompt
}  // namespace mlops::cli
