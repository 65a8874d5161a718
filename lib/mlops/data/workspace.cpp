#include "mlops/data/workspace.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <mutex>

#include "mlops/core/output.hpp"
#include "mlops/core/parallel.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/stat_cache.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

bool is_executable(mode_t mode) { return (mode & S_IXUSR) != 0; }

namespace {

bool inside(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root).generic_string();
  return !rel.empty() && rel != ".." && !rel.starts_with("../");
}

// Walks `prefix` below `base`, appending files in bytewise order of their full relative paths:
// each folder's entries are visited sorted by name, with a '/' appended to folder names, which is
// exactly the order of the paths below them ("a.txt" < "a/x" < "a0"). No global sort is needed.
// Without `descend`, folders are listed as entries of their own instead of being entered.
Result<void> walk_level(const fs::path& base, const std::string& prefix, const fs::path& repo_root,
                        std::vector<WalkedFile>& files, bool descend) {
  fs::path dir = prefix.empty() ? base : base / prefix;
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
  if (!handle) return std::unexpected(system_error("read the folder", dir, errno));
  int dir_fd = ::dirfd(handle.get());
  // The names are sorted, not the stat buffers (144 bytes each) that go with them.
  struct Name {
    std::string key;  // name, plus '/' for a folder
    std::size_t index;
  };
  std::vector<Name> names;
  std::vector<struct stat> stats;
  while (auto* entry = ::readdir(handle.get())) {
    const char* raw = entry->d_name;
    if (raw[0] == '.' && (raw[1] == '\0' || (raw[1] == '.' && raw[2] == '\0'))) continue;
    struct stat st {};
    if (::fstatat(dir_fd, raw, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return std::unexpected(system_error("read", dir / raw, errno));
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      fs::path target = fs::canonical(dir / raw, ec);
      if (ec || !inside(target, repo_root)) {
        return std::unexpected(
            bad_input(fmt::format("symbolic link '{}' points outside the repository", (dir / raw).string()),
                      "replace the link with the data itself, or remove it"));
      }
      if (::stat(target.c_str(), &st) != 0) return std::unexpected(system_error("read", target, errno));
    }
    std::string name = raw;
    if (S_ISDIR(st.st_mode)) {
      if (name == ".git") continue;
      name += '/';
    } else if (!S_ISREG(st.st_mode)) {
      return std::unexpected(bad_input(fmt::format("'{}' is not a regular file or folder", (dir / name).string()),
                                       "remove sockets, fifos and devices from tracked data"));
    }
    names.push_back(Name{std::move(name), stats.size()});
    stats.push_back(st);
  }
  std::sort(names.begin(), names.end(), [](const Name& a, const Name& b) { return a.key < b.key; });
  for (auto& n : names) {
    bool is_dir = n.key.back() == '/';
    if (is_dir) n.key.pop_back();
    std::string rel = prefix.empty() ? std::move(n.key) : prefix + "/" + n.key;
    if (is_dir && descend) {
      if (auto r = walk_level(base, rel, repo_root, files, true); !r) return r;
      continue;
    }
    if (!is_dir && rel.find_first_of("\n\r") != std::string::npos) {
      return std::unexpected(bad_input(fmt::format("file name '{}' contains a line break", (base / rel).string()),
                                       "rename the file; manifests keep one file per line"));
    }
    files.push_back(WalkedFile{std::move(rel), FileStat::of(stats[n.index])});
  }
  return {};
}

}  // namespace

Result<std::vector<WalkedFile>> walk_directory(const fs::path& dir, const fs::path& repo_root) {
  // The top level is read here; its folders are walked on all cores (stat calls dominate), each
  // into its own slot, and the slots are joined in order, which keeps the whole list sorted.
  std::vector<WalkedFile> top;
  if (auto r = walk_level(dir, "", repo_root, top, /*descend=*/false); !r) return std::unexpected(r.error());
  std::vector<std::vector<WalkedFile>> slots(top.size());
  std::vector<std::size_t> folders;
  for (std::size_t i = 0; i < top.size(); ++i) {
    if (S_ISDIR(top[i].st.mode)) folders.push_back(i);
  }
  std::mutex error_mutex;
  std::optional<Error> first_error;
  parallel_for(
      folders.size(),
      [&](std::size_t k) {
        std::size_t i = folders[k];
        if (auto r = walk_level(dir, top[i].path, repo_root, slots[i], /*descend=*/true); !r) {
          std::lock_guard lock(error_mutex);
          if (!first_error) first_error = r.error();
        }
      },
      /*max_workers=*/4);
  if (first_error) return std::unexpected(*first_error);
  std::size_t total = 0;
  for (std::size_t i = 0; i < top.size(); ++i) total += S_ISDIR(top[i].st.mode) ? slots[i].size() : 1;
  std::vector<WalkedFile> files;
  files.reserve(total);
  for (std::size_t i = 0; i < top.size(); ++i) {
    if (S_ISDIR(top[i].st.mode)) {
      std::move(slots[i].begin(), slots[i].end(), std::back_inserter(files));
      std::vector<WalkedFile>().swap(slots[i]);  // freed as we go: the peak memory stays one copy
    } else {
      files.push_back(std::move(top[i]));
    }
  }
  return files;
}

namespace {
// `path_of` builds the file's path only when its content must be read: building paths for
// 20,000 unchanged files is a measurable part of a status.
template <class PathOf>
Result<Hash> hash_file_via_stat_cache(PathOf path_of, const std::string& rel, const Fingerprint& fp,
                                      StatCache& stat_cache, const Cache& cache, StoreContent store) {
  if (auto known = stat_cache.lookup(rel, fp)) {
    if (store == StoreContent::no || cache.contains(*known)) {
      stat_cache.count_known();
      return *known;
    }
  }
  stat_cache.count_read();
  fs::path path = path_of();
  auto hash = store == StoreContent::yes    ? cache.put_file(path)
              : store == StoreContent::link ? cache.put_file_linked(path, rel)
                                            : hash_file(path);
  if (!hash) return hash;
  stat_cache.record(rel, fp, *hash);
  return hash;
}
}  // namespace

Result<Hash> hash_workspace_file(const fs::path& path, const std::string& rel, const struct stat& st,
                                 StatCache& stat_cache, const Cache& cache, StoreContent store) {
  return hash_file_via_stat_cache([&] { return path; }, rel, Fingerprint::of(st), stat_cache, cache, store);
}

FolderFingerprint fingerprint_folder(const std::vector<WalkedFile>& files) {
  Hasher hasher;
  FolderFingerprint result;
  for (const auto& f : files) {
    const Fingerprint& fp = f.st.fp;
    hasher.update(f.path.data(), f.path.size() + 1);  // with the NUL, so names cannot run together
    hasher.update(&fp, sizeof fp);
    result.newest_change_ns = std::max({result.newest_change_ns, fp.mtime_ns, fp.ctime_ns});
  }
  result.digest = hasher.digest();
  return result;
}

Result<Manifest> hash_directory(const fs::path& dir, const std::string& rel_dir, const std::vector<WalkedFile>& files,
                                StatCache& stat_cache, const Cache& cache, StoreContent store,
                                out::Progress* progress) {
  Manifest manifest(files.size());
  // One scan of the stat cache costs about as much as a few dozen queries by path.
  if (files.size() >= 64) stat_cache.preload();
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  std::mutex progress_mutex;
  parallel_for(
      files.size(),
      [&](std::size_t i) {
        if (failed.load()) return;
        const auto& f = files[i];
        auto hash = hash_file_via_stat_cache([&] { return dir / f.path; }, rel_dir + "/" + f.path, f.st.fp, stat_cache,
                                             cache, store);
        if (!hash) {
          std::lock_guard lock(error_mutex);
          if (!first_error) first_error = hash.error();
          failed = true;
          return;
        }
        manifest[i] = ManifestEntry{f.path, *hash, f.st.fp.size, is_executable(f.st.mode)};
        if (progress) {
          std::lock_guard lock(progress_mutex);
          progress->advance(f.st.fp.size);
        }
      },
      // Threads cost more than they save below a few dozen files.
      files.size() < 64 ? 1 : 8);
  if (first_error) return std::unexpected(*first_error);
  return manifest;
}

}  // namespace mlops::data
