#pragma once
// The root `.gitattributes` lines mlops relies on when branches merge:
//   *.mlops merge=mlops        pointers merge by their manifests (the driver `mlops hooks install`
//                              configures; without it git merges them as text, and a conflict
//                              still stops only that dataset)
//   .gitignore merge=union     ignore lists keep both sides' lines (mlops writes one entry per
//                              tracked path; two branches adding data in one folder never conflict)
//   .mlops/dvc-history.jsonl merge=union
//                              the history imported from DVC (dvc_history.hpp): each line stands
//                              alone, so two branches' imports merge without a conflict
#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::data {

// Adds the lines that are missing (with one comment line above them); false when none was.
// Written by `mlops hooks install` and by `mlops import dvc --all-commits`.
// Lines already there, the user's own lines and their order are kept as they are.
Result<bool> ensure_gitattributes(const Repo& repo);

// The git config that names the merge driver: merge.mlops.name and merge.mlops.driver.
inline constexpr const char* kMergeDriverName = "mlops: merge pointers by their manifests";
inline constexpr const char* kMergeDriverCommand = "mlops hooks merge-driver %O %A %B %P";

}  // namespace mlops::data
