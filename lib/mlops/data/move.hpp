#pragma once
// `mlops data mv` and `mlops data remove`: move or stop tracking data, with its pointer and its
// .gitignore entry, never losing content that is only in the workspace.
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;
class StatCache;

// Removes the line `/name` for `rel` from the .gitignore in its folder; false when it was not there.
Result<bool> remove_gitignore_entry(const Repo& repo, const std::string& rel);

// Moves tracked `from` (a data path or its pointer) to `to`: the data (when present), the pointer
// (`to`.mlops, its `path` renamed) and the .gitignore entries. `to` must not exist, must not be
// inside .git, .mlops or other tracked data. The new pointer is written before anything is
// removed. Returns the moved item, as it is now.
Result<TrackedData> move_tracked(const Repo& repo, const std::string& from, const std::string& to);

enum class KeepData { no, yes };

// Stops tracking `path`: removes its pointer and .gitignore entry, and with KeepData::no the data
// in the workspace too — refused (exit 2, nothing changed) when that content is in no cache
// (a modification nobody recorded). The cache keeps the versions (`data gc` decides).
Result<TrackedData> remove_tracked(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& path,
                                   KeepData keep);

}  // namespace mlops::data
