#include "mlops/data/sharing.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>

#include "mlops/core/hash.hpp"
#include "mlops/core/output.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

Result<FileLock> lock_store(const Repo& repo, LockKind kind) {
  fs::path path = repo.store() / "store.lock";
  // Waiting is said only when another process holds the lock, not when the lock file cannot be
  // made (a full disk): that is the error itself.
  auto now = FileLock::try_acquire(path, kind);
  if (!now) return std::unexpected(now.error());
  if (*now) return std::move(**now);
  if (kind == LockKind::shared) {
    out::note("mlops: waiting for 'mlops data gc' to release the store...");
    return FileLock::acquire(path, std::chrono::minutes(10), kind);
  }
  auto lock = FileLock::acquire(path, std::chrono::seconds(30), kind);
  if (!lock) {
    return std::unexpected(environment_error(
        fmt::format("the store '{}' is in use: {}", repo.store().string(), lock.error().message),
        "run gc again when it has finished (data add, fetch and artifact storing hold the store while they write)"));
  }
  return lock;
}

namespace {
fs::path users_dir(const Repo& repo) { return repo.store() / "users"; }
}  // namespace

Result<void> register_store_user(const Repo& repo) {
  if (repo.store_dir.empty()) return {};
  std::error_code ec;
  if (fs::equivalent(repo.store_dir, repo.root / ".mlops", ec)) return {};
  fs::path file = users_dir(repo) / hash_bytes(repo.root.string()).hex();
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) return {};
  fs::create_directories(users_dir(repo), ec);
  if (ec) return std::unexpected(system_error("create", users_dir(repo), ec.value()));
  return write_file_atomic(file, repo.root.string() + "\n", repo.tmp());
}

std::vector<fs::path> store_users(const Repo& repo) {
  std::vector<fs::path> roots;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(users_dir(repo), ec)) {
    auto text = read_file(entry.path());
    if (!text) continue;
    std::string root = *text;
    while (!root.empty() && (root.back() == '\n' || root.back() == '\r')) root.pop_back();
    if (!root.empty() && fs::is_directory(root, ec)) roots.emplace_back(root);
  }
  std::sort(roots.begin(), roots.end());
  return roots;
}

}  // namespace mlops::data
