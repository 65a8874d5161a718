// `mlops data fetch [PATH...] [--remote NAME] [--rev REV | --all-commits --all-tags --all-branches]`:
// download missing objects into the cache.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/missing.hpp"
#include "mlops/data/revisions.hpp"
#include "mlops/data/sharing.hpp"

namespace mlops::cli {

namespace {

struct DataFetchOptions {
  std::vector<std::string> paths;
  std::string remote;
  std::string rev;
  bool models = false;
  git::RevisionScope history;
  JobsOption jobs;
};

int run_data_fetch(const DataFetchOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  auto overrides = jobs_override(options.jobs);
  check_remote_choice(config, options.remote);
  // --models alone fetches only registered models' artifacts (what `mlops model get` needs).
  std::vector<data::TrackedData> items;
  std::size_t revisions = 0;
  if (options.history.any()) {
    items = data::every_side(select_history(repo, options.paths, options.history, &revisions));
  } else if (!options.models || !options.paths.empty() || !options.rev.empty()) {
    items = data::every_side(select_data(repo, options.paths, options.rev));
  }
  if (options.models) {
    auto models = model_artifacts(repo);
    items.insert(items.end(), models.begin(), models.end());
  }
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));  // gc waits for us
  if (auto r = data::register_store_user(repo); !r) out::warn(r.error().message);
  auto remote = open_chosen_remote(repo, config, options.remote, data::Verify::no, overrides);
  data::Cache cache(repo);
  if (options.history.any()) {
    // A version of history that nobody pushed must not stop the others.
    auto split = unwrap(data::split_by_availability(cache, *remote, items));
    auto result = unwrap(data::fetch(cache, *remote, split.available));
    print_history_transfer("fetched", remote->describe(), result, revisions, split.lost);
    return 0;
  }
  // Everything that exists is fetched; what the remote lacks is named at the end (exit 2).
  auto outcome = unwrap(data::fetch_each(cache, *remote, items));
  data::find_introducing_commits(repo, options.rev.empty() ? "HEAD" : resolve_revision(repo, options.rev),
                                 outcome.missing);
  if (out::settings().json) {
    const auto& r = outcome.fetched;
    out::print_json({{"remote", remote->describe()},
                     {"objects", r.objects},
                     {"bytes", r.bytes},
                     {"skipped", r.skipped},
                     {"requests", r.requests},
                     {"missing", missing_json(outcome.missing)}});
  } else {
    print_transfer("fetched", remote->describe(), outcome.fetched);
  }
  if (outcome.missing.empty()) return 0;
  throw Failure(data::missing_error(outcome.missing, remote->describe(), "everything else was fetched"));
}

}  // namespace

void add_data_fetch(CLI::App& group) {
  auto options = std::make_shared<DataFetchOptions>();
  auto* command = add_command(group, "fetch", "Download tracked data into the cache without touching the workspace",
                              [options] { return run_data_fetch(*options); });
  command->add_option("paths", options->paths, "Tracked paths to fetch (default: all)")->type_name("PATH");
  command->add_option("-r,--remote", options->remote, "Remote to use (default: the default remote)")->type_name("NAME");
  command
      ->add_option("--rev", options->rev,
                   "Fetch the data the pointers name at this commit, branch or tag, or MODEL#STAGE")
      ->type_name("REV");
  command->add_flag("--models", options->models,
                    "Fetch registered model versions' artifacts (alone: only those; with paths or --rev: those too)");
  add_revision_flags(*command, options->history, "fetch");
  add_jobs_option(*command, options->jobs);
  add_json_flag(*command);
  command->footer(
      "Example: mlops data fetch --rev v1.0 && mlops data fetch --models\n"
      "         mlops data fetch --all-branches   # every branch's data, for work offline\n"
      "         mlops data fetch --jobs 64        # more transfers in flight (a fast link to S3)");
}

}  // namespace mlops::cli
