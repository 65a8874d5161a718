#pragma once
// A pointer file that a merge left conflicted: git's conflict markers around the two (or, with
// merge.conflictStyle diff3 and from mlops' merge driver, three) versions of the pointer. mlops
// reads it as one conflicted dataset, so that the conflict stops only that dataset and never
// every data command.
//
//   # mlops: merge conflict: 'mlops data checkout PATH --ours' or '--theirs', then 'git add PATH.mlops'
//   # conflicting file: images/a.png         (a folder: files both sides changed differently)
//   <<<<<<< ours
//   version: 1 ...                          (our pointer)
//   ||||||| base
//   version: 1 ...                          (the common ancestor's; optional)
//   =======
//   version: 1 ...                          (their pointer)
//   >>>>>>> theirs
//
// Lines outside the markers belong to every side (git's text merge leaves the lines both sides
// share there).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/data/pointer.hpp"

namespace mlops::data {

struct PointerConflict {
  Pointer ours;
  Pointer theirs;
  std::optional<Pointer> base;     // when the markers carry the common ancestor
  std::vector<std::string> files;  // a folder's files both sides changed differently, when recorded
};

// Whether `text` holds a conflict marker line ("<<<<<<<" at the start of a line).
bool has_conflict_markers(std::string_view text);
// Parses both (or all three) sides. A side that is not a pointer is an error naming `source`.
Result<PointerConflict> parse_pointer_conflict(std::string_view text, const std::filesystem::path& source);
// The text the merge driver leaves for a conflict it cannot resolve; `pointer_file` names the file
// in the instructions at the top.
std::string format_pointer_conflict(const PointerConflict& conflict, std::string_view pointer_file);

}  // namespace mlops::data
