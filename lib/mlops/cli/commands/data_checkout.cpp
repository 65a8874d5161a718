// `mlops data checkout [PATH...] [--rev REV] [--force]`: make the workspace match the pointers.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/checkout.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"

namespace mlops::cli {

namespace {

struct DataCheckoutOptions {
  std::vector<std::string> paths;
  std::string rev;
  bool force = false;
};

int run_data_checkout(const DataCheckoutOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  auto items = select_data(repo, options.paths, options.rev);
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));  // gc waits for us
  if (auto r = data::register_store_user(repo); !r) out::warn(r.error().message);
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  auto results = unwrap(
      data::checkout(repo, cache, *stat_cache, items, config.link, options.force ? data::Force::yes : data::Force::no));
  (void)stat_cache->save();

  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : results)
      list.push_back({{"path", r.data_path}, {"written", r.written}, {"removed", r.removed}});
    out::print_json({{"rev", options.rev.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(options.rev)},
                     {"checked_out", list}});
    return 0;
  }
  std::size_t changed = 0;
  for (const auto& r : results) {
    if (r.unchanged()) continue;
    ++changed;
    std::string removed = r.removed ? fmt::format(", {} removed", r.removed) : "";
    out::println("restored {} ({} written{})", r.data_path, r.written, removed);
  }
  if (changed == 0) out::println("Workspace already matches ({} tracked).", results.size());
  return 0;
}

}  // namespace

void add_data_checkout(CLI::App& group) {
  auto options = std::make_shared<DataCheckoutOptions>();
  auto* command = add_command(group, "checkout", "Make workspace data match its pointers (or a git revision's)",
                              [options] { return run_data_checkout(*options); });
  command->add_option("paths", options->paths, "Tracked paths to restore (default: all)")->type_name("PATH");
  command
      ->add_option("--rev", options->rev,
                   "Restore the data as the pointers were at this commit, branch, tag or MODEL#STAGE "
                   "(git's own work tree is not touched)")
      ->type_name("REV");
  command->add_flag("-f,--force", options->force, "Overwrite local changes even when they are not in the cache");
  add_json_flag(*command);
}

}  // namespace mlops::cli
