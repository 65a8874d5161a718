#pragma once
// Saved reference profiles (`mlops drift profile`): what `drift check` keeps of a reference for
// PSI, Jensen-Shannon, chi-square and the Z-test, written as JSON so that a check can run
// against it without the reference data.
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/dataset.hpp"

namespace mlops::drift {

inline constexpr int kProfileVersion = 1;

struct ProfileOptions {
  std::vector<std::string> columns;  // only these (empty: all)
  std::vector<std::string> exclude;
  std::vector<std::string> numeric;  // type overrides, as for check
  std::vector<std::string> categorical;
};

// The profile of `reference` as JSON text. Numeric columns keep their reference bins and, when
// they have at most 20 distinct values or are categorical, the count of each value; text
// columns keep their category counts. Bad input for unknown columns or --numeric on text.
Result<std::string> make_profile(Dataset& reference, const ProfileOptions& options);

// Whether `path` names a profile: a .json file whose top-level object starts with the marker.
bool is_profile(const std::string& path);

// A profile read back as the Dataset check compares against. Bad input naming `path` when it is
// malformed or of an unknown version.
Result<Dataset> read_profile(const std::string& path);

}  // namespace mlops::drift
