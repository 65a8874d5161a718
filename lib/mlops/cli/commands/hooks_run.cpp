// `mlops hooks run pre-commit` and `mlops hooks run pre-push [REMOTE URL]`: what the installed
// hooks (and the pre-commit framework's hooks in .pre-commit-hooks.yaml) run.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/hooks.hpp"
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

namespace mlops::cli {

namespace {

struct HooksRunOptions {
  std::string hook;
  std::vector<std::string> args;  // what git passes (pre-push: remote name and URL)
};

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

// The pre-commit framework runs a hook in every stage it is installed for when the hook names no
// stages (.pre-commit-hooks.yaml names none: the names differ between pre-commit 3.0 and 3.2+).
// The environment it sets tells the stage: PRE_COMMIT_REMOTE_NAME while pushing,
// PRE_COMMIT_CHECKOUT_TYPE after a checkout, PRE_COMMIT_IS_SQUASH_MERGE after a merge.
bool framework_pushing() { return env_set("PRE_COMMIT") && env_set("PRE_COMMIT_REMOTE_NAME"); }
bool framework_not_committing() {
  return env_set("PRE_COMMIT") && (env_set("PRE_COMMIT_REMOTE_NAME") || env_set("PRE_COMMIT_CHECKOUT_TYPE") ||
                                   env_set("PRE_COMMIT_IS_SQUASH_MERGE"));
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Blocks a commit whose pointers do not match their data: data changed after its pointer was
// staged, or a staged pointer names a version that is neither in the cache nor on the default
// remote. For pointers that are not part of the commit it only informs (hooks.pre_commit: block
// makes those block too). Data that is out of date (an older version the cache knows, after
// `git pull` or a branch switch) or missing (a fresh clone) never blocks.
int run_pre_commit(const Repo& repo) {
  if (framework_not_committing()) return 0;
  Config config = unwrap(load_config(repo));
  auto settings = unwrap(data::load_data_settings(repo));
  bool block_all = settings.pre_commit == data::PreCommitMode::block;
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto staged = unwrap(git::staged_paths(git_repo, data::kPointerSuffix));
  auto all_staged = unwrap(git::staged_paths(git_repo, ""));
  auto items = unwrap(data::list_tracked(repo));
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  std::vector<std::string> changed, changed_elsewhere, restore_commands;
  std::vector<std::pair<std::string, std::string>> stale;  // path, the command that updates it
  std::vector<const data::TrackedData*> not_cached, conflicts;
  for (const auto& item : items) {
    if (item.conflict) {
      // Committing the markers would commit a pointer that names no one version.
      if (contains(staged, item.pointer_file)) conflicts.push_back(&item);
      continue;
    }
    auto status = unwrap(data::status_of(repo, cache, *stat_cache, item));
    bool in_commit = contains(staged, item.pointer_file);
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
  for (auto& f : unwrap(data::check_ignores(repo, items, {}))) {
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

// A version that a pushed commit names and neither the cache nor the remote has.
struct LostVersion {
  data::TrackedData item;
  std::optional<git::CommitInfo> introduced;  // the commit that introduced it
};

std::string author_email(std::string_view author) {
  auto open = author.rfind('<');
  auto close = author.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return std::string(author.substr(open + 1, close - open - 1));
}

// Pushes the data of every commit in the pushed range (as git-lfs does): the commits the pushed
// refs reach that the remote's refs do not. git gives "<local ref> <local sha> <remote ref>
// <remote sha>" lines on stdin; the pre-commit framework gives PRE_COMMIT_FROM_REF and
// PRE_COMMIT_TO_REF instead. Data that no cache or remote has is reported with the commit and
// author that introduced it; it blocks the push when that commit is yours, or with
// hooks.push_strict, and otherwise warns (it is someone else's to push).
int run_pre_push(const Repo& repo, const std::vector<std::string>& args) {
  Config config = unwrap(load_config(repo));
  auto settings = unwrap(data::load_data_settings(repo));
  if (config.default_remote.empty()) {
    out::warn("no default data remote: the pushed commits' data was not uploaded");
    out::hint("set one with 'mlops remote add NAME URL --default'");
    return 0;
  }
  auto git_repo = unwrap(git::Repository::open(repo.root));
  std::vector<std::string> include, exclude;
  std::string remote_name = args.empty() ? std::string() : args[0];
  bool pushes_tags = false;
  if (env_set("PRE_COMMIT")) {
    // The framework read git's stdin: it gives the first pushed ref in its environment, with
    // PRE_COMMIT_TO_REF/FROM_REF, or only PRE_COMMIT_LOCAL_BRANCH when the remote has none of it.
    if (!framework_pushing()) return 0;  // installed for another stage: nothing to push
    remote_name = std::getenv("PRE_COMMIT_REMOTE_NAME");
    const char* to_ref = std::getenv("PRE_COMMIT_TO_REF");
    include.emplace_back(to_ref && *to_ref                        ? to_ref
                         : std::getenv("PRE_COMMIT_LOCAL_BRANCH") ? std::getenv("PRE_COMMIT_LOCAL_BRANCH")
                                                                  : "HEAD");
    if (const char* from = std::getenv("PRE_COMMIT_FROM_REF"); from && *from) {
      if (auto id = git_repo.resolve_commit(from)) exclude.push_back(*id);
    }
    pushes_tags = include.back().starts_with("refs/tags/");
  } else {
    std::string local_ref, local_sha, remote_ref, remote_sha;
    while (std::cin >> local_ref >> local_sha >> remote_ref >> remote_sha) {
      if (local_sha.find_first_not_of('0') == std::string::npos) continue;  // all zeros: a deletion
      include.push_back(local_sha);
      if (remote_sha.find_first_not_of('0') != std::string::npos) exclude.push_back(remote_sha);
      pushes_tags |= local_ref.starts_with("refs/tags/");
    }
  }
  // What the remote already has (as far as this clone knows) was checked when it was pushed.
  if (!remote_name.empty()) {
    auto known = unwrap(git::ref_commits(git_repo, "refs/remotes/" + remote_name + "/"));
    exclude.insert(exclude.end(), known.begin(), known.end());
  }
  auto commits = unwrap(git::commits_between(git_repo, include, exclude));

  auto remote = unwrap(data::open_named_remote(repo, config, ""));
  data::Cache cache(repo);
  std::vector<data::TrackedData> available;
  std::vector<LostVersion> lost;
  std::set<Hash> seen;
  for (const auto& commit : commits) {
    for (auto& item : data::every_side(unwrap(data::list_tracked_at(repo, commit.id)))) {
      if (!seen.insert(item.pointer.hash).second) continue;
      std::vector<Hash> unexpanded;
      auto objects = data::objects_of(cache, {item}, &unexpanded);
      auto present = unwrap(remote->contains(objects));
      bool complete = true;
      for (std::size_t i = 0; i < objects.size(); ++i) complete &= present[i] || cache.contains(objects[i]);
      // A folder whose manifest only the remote has was pushed whole.
      if (complete) {
        available.push_back(std::move(item));
      } else {
        auto introduced = unwrap(git::last_change(git_repo, commit.id, item.pointer_file));
        lost.push_back(LostVersion{std::move(item), std::move(introduced)});
      }
    }
  }
  data::TransferResult total;
  auto push = [&](const std::vector<data::TrackedData>& items) {
    auto result = unwrap(data::push(cache, *remote, items));
    total.objects += result.objects;
    total.bytes += result.bytes;
  };
  push(available);
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
  if (lost.empty()) return 0;
  std::string me = git::user_email(git_repo);
  bool block = settings.push_strict;
  for (const auto& l : lost) {
    std::string who = l.introduced ? fmt::format("commit {} by {} (\"{}\")", l.introduced->id.substr(0, 12),
                                                 l.introduced->author, l.introduced->summary)
                                   : std::string("an unknown commit");
    bool mine = l.introduced && !me.empty() && author_email(l.introduced->author) == me;
    block |= mine;
    out::warn(fmt::format("{} {} is in no cache and not on remote '{}': introduced by {}", l.item.data_path,
                          l.item.pointer.hash.str(), config.default_remote, who));
  }
  if (block) {
    out::hint(settings.push_strict
                  ? "push the data from the clone that has it ('mlops data push' there), or push with --no-verify"
                  : "your commit names data you no longer have: 'mlops data add' it again, or push with --no-verify");
    return static_cast<int>(Exit::check_failed);
  }
  out::hint("ask the author to run 'mlops data push'; set hooks.push_strict: true to refuse such pushes");
  return 0;
}

// post-checkout (PREV NEW BRANCH-FLAG) and post-merge (SQUASH-FLAG): bring data that is out of
// date or missing up to date, fetching what the cache lacks from the default remote (as git-lfs
// does). Modified data is left alone. hooks.checkout: false turns it off. Never fails git's
// command: problems are warnings.
int run_sync(const Repo& repo, std::string_view hook, const std::vector<std::string>& args) {
  auto settings = unwrap(data::load_data_settings(repo));
  if (!settings.hooks_checkout) return 0;
  if (hook == "post-checkout" && args.size() >= 3 && args[2] == "0") return 0;  // a file checkout
  Config config = unwrap(load_config(repo));
  auto items = unwrap(data::list_tracked(repo));
  if (items.empty()) return 0;
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  std::vector<data::TrackedData> behind, uncached;
  std::vector<std::string> modified;
  for (const auto& item : items) {
    auto status = unwrap(data::status_of(repo, cache, *stat_cache, item));
    if (status.state == data::State::conflict) {
      out::warn(fmt::format("{} was not updated: its pointer has a merge conflict", item.data_path));
      out::hint(data::conflict_way_out(item));
    } else if (status.state == data::State::modified) {
      modified.push_back(item.data_path);
    } else if (status.state != data::State::unchanged) {
      behind.push_back(item);
      if (!status.in_cache) uncached.push_back(item);
    }
  }
  if (!uncached.empty() && !config.default_remote.empty()) {
    if (auto remote = data::open_named_remote(repo, config, "")) {
      for (const auto& item : uncached) {
        if (auto r = data::fetch(cache, **remote, {item}); !r) out::warn(r.error().message);
      }
    } else {
      out::warn(remote.error().message);
    }
  }
  std::vector<data::TrackedData> ready;
  std::vector<std::string> unavailable;
  for (auto& item : behind) {
    if (data::version_in_cache(cache, item.pointer)) {
      ready.push_back(std::move(item));
    } else {
      unavailable.push_back(item.data_path);
    }
  }
  std::size_t updated = 0;
  if (!ready.empty()) {
    auto results = data::checkout(repo, cache, *stat_cache, ready, config.link, data::Force::no);
    if (!results) {
      out::warn(results.error().message);
    } else {
      for (const auto& r : *results) updated += r.unchanged() ? 0 : 1;
    }
  }
  (void)stat_cache->save();
  if (updated > 0)
    out::note(fmt::format("mlops: updated {} in the workspace",
                          fmt::format("{} dataset{}", updated, updated == 1 ? "" : "s")));
  for (const auto& path : modified) {
    out::note(fmt::format("mlops: {} has local modifications and was left as it is", path));
  }
  if (!unavailable.empty()) {
    out::warn(fmt::format("not updated (its data is in no cache or remote): {}", fmt::join(unavailable, ", ")));
    out::hint("'mlops data pull' fetches it once it has been pushed");
  }
  return 0;
}

int run_hooks_run(const HooksRunOptions& options) {
  Repo repo = require_store();
  if (options.hook == "pre-commit") return run_pre_commit(repo);
  if (options.hook == "pre-push") return run_pre_push(repo, options.args);
  return run_sync(repo, options.hook, options.args);
}

}  // namespace

void add_hooks_run(CLI::App& group) {
  auto options = std::make_shared<HooksRunOptions>();
  auto* command = add_command(group, "run", "Run a hook's checks now (what the installed hooks call)",
                              [options] { return run_hooks_run(*options); });
  command->add_option("hook", options->hook, "pre-commit, pre-push, post-checkout or post-merge")
      ->required()
      ->check(CLI::IsMember({"pre-commit", "pre-push", "post-checkout", "post-merge"}));
  command->add_option("args", options->args, "Arguments git passes to the hook (ignored by pre-commit)");
  command->footer("Example: mlops hooks run pre-commit");
}

}  // namespace mlops::cli
