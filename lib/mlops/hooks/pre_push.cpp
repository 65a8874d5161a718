#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <istream>
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

}  // namespace

// Pushes the data of every commit in the pushed range (as git-lfs does): the commits the pushed
// refs reach that the remote's refs do not. git gives "<local ref> <local sha> <remote ref>
// <remote sha>" lines on stdin; the pre-commit framework gives PRE_COMMIT_FROM_REF and
// PRE_COMMIT_TO_REF instead. Data that no cache or remote has is reported with the commit and
// author that introduced it; it blocks the push when that commit is yours, or with
// hooks.push_strict, and otherwise warns (it is someone else's to push).
Result<int> pre_push(const Repo& repo, const std::vector<std::string>& args, std::istream& in,
                     const std::function<std::vector<data::TrackedData>()>& model_artifacts) {
  auto config_result = load_config(repo);
  if (!config_result) return std::unexpected(config_result.error());
  Config config = std::move(*config_result);
  auto settings_result = data::load_data_settings(repo);
  if (!settings_result) return std::unexpected(settings_result.error());
  auto settings = std::move(*settings_result);
  if (config.default_remote.empty()) {
    out::warn("no default data remote: the pushed commits' data was not uploaded");
    out::hint("set one with 'mlops remote add NAME URL --default'");
    return 0;
  }
  auto git_repo_result = git::Repository::open(repo.root);
  if (!git_repo_result) return std::unexpected(git_repo_result.error());
  auto git_repo = std::move(*git_repo_result);
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
    while (in >> local_ref >> local_sha >> remote_ref >> remote_sha) {
      if (local_sha.find_first_not_of('0') == std::string::npos) continue;  // all zeros: a deletion
      include.push_back(local_sha);
      if (remote_sha.find_first_not_of('0') != std::string::npos) exclude.push_back(remote_sha);
      pushes_tags |= local_ref.starts_with("refs/tags/");
    }
  }
  // What the remote already has (as far as this clone knows) was checked when it was pushed.
  if (!remote_name.empty()) {
    auto known_result = git::ref_commits(git_repo, "refs/remotes/" + remote_name + "/");
    if (!known_result) return std::unexpected(known_result.error());
    auto known = std::move(*known_result);
    exclude.insert(exclude.end(), known.begin(), known.end());
  }
  auto commits_result = git::commits_between(git_repo, include, exclude);
  if (!commits_result) return std::unexpected(commits_result.error());
  auto commits = std::move(*commits_result);

  auto remote_result = data::open_named_remote(repo, config, "");
  if (!remote_result) return std::unexpected(remote_result.error());
  auto remote = std::move(*remote_result);
  data::Cache cache(repo);
  std::vector<data::TrackedData> available;
  std::vector<LostVersion> lost;
  std::set<Hash> seen;
  for (const auto& commit : commits) {
    auto at_commit = data::list_tracked_at(repo, commit.id);
    if (!at_commit) return std::unexpected(at_commit.error());
    for (auto& item : data::every_side(*at_commit)) {
      if (!seen.insert(item.pointer.hash).second) continue;
      std::vector<Hash> unexpanded;
      auto objects = data::objects_of(cache, {item}, &unexpanded);
      auto present_result = remote->contains(objects);
      if (!present_result) return std::unexpected(present_result.error());
      auto present = std::move(*present_result);
      bool complete = true;
      for (std::size_t i = 0; i < objects.size(); ++i) complete &= present[i] || cache.contains(objects[i]);
      // A folder whose manifest only the remote has was pushed whole.
      if (complete) {
        available.push_back(std::move(item));
      } else {
        auto introduced_result = git::last_change(git_repo, commit.id, item.pointer_file);
        if (!introduced_result) return std::unexpected(introduced_result.error());
        auto introduced = std::move(*introduced_result);
        lost.push_back(LostVersion{std::move(item), std::move(introduced)});
      }
    }
  }
  data::TransferResult total;
  auto push = [&](const std::vector<data::TrackedData>& items) -> Result<void> {
    auto result = data::push(cache, *remote, items);
    if (!result) return std::unexpected(result.error());
    total.objects += result->objects;
    total.bytes += result->bytes;
    return {};
  };
  MLOPS_TRY(push(available));
  // Registry tags name model artifacts: a clone that gets the tags must be able to get the
  // models (`mlops model get`), as `mlops data push` makes sure too.
  if (pushes_tags) {
    std::vector<data::TrackedData> models;
    for (auto& model : model_artifacts()) {
      if (cache.contains(model.pointer.hash)) models.push_back(std::move(model));
    }
    MLOPS_TRY(push(models));
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

}  // namespace mlops::hooks
