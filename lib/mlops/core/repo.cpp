#include "mlops/core/repo.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>

namespace mlops {

namespace fs = std::filesystem;

namespace {
bool exists_no_follow(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}
}  // namespace

bool Repo::initialised() const {
  struct stat st {};
  return ::stat(config_file().c_str(), &st) == 0;
}

Result<std::string> Repo::relative(const fs::path& path) const {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  // Resolve symlinks in the folders above the last component, so that a path reached through a
  // symlinked folder is judged by where it really is; the last component itself is kept.
  fs::path parent = fs::weakly_canonical(absolute.parent_path(), ec);
  if (!ec) absolute = parent / absolute.filename();
  fs::path rel = absolute.lexically_relative(root);
  std::string text = rel.generic_string();
  if (rel.empty() || text == ".." || text.starts_with("../")) {
    return std::unexpected(bad_input(fmt::format("'{}' is outside the repository '{}'", path.string(), root.string())));
  }
  if (!text.empty() && text.back() == '/') text.pop_back();
  if (text.empty()) text = ".";
  return text;
}

Result<Repo> find_git_repo(const fs::path& start) {
  std::error_code ec;
  fs::path dir = start.empty() ? fs::current_path(ec) : fs::absolute(start, ec);
  if (ec) return std::unexpected(system_error("find", start.empty() ? fs::path(".") : start, ec.value()));
  dir = fs::weakly_canonical(dir, ec);
  for (fs::path d = dir;; d = d.parent_path()) {
    if (exists_no_follow(d / ".git")) {
      Repo repo{d, {}};
      if (const char* store = std::getenv("MLOPS_STORE_DIR"); store && *store) repo.store_dir = fs::absolute(store);
      return repo;
    }
    if (d == d.root_path() || d.empty()) break;
  }
  return std::unexpected(bad_input(fmt::format("not a git repository (or any parent up to '/'): '{}'", dir.string()),
                                   "run 'git init' first; mlops keeps its store inside a git work tree"));
}

Result<Repo> find_store(const fs::path& start) {
  auto repo = find_git_repo(start);
  if (!repo) return repo;
  if (!repo->initialised()) {
    return std::unexpected(bad_input(fmt::format("'{}' is not set up for mlops", repo->root.string()),
                                     "run 'mlops init' at the top of the repository"));
  }
  // A fresh clone has the committed config but not the local folders: make them on first use.
  ::mkdir(repo->cache().c_str(), 0755);
  ::mkdir(repo->tmp().c_str(), 0755);
  return repo;
}

}  // namespace mlops
