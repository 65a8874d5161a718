#pragma once
// The prompt parts of `mlops model register` (docs/prompts.md, "Prompts in the registry"): what is
// registered as a prompt must parse as one, so that `mlops prompt render NAME#STAGE` can render
// every version the registry hands out. A file refused is named with lint's finding
// (`path:line:col: CODE error message`), the line `mlops prompt lint` prints for it.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

// `text` parsed as the prompt file `file`; bad input naming `what` ("'prompts/a.prompt'",
// "artifact 'a.prompt' of run 01J...") and lint's first error finding otherwise, with `hint`.
Result<Prompt> parse_prompt_to_register(std::string_view text, std::string_view file, std::string_view what,
                                        std::string hint);

// The prompt file at `path`, checked by parse_prompt_to_register.
Result<Prompt> prompt_to_register(const std::filesystem::path& path);

// The artifact of run `run` that `artifact` names (the rule of `model register --artifact`), as
// a prompt: when `declared` (`--type prompt`) or when its name ends in ".prompt"; nullopt when it
// is neither. A folder, or bytes that do not parse, is bad input.
Result<std::optional<Prompt>> run_prompt_to_register(const Repo& repo, std::string_view run, std::string_view artifact,
                                                     bool declared);

}  // namespace mlops::llm
