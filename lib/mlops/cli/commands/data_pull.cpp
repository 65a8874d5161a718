// `mlops data pull [PATH...] [--remote NAME] [--rev REV] [--force]`: fetch, then check out.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/checkout.hpp"
#include "mlops/data/missing.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"

namespace mlops::cli {

namespace {

struct DataPullOptions {
  std::vector<std::string> paths;
  std::string remote;
  std::string rev;
  bool force = false;
  JobsOption jobs;
};

int run_data_pull(const DataPullOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  auto overrides = jobs_override(options.jobs);
  check_remote_choice(config, options.remote);
  data::LinkMode link = unwrap(data::load_data_settings(repo)).link;
  auto items = select_data(repo, options.paths, options.rev);
  // A conflicted pointer: both sides are fetched (so either can be chosen offline), neither is
  // checked out; the other datasets are pulled as usual.
  for (const auto& item : items) {
    if (item.conflict && !options.paths.empty()) throw Failure(data::conflict_error(item));
  }
  auto conflicts = data::conflicted(items);
  items = data::every_side(items);
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));  // gc waits for us
  if (auto r = data::register_store_user(repo); !r) out::warn(r.error().message);
  auto remote = open_chosen_remote(repo, config, options.remote, data::Verify::no, overrides);
  data::Cache cache(repo);
  // Fetch what exists: one dataset the remote lacks does not keep the others from arriving.
  auto outcome = unwrap(data::fetch_each(cache, *remote, items));
  const data::TransferResult& fetched = outcome.fetched;
  std::vector<data::TrackedData> ready = std::move(outcome.ready);
  // Conflicted datasets were fetched (every side), never checked out.
  std::erase_if(ready, [&](const data::TrackedData& item) {
    return std::any_of(conflicts.begin(), conflicts.end(),
                       [&](const data::TrackedData& c) { return c.pointer_file == item.pointer_file; });
  });
  auto stat_cache = unwrap(data::StatCache::open(repo));
  auto results = unwrap(data::checkout(repo, cache, *stat_cache, ready, link,
                                       options.force ? data::Force::yes : data::Force::no, options.rev));
  (void)stat_cache->save();
  std::size_t written = 0;
  for (const auto& r : results) written += r.written;

  // Who to ask about what is missing: the commit that introduced each pointer's version.
  data::find_introducing_commits(repo, options.rev.empty() ? "HEAD" : resolve_revision(repo, options.rev),
                                 outcome.missing);
  nlohmann::ordered_json missing = missing_json(outcome.missing);
  if (out::settings().json) {
    out::print_json({{"remote", remote->describe()},
                     {"objects", fetched.objects},
                     {"bytes", fetched.bytes},
                     {"skipped", fetched.skipped},
                     {"requests", fetched.requests},
                     {"files_written", written},
                     {"missing", missing}});
  } else {
    out::println("{} object{} fetched ({}), {} file{} written to the workspace", fetched.objects,
                 fetched.objects == 1 ? "" : "s", out::human_bytes(fetched.bytes), written, written == 1 ? "" : "s");
  }
  for (const auto& item : conflicts) {
    out::warn(fmt::format("'{}' was fetched but not checked out: its pointer has a merge conflict", item.data_path));
    out::hint(data::conflict_way_out(item));
  }
  if (outcome.missing.empty()) return 0;
  throw Failure(data::missing_error(outcome.missing, remote->describe(), "everything else was pulled"));
}

}  // namespace

void add_data_pull(CLI::App& group) {
  auto options = std::make_shared<DataPullOptions>();
  auto* command = add_command(group, "pull", "Download tracked data from a remote and check it out",
                              [options] { return run_data_pull(*options); });
  command->add_option("paths", options->paths, "Tracked paths to pull (default: all)")->type_name("PATH");
  command->add_option("-r,--remote", options->remote, "Remote to use (default: the default remote)")->type_name("NAME");
  command
      ->add_option("--rev", options->rev,
                   "Pull the data the pointers name at this commit, branch or tag, or MODEL#STAGE")
      ->type_name("REV");
  command->add_flag("-f,--force", options->force, "Overwrite local changes even when they are not in the cache");
  add_jobs_option(*command, options->jobs);
  add_json_flag(*command);
  command->footer(
      "Example: mlops data pull data/train.csv --rev v1.0\n"
      "         mlops data pull --jobs 8 -r storage   # fewer transfers in flight (a slow or shared link)");
}

}  // namespace mlops::cli
