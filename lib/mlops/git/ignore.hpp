#pragma once
// Whether git ignores a path (every .gitignore, .git/info/exclude and core.excludesFile).
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {
// `path` is relative to the work tree; a folder is asked about as itself.
Result<bool> is_ignored(const Repository& repo, std::string_view path);
}  // namespace mlops::git
