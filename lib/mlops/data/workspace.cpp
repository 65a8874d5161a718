#include "mlops/data/workspace.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/stat_cache.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

bool is_executable(const struct stat& st) { return (st.st_mode & S_IXUSR) != 0; }

namespace {

bool inside(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root).generic_string();
  return !rel.empty() && rel != ".." && !rel.starts_with("../");
}

Result<void> walk(const fs::path& base, const std::string& prefix, const fs::path& repo_root,
                  std::vector<WalkedFile>& files) {
  fs::path dir = prefix.empty() ? base : base / prefix;
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
  if (!handle) return std::unexpected(system_error("read the folder", dir, errno));
  int dir_fd = ::dirfd(handle.get());
  while (auto* entry = ::readdir(handle.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string rel = prefix.empty() ? name : prefix + "/" + name;
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::unexpected(system_error("read", dir / name, errno));
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      fs::path target = fs::canonical(dir / name, ec);
      if (ec || !inside(target, repo_root)) {
        return std::unexpected(bad_input(fmt::format("symbolic link '{}' points outside the repository", (dir / name).string()),
                                         "replace the link with the data itself, or remove it"));
      }
      if (::stat(target.c_str(), &st) != 0) return std::unexpected(system_error("read", target, errno));
    }
    if (S_ISDIR(st.st_mode)) {
      if (name == ".git") continue;
      if (auto r = walk(base, rel, repo_root, files); !r) return r;
    } else if (S_ISREG(st.st_mode)) {
      files.push_back(WalkedFile{rel, st});
    } else {
      return std::unexpected(bad_input(fmt::format("'{}' is not a regular file or folder", (dir / name).string()),
                                       "remove sockets, fifos and devices from tracked data"));
    }
  }
  return {};
}

}  // namespace

Result<std::vector<WalkedFile>> walk_directory(const fs::path& dir, const fs::path& repo_root) {
  std::vector<WalkedFile> files;
  if (auto r = walk(dir, "", repo_root, files); !r) return std::unexpected(r.error());
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  for (const auto& f : files) {
    if (f.path.find('\n') != std::string::npos || f.path.find('\r') != std::string::npos) {
      return std::unexpected(bad_input(fmt::format("file name '{}' contains a line break", (dir / f.path).string()),
                                       "rename the file; manifests keep one file per line"));
    }
  }
  return files;
}

Result<Hash> hash_workspace_file(const fs::path& path, const std::string& rel, const struct stat& st,
                                 StatCache& stat_cache, const Cache& cache, StoreContent store) {
  Fingerprint fp = Fingerprint::of(st);
  if (auto known = stat_cache.lookup(rel, fp)) {
    if (store == StoreContent::no || cache.contains(*known)) {
      stat_cache.count_known();
      return *known;
    }
  }
  stat_cache.count_read();
  auto hash = store == StoreContent::yes ? cache.put_file(path) : hash_file(path);
  if (!hash) return hash;
  stat_cache.record(rel, fp, *hash);
  return hash;
}

Result<Manifest> hash_directory(const fs::path& dir, const std::string& rel_dir, const std::vector<WalkedFile>& files,
                                StatCache& stat_cache, const Cache& cache, StoreContent store, out::Progress* progress) {
  Manifest manifest(files.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  std::mutex progress_mutex;

  auto worker = [&] {
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= files.size() || failed.load()) return;
      const auto& f = files[i];
      auto hash = hash_workspace_file(dir / f.path, rel_dir + "/" + f.path, f.st, stat_cache, cache, store);
      if (!hash) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = hash.error();
        failed = true;
        return;
      }
      manifest[i] = ManifestEntry{f.path, *hash, static_cast<std::uint64_t>(f.st.st_size), is_executable(f.st)};
      if (progress) {
        std::lock_guard lock(progress_mutex);
        progress->advance(static_cast<std::uint64_t>(f.st.st_size));
      }
    }
  };
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  if (files.size() < 64) threads = 1;
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (first_error) return std::unexpected(*first_error);
  return manifest;
}

}  // namespace mlops::data
