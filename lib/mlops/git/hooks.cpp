#include "mlops/git/hooks.hpp"

#include <git2.h>

namespace mlops::git {

Result<std::filesystem::path> hooks_path(const Repository& repo) {
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo.raw()) == 0) {
    git_buf value = GIT_BUF_INIT;
    int rc = git_config_get_path(&value, config, "core.hooksPath");
    git_config_free(config);
    if (rc == 0) {
      std::filesystem::path p(value.ptr);
      git_buf_dispose(&value);
      return p.is_absolute() ? p : repo.work_tree() / p;
    }
  }
  git_buf path = GIT_BUF_INIT;
  if (git_repository_item_path(&path, repo.raw(), GIT_REPOSITORY_ITEM_HOOKS) != 0) {
    return std::unexpected(git_error("find the hooks folder"));
  }
  std::filesystem::path p(path.ptr);
  git_buf_dispose(&path);
  return p;
}

Result<void> set_local_config(const Repository& repo, const std::string& name, const std::string& value) {
  git_config* config = nullptr;
  if (git_repository_config(&config, repo.raw()) != 0) return std::unexpected(git_error("open the git config"));
  git_config* local = nullptr;
  int rc = git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL);
  git_config_free(config);
  if (rc != 0) return std::unexpected(git_error("open the repository's git config"));
  rc = git_config_set_string(local, name.c_str(), value.c_str());
  git_config_free(local);
  if (rc != 0) return std::unexpected(git_error("set '" + name + "' in the git config"));
  return {};
}

}  // namespace mlops::git
