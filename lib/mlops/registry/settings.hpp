#pragma once
// The registry's settings in `.mlops/config.yaml` (team policy: the committed file only).
//
//   registry:
//     stages: [dev, staging, production]   # stages a version may be promoted to
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::registry {

// The allowed stages (the default list when the key is absent); bad input naming the file and
// line when the value is not a list of names.
Result<std::vector<std::string>> load_stages(const Repo& repo);

}  // namespace mlops::registry
