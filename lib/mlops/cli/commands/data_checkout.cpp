// `mlops data checkout [PATH...] [--rev REV] [--force]`: make the workspace match the pointers.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/checkout.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"

namespace mlops::cli {

namespace {

struct DataCheckoutOptions {
  std::vector<std::string> paths;
  std::string rev;
  bool force = false;
  bool ours = false, theirs = false;
};

// --ours/--theirs: the conflicted pointers among `items` (all of them when no path was named),
// each turned into the chosen side. A named path that has no conflict is bad input.
std::vector<data::TrackedData> choose_sides(const std::vector<data::TrackedData>& items, bool named, bool ours) {
  std::vector<data::TrackedData> chosen;
  for (const auto& item : items) {
    if (!item.conflict) {
      if (!named) continue;
      throw Failure(bad_input(fmt::format("'{}' has no merge conflict in its pointer", item.data_path),
                              "--ours and --theirs choose a side of a conflicted pointer ('mlops data status' "
                              "shows them); without them 'mlops data checkout' restores the data"));
    }
    data::TrackedData side = item;
    side.pointer = ours ? item.conflict->ours : item.conflict->theirs;
    side.data_path = data::data_path_of(item.pointer_file, side.pointer);
    side.conflict.reset();
    chosen.push_back(std::move(side));
  }
  if (chosen.empty()) {
    throw Failure(bad_input("no pointer has a merge conflict", "'mlops data status' shows the state of every dataset"));
  }
  return chosen;
}

int run_data_checkout(const DataCheckoutOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  data::LinkMode link = unwrap(data::load_data_settings(repo)).link;
  auto items = select_data(repo, options.paths, options.rev);
  bool resolving = options.ours || options.theirs;
  std::vector<data::TrackedData> skipped;
  if (resolving) {
    items = choose_sides(items, !options.paths.empty(), options.ours);
  } else {
    // A conflicted pointer has no one version to restore: named, it is an error; among all, it
    // is skipped so that the other datasets still come out right.
    for (const auto& item : items) {
      if (item.conflict && !options.paths.empty()) throw Failure(data::conflict_error(item));
    }
    skipped = data::conflicted(items);
    std::erase_if(items, [](const auto& item) { return item.conflict.has_value(); });
  }
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));  // gc waits for us
  if (auto r = data::register_store_user(repo); !r) out::warn(r.error().message);
  data::Cache cache(repo);
  // What the cache lacks comes from the default remote (as `model get` and `repro` do): a fresh
  // clone can check out any committed version.
  std::vector<data::TrackedData> lacking;
  for (const auto& item : items) {
    if (!data::version_in_cache(cache, item.pointer)) lacking.push_back(item);
  }
  std::string fetch_hint = options.rev.empty()
                               ? std::string("run 'mlops data pull' to fetch it from a remote")
                               : fmt::format(
                                     "run 'mlops data fetch --rev {}' (with --remote NAME for another remote), "
                                     "then this command again",
                                     options.rev);
  if (!lacking.empty() && !config.default_remote.empty()) {
    auto remote = unwrap(data::open_named_remote(repo, config, ""));
    auto fetched = unwrap(data::fetch(cache, *remote, lacking));  // not there: says who must push it
    if (fetched.objects > 0 && !out::settings().json) {
      out::note(fmt::format("fetched {} object{} ({}) from '{}'", fetched.objects, fetched.objects == 1 ? "" : "s",
                            out::human_bytes(fetched.bytes), config.default_remote));
    }
  }
  auto stat_cache = unwrap(data::StatCache::open(repo));
  auto checked =
      data::checkout(repo, cache, *stat_cache, items, link, options.force ? data::Force::yes : data::Force::no);
  if (!checked) {
    Error e = checked.error();
    if (e.message.ends_with("is not in the cache")) e.hint = fetch_hint;
    throw Failure(e);
  }
  auto results = std::move(*checked);
  (void)stat_cache->save();
  // The chosen side is written into the pointer only once its data is in place: a checkout that
  // failed leaves the conflict as it was.
  for (const auto& item : resolving ? items : std::vector<data::TrackedData>{}) {
    unwrap(write_file_atomic(repo.root / item.pointer_file, data::format_pointer(item.pointer), repo.tmp()));
  }
  for (const auto& item : skipped) {
    out::warn(fmt::format("'{}' was not checked out: its pointer has a merge conflict", item.data_path));
    out::hint(data::conflict_way_out(item));
  }

  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : results)
      list.push_back({{"path", r.data_path}, {"written", r.written}, {"removed", r.removed}});
    nlohmann::ordered_json resolved = nlohmann::ordered_json::array();
    for (const auto& item : resolving ? items : std::vector<data::TrackedData>{}) {
      resolved.push_back(
          {{"path", item.data_path}, {"side", options.ours ? "ours" : "theirs"}, {"hash", item.pointer.hash.str()}});
    }
    nlohmann::ordered_json conflicts = nlohmann::ordered_json::array();
    for (const auto& item : skipped) conflicts.push_back(item.data_path);
    out::print_json({{"rev", options.rev.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(options.rev)},
                     {"checked_out", list},
                     {"resolved", resolved},
                     {"conflicts", conflicts}});
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
  if (resolving) {
    std::string pointers;
    for (const auto& item : items) {
      out::println("resolved {} with {} ({})", item.data_path, options.ours ? "ours" : "theirs",
                   item.pointer.hash.str());
      pointers += " " + item.pointer_file;
    }
    out::hint(fmt::format("mark the conflict resolved: git add{}", pointers));
  }
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
  auto* ours = command->add_flag(
      "--ours", options->ours,
      "Resolve a pointer's merge conflict with our side (HEAD's; in a rebase, the branch rebased onto)");
  auto* theirs = command->add_flag("--theirs", options->theirs,
                                   "Resolve a pointer's merge conflict with their side (the merged branch's)");
  ours->excludes(theirs);
  command->get_option("--rev")->excludes(ours)->excludes(theirs);
  add_json_flag(*command);
}

}  // namespace mlops::cli
