#pragma once
// Three-way merges of pointer files: what git's merge driver for `*.mlops` (`merge=mlops` in
// .gitattributes, `mlops hooks install`) runs. Identical sides, or a side that did not change,
// take the other; two folder versions merge by their manifests, file by file; anything else is a
// conflict that names only that dataset (data/pointer_conflict.hpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/pointer_conflict.hpp"

namespace mlops::data {

struct ManifestMerge {
  Manifest merged;                     // meaningful only when `conflicts` is empty
  std::vector<std::string> conflicts;  // files both sides changed differently (or one changed, one deleted)
};
// A file changed (added, modified, deleted) on one side only is taken from that side; files both
// sides changed the same way are taken once. `base` is empty when the folder is new on both sides.
ManifestMerge merge_manifests(const Manifest& base, const Manifest& ours, const Manifest& theirs);

struct PointerMergeResult {
  std::string text;    // what the merged pointer file holds (a pointer, or a conflict)
  bool clean = false;  // false: `text` records a conflict
  std::string reason;  // why it conflicts, for the user
};

// Merges the texts of a pointer file: `base` (empty when both sides added it), `ours`, `theirs`.
// Folder manifests the cache lacks are fetched from the default remote; the merged manifest is
// stored in the cache. Never fails: what cannot be merged becomes a conflict (always, for folders,
// without a store: `repo` null).
PointerMergeResult merge_pointer_texts(const Repo* repo, std::string_view base, std::string_view ours,
                                       std::string_view theirs, std::string_view pointer_file);

}  // namespace mlops::data
