#pragma once
// Naming a prompt on the command line (docs/prompts.md, "Naming a prompt"):
//   NAME                 prompts/NAME.prompt in the work tree
//   PATH.prompt          that file (relative to the current folder)
//   NAME@REV             prompts/NAME.prompt as committed at git revision REV (HEAD~1, a branch, a tag)
//   NAME@vX.Y.Z          a version of NAME registered in the registry (`mlops model register`)
//   NAME@latest          the newest registered version
//   NAME#STAGE           the version that holds STAGE (`NAME#production`)
// `NAME@vX.Y.Z` is the registry's when the registry has that version, else a git revision.
#include <filesystem>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

enum class PromptOrigin { work_tree, file, git_revision, registry };

// A prompt file's bytes, and where they came from.
struct PromptSource {
  PromptOrigin origin = PromptOrigin::work_tree;
  std::string name;      // the prompt's name ("support"); a file's stem for a path
  std::string path;      // the file ("prompts/support.prompt"), relative to the repository's root
  std::string label;     // how messages name it: "prompts/support.prompt", "prompts/support.prompt@HEAD~1",
                         // "support#production (v0.0.2)"
  std::string revision;  // git_revision: as given; registry: the version ("v0.0.2")
  std::string commit;    // git_revision and registry: the commit
  std::string text;
};

// "prompts/NAME.prompt", relative to the repository's root.
std::string prompt_file_for(std::string_view name);

// Reads the prompt `reference` names. Unknown names, revisions, versions and stages are bad input
// naming what there is; `repo` is the repository the names are in.
Result<PromptSource> read_prompt_source(const Repo& repo, std::string_view reference);

// read_prompt_source, then parse_prompt (errors name the source's label).
Result<Prompt> load_prompt_reference(const Repo& repo, std::string_view reference);

}  // namespace mlops::llm
