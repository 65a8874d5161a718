#include "mlops/llm/lint_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <system_error>

#include "mlops/core/file.hpp"
#include "mlops/core/subprocess.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::llm {

std::size_t LintReport::count(Severity severity) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == severity; }));
}

bool LintReport::fails(Severity fail_on) const {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return fail_on == Severity::warning || f.severity == Severity::error; });
}

nlohmann::json LintReport::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const Finding& f : findings) list.push_back(f.to_json());
  return {
      {"files", files}, {"errors", count(Severity::error)}, {"warnings", count(Severity::warning)}, {"findings", list}};
}

Result<std::vector<std::filesystem::path>> find_prompt_files(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::filesystem::path> out;
  for (const auto& path : paths) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
      return std::unexpected(bad_input(fmt::format("no such file or folder '{}'", path.string()),
                                       "name prompt files or folders holding them (default: prompts/)"));
    }
    if (!std::filesystem::is_directory(status)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::filesystem::path> found;
    std::filesystem::recursive_directory_iterator it(path, std::filesystem::directory_options::skip_permission_denied,
                                                     ec);
    if (ec) return std::unexpected(system_error("read", path, ec.value()));
    for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return std::unexpected(system_error("read", it->path(), ec.value()));
      if (it->is_regular_file(ec) && it->path().extension() == ".prompt") found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

Result<LintReport> lint_files(const std::vector<std::filesystem::path>& files, const LintOptions& options) {
  LintReport report;
  for (const auto& file : files) {
    auto text = read_file(file);
    if (!text) return std::unexpected(text.error());
    LintOptions per_file = options;
    per_file.base_dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    auto findings = lint_prompt(*text, file.string(), per_file);
    report.findings.insert(report.findings.end(), findings.begin(), findings.end());
    ++report.files;
  }
  return report;
}

Result<LintReport> lint_staged_prompts(const Repo& repo, const LintOptions& options) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto staged = git::staged_paths(*git_repo, ".prompt");
  if (!staged) return std::unexpected(staged.error());
  LintReport report;
  for (const std::string& path : *staged) {
    // The index's content of the path ("git cat-file blob :PATH"); a staged deletion has none.
    auto captured =
        capture_output({"git", "-C", repo.root.string(), "cat-file", "blob", ":" + path}, std::chrono::seconds(30));
    if (!captured) return std::unexpected(captured.error());
    if (captured->exit_code != 0) continue;
    LintOptions per_file = options;
    per_file.base_dir = (repo.root / path).parent_path();
    auto findings = lint_prompt(captured->output, path, per_file);
    report.findings.insert(report.findings.end(), findings.begin(), findings.end());
    ++report.files;
  }
  return report;
}

}  // namespace mlops::llm
