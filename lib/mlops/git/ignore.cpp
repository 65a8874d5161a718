#include "mlops/git/ignore.hpp"

#include <git2.h>

#include <string>

namespace mlops::git {

Result<bool> is_ignored(const Repository& repo, std::string_view path) {
  int ignored = 0;
  std::string p(path);
  if (git_ignore_path_is_ignored(&ignored, repo.raw(), p.c_str()) != 0) {
    return std::unexpected(git_error("check whether git ignores '" + p + "'"));
  }
  return ignored != 0;
}

}  // namespace mlops::git
