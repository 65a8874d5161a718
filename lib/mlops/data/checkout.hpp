#pragma once
// `mlops data checkout`: make the workspace match the pointers, never losing local changes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/link_mode.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;
class StatCache;

enum class Force { no, yes };

struct CheckoutResult {
  std::string data_path;
  std::size_t written = 0;  // files placed
  std::size_t removed = 0;  // files removed (not in the version)
  bool unchanged() const { return written == 0 && removed == 0; }
};

// Checks out every item of `items`. Everything is planned first: when an object is missing from
// the cache (exit 2, hint to pull) or a local change would be lost without Force::yes (exit 2,
// naming the files), nothing is written. A local change is safe to overwrite when its content is
// in the cache. Objects are verified as they are placed.
//
// While it writes, `.mlops/checkout-incomplete` names the paths being written (and `rev`, the
// revision they come from; empty for the pointers): a checkout or pull that is killed leaves it
// behind, `data status` reports those paths as incomplete (never as modified, so nobody `data
// add`s half a dataset) and the next checkout of them finishes the job and removes it.
Result<std::vector<CheckoutResult>> checkout(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                             const std::vector<TrackedData>& items, LinkMode link, Force force,
                                             std::string_view rev = {});

struct IncompleteCheckout {
  std::string rev;                 // empty: the pointers in the workspace
  std::vector<std::string> paths;  // data paths, repo-relative
  // The command that finishes it.
  std::string command() const;
};
// What an interrupted checkout left unfinished; nullopt when nothing.
std::optional<IncompleteCheckout> incomplete_checkout(const Repo& repo);

}  // namespace mlops::data
