#pragma once
// What REFERENCE and CURRENT name: a file, or PATH@REV (the data version that PATH.mlops
// pointed to at git revision REV, read from the cache).
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/drift/reader.hpp"

namespace mlops::drift {

// The parts to read for `spec`: one for a file; for a tracked folder at a revision, its files of
// the one supported format, in path order. Bad input when nothing by that name exists.
Result<std::vector<Part>> open_source(const std::string& spec);

// The parts of one data version, the one `pointer` names, read from the cache: `name` names a
// file version's part, and a folder version's files as NAME:FILE.
Result<std::vector<Part>> open_version(const Repo& repo, const data::Pointer& pointer, const std::string& name);

}  // namespace mlops::drift
