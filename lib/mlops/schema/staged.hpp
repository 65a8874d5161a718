#pragma once
// The schema check of a commit: each dataset whose pointer the next commit changes and whose
// schema (DATA.schema.yaml) the commit holds is checked against it, for `mlops hooks run
// schema-check` (the pre-commit framework's hook id mlops-schema) and the pre-commit hook
// `mlops hooks install` writes. Both sides are what the commit records: the data version the
// staged pointer names (read from the cache) and the staged schema, never the work tree's files.
#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::schema {

// Prints each failed report as an error (stderr); returns 0 when every staged dataset passes its
// error-level checks, 1 (Exit::check_failed) when one does not or when the staged version is not
// in the cache (it cannot be checked). A malformed schema or malformed data is an error (exit 2).
Result<int> check_staged(const Repo& repo);

}  // namespace mlops::schema
