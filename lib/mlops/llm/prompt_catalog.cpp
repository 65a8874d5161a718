#include "mlops/llm/prompt_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mlops/core/file.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tree.hpp"
#include "mlops/llm/prompt_ref.hpp"
#include "mlops/registry/registry.hpp"

namespace mlops::llm {

namespace {

std::vector<RegisteredPrompt> versions_of(const registry::Model& model) {
  std::vector<RegisteredPrompt> out;
  for (const auto& v : model.versions) {
    if (!v.registered || !v.active) continue;
    RegisteredPrompt r{v.name, v.commit, v.message.meta.artifact, {}};
    for (const auto& stage : model.stages()) {
      if (model.in_stage(stage) == &v) r.stages.push_back(stage);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<std::vector<RegisteredPrompt>> registered_versions(const Repo& repo, std::string_view name) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto loaded = registry::load(*git_repo, name, repo.initialised() ? &repo : nullptr);
  if (!loaded) return std::unexpected(loaded.error());
  auto it = loaded->state.models.find(name);
  if (it == loaded->state.models.end()) return std::vector<RegisteredPrompt>{};
  return versions_of(it->second);
}

Result<std::vector<PromptEntry>> list_prompts(const Repo& repo) {
  std::vector<PromptEntry> out;
  const std::filesystem::path folder = repo.root / "prompts";
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return out;
  for (std::filesystem::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".prompt") continue;
    PromptEntry entry;
    std::filesystem::path relative = it->path().lexically_relative(folder);
    entry.name = relative.replace_extension().generic_string();
    entry.path = prompt_file_for(entry.name);
    auto text = read_file(it->path());
    if (!text) return std::unexpected(text.error());
    auto parsed = parse_prompt(*text, entry.path);
    if (parsed) {
      entry.prompt = std::move(*parsed);
    } else {
      entry.error = parsed.error().message;
    }
    out.push_back(std::move(entry));
  }
  if (ec) return std::unexpected(system_error("read", folder, ec.value()));
  std::sort(out.begin(), out.end(), [](const PromptEntry& a, const PromptEntry& b) { return a.name < b.name; });
  if (out.empty()) return out;
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto loaded = registry::load(*git_repo, {}, repo.initialised() ? &repo : nullptr);
  if (!loaded) return std::unexpected(loaded.error());
  for (PromptEntry& entry : out) {
    auto model = loaded->state.models.find(entry.name);
    if (model == loaded->state.models.end()) continue;
    entry.registered = versions_of(model->second);
    if (const auto* latest = model->second.latest()) entry.latest = latest->name;
  }
  return out;
}

Result<std::vector<PromptCommit>> prompt_history(const Repo& repo, std::string_view path,
                                                 const std::vector<RegisteredPrompt>& registered) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto history = git::file_history(*git_repo, path);
  if (!history) return std::unexpected(history.error());
  std::vector<PromptCommit> out;
  for (const auto& change : *history) {
    PromptCommit commit{change.commit, change.time, change.author, change.summary, !change.content, {}, {}};
    if (change.content) {
      commit.version = prompt_version(*change.content).str();
      Hash bytes = hash_bytes(*change.content);
      for (const auto& r : registered) {
        if (r.artifact && *r.artifact == bytes) commit.registered.push_back(r.version);
      }
    }
    out.push_back(std::move(commit));
  }
  return out;
}

}  // namespace mlops::llm
