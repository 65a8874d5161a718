// `mlops hooks run pre-commit` and `mlops hooks run pre-push [REMOTE URL]`: what the installed
// hooks (and the pre-commit framework's hooks in .pre-commit-hooks.yaml) run.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/hooks.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"

namespace mlops::cli {

namespace {

struct HooksRunOptions {
  std::string hook;
  std::vector<std::string> args;  // what git passes (pre-push: remote name and URL)
};

// Fails when tracked data changed without its pointer being updated, or when a pointer names a
// version that is neither in the cache nor on the default remote. Data missing from the
// workspace (a fresh clone before `mlops data pull`) is fine.
int run_pre_commit(const Repo& repo) {
  Config config = unwrap(load_config(repo));
  auto items = unwrap(data::list_tracked(repo));
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  std::vector<std::string> changed;
  std::vector<const data::TrackedData*> not_cached;
  for (const auto& item : items) {
    auto status = unwrap(data::status_of(repo, cache, *stat_cache, item));
    if (status.state == data::State::modified) changed.push_back(item.data_path);
    if (!status.in_cache) not_cached.push_back(&item);
  }
  (void)stat_cache->save();

  std::vector<std::string> unavailable;
  if (!not_cached.empty()) {
    std::unique_ptr<data::Remote> remote;
    if (!config.default_remote.empty()) remote = unwrap(data::open_named_remote(repo, config, ""));
    for (const auto* item : not_cached) {
      bool on_remote = false;
      if (remote) {
        // A folder whose manifest is not here is judged by its manifest alone.
        auto present = unwrap(remote->contains(data::objects_of(cache, {*item})));
        on_remote = std::all_of(present.begin(), present.end(), [](bool b) { return b; });
      }
      if (!on_remote) unavailable.push_back(item->data_path);
    }
  }
  if (changed.empty() && unavailable.empty()) return 0;
  for (const auto& path : changed) {
    out::println("{} {} changed but its pointer was not updated", out::paint("data:", out::Style::red), path);
  }
  for (const auto& path : unavailable) {
    out::println("{} {} points to data that is in no cache or remote", out::paint("data:", out::Style::red), path);
  }
  if (!changed.empty())
    out::hint("record the change with 'mlops data add PATH', or restore it with 'mlops data checkout PATH'");
  if (!unavailable.empty())
    out::hint("add the data again, or fetch it from the remote that has it: mlops data pull --remote NAME");
  return static_cast<int>(Exit::check_failed);
}

// Pushes the data every pushed commit points to. git gives "<local ref> <local sha> <remote ref>
// <remote sha>" lines on stdin; the pre-commit framework gives PRE_COMMIT_TO_REF instead.
int run_pre_push(const Repo& repo) {
  Config config = unwrap(load_config(repo));
  if (config.default_remote.empty()) {
    out::warn("no default data remote: the pushed commits' data was not uploaded");
    out::hint("set one with 'mlops remote add NAME URL --default'");
    return 0;
  }
  std::vector<std::string> commits;
  bool pushes_tags = false;
  if (const char* to_ref = std::getenv("PRE_COMMIT_TO_REF"); to_ref && *to_ref) {
    commits.emplace_back(to_ref);
  } else {
    std::string local_ref, local_sha, remote_ref, remote_sha;
    while (std::cin >> local_ref >> local_sha >> remote_ref >> remote_sha) {
      if (local_sha.find_first_not_of('0') == std::string::npos) continue;  // all zeros: a deletion
      commits.push_back(local_sha);
      pushes_tags |= local_ref.starts_with("refs/tags/");
    }
  }
  auto remote = unwrap(data::open_named_remote(repo, config, ""));
  data::Cache cache(repo);
  data::TransferResult total;
  auto push = [&](const std::vector<data::TrackedData>& items) {
    auto result = unwrap(data::push(cache, *remote, items));
    total.objects += result.objects;
    total.bytes += result.bytes;
  };
  for (const auto& commit : commits) push(unwrap(data::list_tracked_at(repo, commit)));
  // Registry tags name model artifacts: a clone that gets the tags must be able to get the
  // models (`mlops model get`), as `mlops data push` makes sure too.
  if (pushes_tags) {
    std::vector<data::TrackedData> models;
    for (auto& model : model_artifacts(repo)) {
      if (cache.contains(model.pointer.hash)) models.push_back(std::move(model));
    }
    push(models);
  }
  if (total.objects > 0) {
    out::note(fmt::format("mlops: pushed {} data object{} ({}) to '{}'", total.objects, total.objects == 1 ? "" : "s",
                          out::human_bytes(total.bytes), config.default_remote));
  }
  return 0;
}

int run_hooks_run(const HooksRunOptions& options) {
  Repo repo = require_store();
  if (options.hook == "pre-commit") return run_pre_commit(repo);
  return run_pre_push(repo);
}

}  // namespace

void add_hooks_run(CLI::App& group) {
  auto options = std::make_shared<HooksRunOptions>();
  auto* command = add_command(group, "run", "Run a hook's checks now (what the installed hooks call)",
                              [options] { return run_hooks_run(*options); });
  command->add_option("hook", options->hook, "pre-commit or pre-push")
      ->required()
      ->check(CLI::IsMember({"pre-commit", "pre-push"}));
  command->add_option("args", options->args, "Arguments git passes to the hook (ignored by pre-commit)");
}

}  // namespace mlops::cli
