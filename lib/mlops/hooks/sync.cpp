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

// post-checkout (PREV NEW BRANCH-FLAG) and post-merge (SQUASH-FLAG): bring data that is out of
// date or missing up to date, fetching what the cache lacks from the default remote (as git-lfs
// does). Modified data is left alone. hooks.checkout: false turns it off. Never fails git's
// command: problems are warnings.
Result<int> sync_workspace(const Repo& repo, std::string_view hook, const std::vector<std::string>& args) {
  auto settings_result = data::load_data_settings(repo);
  if (!settings_result) return std::unexpected(settings_result.error());
  auto settings = std::move(*settings_result);
  if (!settings.hooks_checkout) return 0;
  if (hook == "post-checkout" && args.size() >= 3 && args[2] == "0") return 0;  // a file checkout
  auto config_result = load_config(repo);
  if (!config_result) return std::unexpected(config_result.error());
  Config config = std::move(*config_result);
  auto items_result = data::list_tracked(repo);
  if (!items_result) return std::unexpected(items_result.error());
  auto items = std::move(*items_result);
  if (items.empty()) return 0;
  auto store_lock_result = data::lock_store(repo, LockKind::shared);
  if (!store_lock_result) return std::unexpected(store_lock_result.error());
  auto store_lock = std::move(*store_lock_result);
  data::Cache cache(repo);
  auto stat_cache_result = data::StatCache::open(repo);
  if (!stat_cache_result) return std::unexpected(stat_cache_result.error());
  auto stat_cache = std::move(*stat_cache_result);
  std::vector<data::TrackedData> behind, uncached;
  std::vector<std::string> modified;
  for (const auto& item : items) {
    auto status_result = data::status_of(repo, cache, *stat_cache, item);
    if (!status_result) return std::unexpected(status_result.error());
    auto status = std::move(*status_result);
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
    auto results = data::checkout(repo, cache, *stat_cache, ready, settings.link, data::Force::no);
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

}  // namespace mlops::hooks
