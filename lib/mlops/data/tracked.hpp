#pragma once
// What the pointer files say: in the workspace, or in a commit (read from git, never checked out).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/dvc_history.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/pointer_conflict.hpp"

namespace mlops::data {

struct TrackedData {
  std::string pointer_file;  // relative to the repository root: "data/train.csv.mlops"
  std::string data_path;     // "data/train.csv"
  Pointer pointer;           // for a conflicted pointer: our side
  // Set when a merge left the pointer conflicted (data/pointer_conflict.hpp). Such a dataset has
  // no one version: commands that would act on it (checkout, add, mv, remove) refuse it, and
  // commands over every dataset skip it with a warning; fetch, push and gc take every side.
  std::optional<PointerConflict> conflict;
};

// The way out of a conflicted pointer (for a hint).
std::string conflict_way_out(const TrackedData& item);
// "'data/x' has a merge conflict in its pointer", exit 2, with the way out.
Error conflict_error(const TrackedData& item);
// Every item, with each conflicted one replaced by one item per side (ours, theirs, base): what
// fetch, push and gc work on, so that no side's data is lost or left behind.
std::vector<TrackedData> every_side(const std::vector<TrackedData>& items);
// The conflicted items of `items`.
std::vector<TrackedData> conflicted(const std::vector<TrackedData>& items);

// The data path a pointer file names: its folder joined with the pointer's `path`.
std::string data_path_of(std::string_view pointer_file, const Pointer& pointer);

// Every *.mlops pointer in the work tree, sorted by data path. Skips .git, .mlops and the
// folders that are tracked data themselves. A malformed pointer is an error naming it.
// With `ignore_files`, the .gitignore files met on the way are listed there (repo-relative).
Result<std::vector<TrackedData>> list_tracked(const Repo& repo, std::vector<std::string>* ignore_files = nullptr);
// The pointers for `paths` (data paths or pointer files, repo-relative; a folder selects the
// pointers below it). An empty list means every pointer. A path with no pointer is an error.
Result<std::vector<TrackedData>> select_tracked(const Repo& repo, const std::vector<std::string>& paths);
// Every pointer in commit REV.
Result<std::vector<TrackedData>> list_tracked_at(const Repo& repo, std::string_view rev);
// As select_tracked, at commit REV.
Result<std::vector<TrackedData>> select_tracked_at(const Repo& repo, std::string_view rev,
                                                   const std::vector<std::string>& paths);
// PATH@REV: the pointer of `data_path` in commit REV; bad input when there is none.
Result<TrackedData> tracked_at(const Repo& repo, std::string_view data_path, std::string_view rev);
// The versions of commit REV that `mlops import dvc --all-commits` could not bring in (missing or
// corrupt), as .mlops/dvc-history.jsonl records them: PATH@REV and `data diff` say so instead of
// "not tracked". Empty without that file.
Result<std::vector<DvcNotImported>> dvc_not_imported_at(const Repo& repo, std::string_view rev);
// The pointer of `data_path` in the work tree; bad input when there is none.
Result<TrackedData> read_tracked(const Repo& repo, std::string_view data_path);

}  // namespace mlops::data
