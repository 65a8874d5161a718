#pragma once
// What prompts exist and their versions (`mlops prompt list`, `mlops prompt show`): the prompt
// files under prompts/, each file's git history, and the registry's versions and stages of the
// model of the same name.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

// A registered version of a prompt (a registry model whose artifact is the prompt file).
struct RegisteredPrompt {
  std::string version;  // "v0.0.2"
  std::string commit;
  std::optional<Hash> artifact;     // the hash of the file's bytes
  std::vector<std::string> stages;  // the stages it holds now
};

struct PromptEntry {
  std::string name;                          // "support", "team/support" for prompts/team/support.prompt
  std::string path;                          // "prompts/support.prompt", relative to the repository's root
  std::optional<Prompt> prompt;              // nullopt when the file does not parse
  std::string error;                         // why it does not parse
  std::vector<RegisteredPrompt> registered;  // newest registration last
  std::string latest;                        // the latest registered version, "" when none
};

// Every prompts/**/*.prompt of the work tree, sorted by name, with its registered versions.
Result<std::vector<PromptEntry>> list_prompts(const Repo& repo);

// The registered versions of model `name` (empty when there is none).
Result<std::vector<RegisteredPrompt>> registered_versions(const Repo& repo, std::string_view name);

// One commit that changed a prompt file.
struct PromptCommit {
  std::string commit;
  std::int64_t time = 0;
  std::string author;
  std::string summary;
  bool deleted = false;
  std::string version;                  // the prompt version of the file in that commit ("" when deleted)
  std::vector<std::string> registered;  // registry versions whose artifact is that very file
};

// The commits reachable from HEAD that changed `path` (relative to the root), newest first,
// with the registry versions of `name` they correspond to.
Result<std::vector<PromptCommit>> prompt_history(const Repo& repo, std::string_view path,
                                                 const std::vector<RegisteredPrompt>& registered);

}  // namespace mlops::llm
