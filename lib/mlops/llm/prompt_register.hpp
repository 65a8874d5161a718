#pragma once
// The prompt parts of `mlops model register` (docs/prompts.md, "Prompts in the registry"): what is
// registered as a prompt must pass `mlops prompt lint` without an error, so that `mlops prompt
// render NAME#STAGE` can render every version the registry hands out and no secret is deployed.
// A file refused is named with lint's error findings (`path:line:col: CODE error message`), the
// lines `mlops prompt lint` prints; warnings are printed and do not refuse. Disable comments
// silence rules as they do for lint, except P502: a secret always refuses.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

// `text` parsed as the prompt file `file` once lint finds no error in it (its warnings go to
// stderr); bad input naming `what` ("'prompts/a.prompt'", "artifact 'a.prompt' of run 01J...")
// and lint's error findings otherwise, with `hint`. `base_dir` is where output.schema is looked up
// (empty: not checked, for bytes that are not in the work tree).
Result<Prompt> parse_prompt_to_register(std::string_view text, std::string_view file, std::string_view what,
                                        std::string hint, const std::filesystem::path& base_dir);

// The prompt file at `path`, checked by parse_prompt_to_register (named by its lexically normal path).
Result<Prompt> prompt_to_register(const std::filesystem::path& path);

// The artifact of run `run` that `artifact` names (the rule of `model register --artifact`), as
// a prompt: when `declared` (`--type prompt`) or when its name ends in ".prompt"; nullopt when it
// is neither. A folder, or bytes that do not parse, is bad input.
Result<std::optional<Prompt>> run_prompt_to_register(const Repo& repo, std::string_view run, std::string_view artifact,
                                                     bool declared);

}  // namespace mlops::llm
