#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "mlops/core/config.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/checkout.hpp"
#include "mlops/data/ignore.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/hooks/framework.hpp"
#include "mlops/hooks/hooks.hpp"

namespace mlops::hooks {

namespace {
bool staged_contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}
}  // namespace

// Blocks a commit whose pointers do not match their data: data changed after its pointer was
// staged, or a staged pointer names a version that is neither in the cache nor on the default
// remote. For pointers that are not part of the commit it only informs (hooks.pre_commit: block
// makes those block too). Data that is out of date (an older version the cache knows, after
// `git pull` or a branch switch) or missing (a fresh clone) never blocks.
Result<int> pre_commit(const Repo& repo) {
  if (framework_not_committing()) return 0;
  auto config_result = load_config(repo);
  if (!config_result) return std::unexpected(config_result.error());
  Config config = std::move(*config_result);
  auto settings_result = data::load_data_settings(repo);
  if (!settings_result) return std::unexpected(settings_result.error());
  auto settings = std::move(*settings_result);
  bool block_all = settings.pre_commit == data::PreCommitMode::block;
  auto git_repo_result = git::Repository::open(repo.root);
  if (!git_repo_result) return std::unexpected(git_repo_result.error());
  auto git_repo = std::move(*git_repo_result);
  auto staged_result = git::staged_paths(git_repo, data::kPointerSuffix);
  if (!staged_result) return std::unexpected(staged_result.error());
  auto staged = std::move(*staged_result);
  auto all_staged_result = git::staged_paths(git_repo, "");
  if (!all_staged_result) return std::unexpected(all_staged_result.error());
  auto all_staged = std::move(*all_staged_result);
  auto items_result = data::list_tracked(repo);
  if (!items_result) return std::unexpected(items_result.error());
  auto items = std::move(*items_result);
  data::Cache cache(repo);
  auto stat_cache_result = data::StatCache::open(repo);
  if (!stat_cache_result) return std::unexpected(stat_cache_result.error());
  auto stat_cache = std::move(*stat_cache_result);
  std::vector<std::string> changed, changed_elsewhere, restore_commands;
  std::vector<std::pair<std::string, std::string>> stale;  // path, the command that updates it
  std::vector<const data::TrackedData*> not_cached, conflicts;
  for (const auto& item : items) {
    if (item.conflict) {
      // Committing the markers would commit a pointer that names no one version.
      if (staged_contains(staged, item.pointer_file)) conflicts.push_back(&item);
      continue;
    }
    auto status_result = data::status_of(repo, cache, *stat_cache, item);
    if (!status_result) return std::unexpected(status_result.error());
    auto status = std::move(*status_result);
    bool in_commit = staged_contains(staged, item.pointer_file);
    // The command that brings the pointer's version back: checkout when the cache has it,
    // otherwise only pull can (it fetches first).
    std::string restore = fmt::format("mlops data {} {}", status.in_cache ? "checkout" : "pull", item.data_path);
    if (status.state == data::State::modified)
      (in_commit || block_all ? changed : changed_elsewhere).push_back(item.data_path);
    if (status.state == data::State::modified && (in_commit || block_all)) restore_commands.push_back(restore);
    if (status.state == data::State::stale) stale.emplace_back(item.data_path, restore);
    if (!status.in_cache && (in_commit || block_all)) not_cached.push_back(&item);
  }
  (void)stat_cache->save();

  std::vector<std::string> unavailable;
  if (!not_cached.empty()) {
    std::unique_ptr<data::Remote> remote;
    if (!config.default_remote.empty()) {
      auto opened = data::open_named_remote(repo, config, "");
      if (!opened) return std::unexpected(opened.error());
      remote = std::move(*opened);
    }
    for (const auto* item : not_cached) {
      bool on_remote = false;
      if (remote) {
        // A folder whose manifest is not here is judged by its manifest alone.
        auto present_result = remote->contains(data::objects_of(cache, {*item}));
        if (!present_result) return std::unexpected(present_result.error());
        auto present = std::move(*present_result);
        on_remote = std::all_of(present.begin(), present.end(), [](bool b) { return b; });
      }
      if (!on_remote) unavailable.push_back(item->data_path);
    }
  }
  for (const auto& path : changed_elsewhere) {
    out::note(
        fmt::format("mlops: {} differs from its pointer, which this commit does not include (not blocking)", path));
  }
  for (const auto& [path, command] : stale) {
    out::note(fmt::format("mlops: {} is out of date with its pointer; '{}' updates it", path, command));
  }
  // Tracked data git does not ignore: `git add -A` would commit the data itself. Blocks when the
  // data is staged, else informs.
  std::vector<data::IgnoreFinding> unignored, unignored_staged;
  auto findings = data::check_ignores(repo, items, {});
  if (!findings) return std::unexpected(findings.error());
  for (auto& f : *findings) {
    bool data_staged = std::any_of(all_staged.begin(), all_staged.end(), [&](const std::string& p) {
      return p == f.data_path || p.starts_with(f.data_path + "/");
    });
    (data_staged ? unignored_staged : unignored).push_back(std::move(f));
  }
  for (const auto& f : unignored) {
    out::warn(fmt::format("{} is tracked by mlops but git does not ignore it", f.data_path));
    out::hint(f.fix());
  }
  if (!changed_elsewhere.empty()) {
    out::hint(
        "'mlops data add PATH' records a change when you mean to commit it; set hooks.pre_commit: block in "
        ".mlops/config.yaml to refuse such commits");
  }
  if (changed.empty() && unavailable.empty() && conflicts.empty() && unignored_staged.empty()) return 0;
  for (const auto& f : unignored_staged) {
    out::println("{} {} itself is staged: git does not ignore it, and the commit would hold the data",
                 out::paint("data:", out::Style::red), f.data_path);
    out::hint(f.fix());
  }
  for (const auto* item : conflicts) {
    out::println("{} {} has a merge conflict in its pointer", out::paint("data:", out::Style::red), item->data_path);
    out::hint(data::conflict_way_out(*item));
  }
  for (const auto& path : changed) {
    out::println("{} {} changed but its pointer was not updated", out::paint("data:", out::Style::red), path);
  }
  for (const auto& path : unavailable) {
    out::println("{} {} points to data that is in no cache or remote", out::paint("data:", out::Style::red), path);
  }
  if (!changed.empty()) {
    std::string restore;
    for (const auto& c : restore_commands) restore += (restore.empty() ? "'" : ", '") + c + "'";
    out::hint("record the change with 'mlops data add PATH', or restore the pointer's version with " + restore);
  }
  if (!unavailable.empty())
    out::hint("add the data again, or fetch it from the remote that has it: mlops data pull --remote NAME");
  return static_cast<int>(Exit::check_failed);
}

}  // namespace mlops::hooks
