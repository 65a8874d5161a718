#pragma once
// Checks of the .gitignore entries mlops writes (`/name` in the folder of each tracked path):
// - tracked data that git no longer ignores (the entry was lost, say in a merge or by hand), so
//   that `git add -A` would commit the data itself;
// - entries whose pointer is gone (removed in a commit, by a teammate's `data remove` or `mv`),
//   so that data sits ignored while no pointer versions it.
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/history.hpp"

namespace mlops::data {

struct IgnoreFinding {
  enum class Kind { not_ignored, untracked } kind = Kind::not_ignored;
  std::string data_path;                      // "data/train.csv"
  std::string ignore_file;                    // "data/.gitignore": where the entry belongs (or is)
  std::string entry;                          // "/train.csv"
  std::optional<git::CommitInfo> removed_in;  // untracked: the commit that removed the pointer
  std::string fix() const;                    // the way out, for a hint
};

// `tracked` and `ignore_files` as list_tracked gives them (the whole work tree). Opens the git
// repository only when an entry is missing or a candidate untracked entry is found.
Result<std::vector<IgnoreFinding>> check_ignores(const Repo& repo, const std::vector<TrackedData>& tracked,
                                                 const std::vector<std::string>& ignore_files);

}  // namespace mlops::data
