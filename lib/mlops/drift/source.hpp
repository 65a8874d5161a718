#pragma once
// What REFERENCE and CURRENT name: a file, or PATH@REV (the data version that PATH.mlops
// pointed to at git revision REV, read from the cache).
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/reader.hpp"

namespace mlops::drift {

// The parts to read for `spec`: one for a file; for a tracked folder at a revision, its files of
// the one supported format, in path order. Bad input when nothing by that name exists.
Result<std::vector<Part>> open_source(const std::string& spec);

}  // namespace mlops::drift
