#pragma once
// Linting many prompt files: the paths a user names, or the prompt files a commit stages
// (`mlops hooks run pre-commit`).
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/lint.hpp"

namespace mlops::llm {

struct LintReport {
  std::size_t files = 0;
  std::vector<Finding> findings;  // by file, then line and column

  std::size_t count(Severity severity) const;
  // Whether a finding is at `fail_on` or above (exit 1).
  bool fails(Severity fail_on) const;
  // {"files": N, "errors": N, "warnings": N, "findings": [Finding::to_json()...]}
  nlohmann::json to_json() const;
};

// The .prompt files that `paths` name: a file as it is (whatever its name), a folder searched
// recursively for *.prompt, in sorted order. A path that does not exist is bad input.
Result<std::vector<std::filesystem::path>> find_prompt_files(const std::vector<std::filesystem::path>& paths);

// Lints each file; `output.schema` is looked up beside each file.
Result<LintReport> lint_files(const std::vector<std::filesystem::path>& files, const LintOptions& options);

// Lints the .prompt files the next commit of `repo` adds or changes, as the index holds them
// (what will be committed, not the work tree), named relative to the repository's root.
Result<LintReport> lint_staged_prompts(const Repo& repo, const LintOptions& options);

}  // namespace mlops::llm
