#pragma once
// The schema check of a commit: each dataset whose pointer the next commit changes and that has a
// schema beside it (DATA.schema.yaml) is checked against it, for `mlops hooks run schema-check`
// (the pre-commit framework's hook id mlops-schema) and the pre-commit hook `mlops hooks install`
// writes.
#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::schema {

// Prints each failed report and a summary (stderr); returns 0 when every staged dataset passes
// its error-level checks, 1 (Exit::check_failed) when one does not. A dataset whose data is not
// in the work tree is skipped with a warning; a malformed schema or malformed data is an error.
Result<int> check_staged(const Repo& repo);

}  // namespace mlops::schema
