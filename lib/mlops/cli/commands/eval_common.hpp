#pragma once
// What the eval commands share.
#include <optional>

#include "mlops/core/repo.hpp"

namespace mlops::cli {
// The mlops repository around the current folder, if there is one: gate and compare also read
// results files outside any repository.
std::optional<Repo> optional_store();
}  // namespace mlops::cli
