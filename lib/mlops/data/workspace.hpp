#pragma once
// Reading data in the workspace: walking a tracked folder and hashing (optionally storing) its
// files, using the stat cache so that unchanged files are never read.
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/stat_cache.hpp"

namespace mlops::out {
class Progress;
}

namespace mlops::data {

class Cache;
class StatCache;

// What a walk keeps of a file's stat (not the 144 bytes of struct stat: a walk of 20,000 files
// would copy and fault in megabytes for nothing).
struct FileStat {
  Fingerprint fp;  // inode, size, mtime, ctime: the stat cache's key
  mode_t mode = 0;
  static FileStat of(const struct stat& st) { return FileStat{Fingerprint::of(st), st.st_mode}; }
};

struct WalkedFile {
  std::string path;  // relative to the walked folder, '/'-separated
  FileStat st;       // of the file itself (symlinks inside the repository are followed)
};

// Every regular file below `dir`, sorted by path. Symlinks are followed when they stay inside
// `repo_root` and refused when they leave it; sockets, fifos and devices are refused; nested
// `.git` folders are skipped.
Result<std::vector<WalkedFile>> walk_directory(const std::filesystem::path& dir,
                                               const std::filesystem::path& repo_root);

// no: only hash; yes: store what the cache lacks (a copy); link: store it by linking the file
// itself into the cache where it can be (Cache::put_file_linked, for cache.link hardlink/symlink).
enum class StoreContent { no, yes, link };

// Hashes `files` of folder `dir` (repo-relative name `rel_dir`, the stat cache's key prefix) on all
// cores. With StoreContent::yes, content that is not yet in the cache is stored in the same read.
Result<Manifest> hash_directory(const std::filesystem::path& dir, const std::string& rel_dir,
                                const std::vector<WalkedFile>& files, StatCache& stat_cache, const Cache& cache,
                                StoreContent store, out::Progress* progress = nullptr);

// A digest of the files' paths and stat fingerprints, and the newest mtime/ctime among them:
// the key of the stat cache's folder memo.
struct FolderFingerprint {
  Hash digest;
  std::int64_t newest_change_ns = 0;
};
FolderFingerprint fingerprint_folder(const std::vector<WalkedFile>& files);

// The same for one file at `path` (repo-relative `rel`).
Result<Hash> hash_workspace_file(const std::filesystem::path& path, const std::string& rel, const struct stat& st,
                                 StatCache& stat_cache, const Cache& cache, StoreContent store);

bool is_executable(mode_t mode);

}  // namespace mlops::data
