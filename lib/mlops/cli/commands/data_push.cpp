// `mlops data push [PATH...] [--remote NAME] [--rev REV | --all-commits --all-tags --all-branches]`:
// upload the objects a remote is missing.
// Without PATH or --rev it also uploads the artifacts of registered model versions, so that
// `mlops model get` works in any clone (a CI deploy job starts with an empty cache), and the runs
// those versions were made by (runs push), so that `mlops repro NAME@VERSION` works there too.
#include <fmt/format.h>

#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/revisions.hpp"
#include "mlops/data/status.hpp"
#include "mlops/tracking/run_store.hpp"
#include "mlops/tracking/share.hpp"

namespace mlops::cli {

namespace {

struct DataPushOptions {
  std::vector<std::string> paths;
  std::string remote;
  std::string rev;
  git::RevisionScope history;
  bool verify = false;
  JobsOption jobs;
};

// The runs registered model versions name travel with their artifacts, so that `repro` of a
// version works from a fresh clone. Runs registered elsewhere and never brought here are that
// clone's to push.
void push_registered_runs(const Repo& repo, const data::Remote& remote) {
  if (!std::filesystem::exists(repo.runs_db())) return;
  auto store = unwrap(tracking::RunStore::open(repo));
  std::vector<std::string> ids;
  for (auto& id : registered_runs(repo)) {
    if (unwrap(store.exists(id))) ids.push_back(std::move(id));
  }
  if (ids.empty()) return;
  auto result = unwrap(tracking::push_runs(repo, store, remote, ids));
  if (!result.pushed.empty()) {
    out::note(fmt::format("pushed {} run{} of registered models ({} already there)", result.pushed.size(),
                          result.pushed.size() == 1 ? "" : "s", result.already.size()));
  }
}

int run_data_push(const DataPushOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  auto overrides = jobs_override(options.jobs);
  check_remote_choice(config, options.remote);
  std::size_t revisions = 0;
  auto selected = options.history.any() ? select_history(repo, options.paths, options.history, &revisions)
                                        : select_data(repo, options.paths, options.rev);
  data::Cache cache(repo);
  // A conflicted pointer's sides are pushed where this cache has them (the other side came from
  // the remote, or is the other clone's to push).
  std::vector<data::TrackedData> items;
  for (auto& item : selected) {
    for (auto& side : data::every_side({item})) {
      if (!item.conflict || data::version_in_cache(cache, side.pointer)) items.push_back(std::move(side));
    }
  }
  if (options.paths.empty() && options.rev.empty()) {
    // A version registered in another clone whose artifact never came here is that clone's to
    // push; only what this cache holds can be sent.
    for (auto& model : model_artifacts(repo)) {
      if (cache.contains(model.pointer.hash)) items.push_back(std::move(model));
    }
  }
  auto remote = open_chosen_remote(repo, config, options.remote, options.verify ? data::Verify::yes : data::Verify::no,
                                   overrides);
  bool everything = options.paths.empty() && options.rev.empty();
  if (!options.history.any()) {
    auto result = unwrap(data::push(cache, *remote, items));
    if (everything) push_registered_runs(repo, *remote);
    print_transfer("pushed", remote->describe(), result);
    return 0;
  }
  // Old versions this clone never had and nobody pushed must not stop the others.
  auto split = unwrap(data::split_by_availability(cache, *remote, items));
  auto result = unwrap(data::push(cache, *remote, split.available));
  if (everything) push_registered_runs(repo, *remote);
  print_history_transfer("pushed", remote->describe(), result, revisions, split.lost);
  return 0;
}

}  // namespace

void add_data_push(CLI::App& group) {
  auto options = std::make_shared<DataPushOptions>();
  auto* command =
      add_command(group, "push", "Upload tracked data (and registered models' artifacts) the remote does not have yet",
                  [options] { return run_data_push(*options); });
  command->add_option("paths", options->paths, "Tracked paths to push (default: all)")->type_name("PATH");
  command->add_option("-r,--remote", options->remote, "Remote to use (default: the default remote)")->type_name("NAME");
  command
      ->add_option("--rev", options->rev,
                   "Push the data the pointers name at this commit, branch or tag, or MODEL#STAGE")
      ->type_name("REV");
  add_revision_flags(*command, options->history, "push");
  command->add_flag("--verify", options->verify,
                    "Ask the remote about every object instead of trusting what this machine remembers it has "
                    "(after objects were deleted from it by other means)");
  add_jobs_option(*command, options->jobs);
  add_json_flag(*command);
  command->footer(
      "Example: mlops data push --all-tags   # every released data version, not just HEAD's\n"
      "         mlops data push --jobs 64    # more transfers in flight (a fast link to S3)");
}

}  // namespace mlops::cli
