#include "mlops/data/store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlops/core/file.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/workspace.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

Result<Stored> store_path(const Repo& repo, const fs::path& path, const fs::path& links_within) {
  // gc waits while objects are written; the run or tag that names them comes after, within gc's
  // grace period.
  auto lock = lock_store(repo, LockKind::shared);
  if (!lock) return std::unexpected(lock.error());
  Cache cache(repo);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::unexpected(system_error("read", path, errno));
  Stored stored;
  if (S_ISDIR(st.st_mode)) {
    auto files = walk_directory(path, links_within.empty() ? repo.root : links_within);
    if (!files) return std::unexpected(files.error());
    auto stat_cache = StatCache::open(repo);
    if (!stat_cache) return std::unexpected(stat_cache.error());
    auto rel = repo.relative(path);
    std::string key = rel ? *rel : path.string();
    auto manifest = hash_directory(path, key, *files, **stat_cache, cache, StoreContent::yes);
    if (!manifest) return std::unexpected(manifest.error());
    auto hash = cache.put_bytes(serialize_manifest(*manifest));
    if (!hash) return std::unexpected(hash.error());
    (void)(*stat_cache)->save();  // the stat cache is an optimisation; failing to save it is harmless
    stored = Stored{*hash, Kind::dir, total_size(*manifest), manifest->size()};
  } else if (S_ISREG(st.st_mode)) {
    auto hash = cache.put_file(path);
    if (!hash) return std::unexpected(hash.error());
    stored = Stored{*hash, Kind::file, static_cast<std::uint64_t>(st.st_size), 1};
  } else {
    return std::unexpected(bad_input(fmt::format("'{}' is not a regular file or folder", path.string())));
  }
  if (auto r = cache.flush(); !r) return std::unexpected(r.error());
  return stored;
}

namespace {

unsigned mode_for(bool executable, bool read_only) {
  unsigned mode = read_only ? 0444 : 0644;
  if (executable) mode |= 0111;
  return mode;
}

Result<void> verify_object(const Cache& cache, const Hash& hash) {
  auto ok = cache.verify(hash);
  if (!ok) return std::unexpected(ok.error());
  if (!*ok) {
    cache.quarantine(hash);
    return std::unexpected(corrupt_object_error(hash));
  }
  return {};
}

// A link at a temp name beside `dest`, renamed over it.
Result<void> link_into_place(const fs::path& object, const fs::path& dest, LinkMode mode) {
  fs::path temp =
      temp_path_in(dest.parent_path().empty() ? fs::path(".") : dest.parent_path(), dest.filename().string());
  int rc = mode == LinkMode::hardlink ? ::link(object.c_str(), temp.c_str()) : ::symlink(object.c_str(), temp.c_str());
  if (rc != 0) return std::unexpected(system_error("link", dest, errno));
  if (::rename(temp.c_str(), dest.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return std::unexpected(system_error("replace", dest, err));
  }
  return {};
}

Result<bool> try_reflink(const Cache& cache, const Hash& hash, const fs::path& dest, bool executable) {
  UniqueFd in(::open(cache.object_path(hash).c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return std::unexpected(missing_object_error(hash, dest.filename().string()));
  auto out = AtomicFile::create(dest);
  if (!out) return std::unexpected(out.error());
  if (::ioctl(out->fd(), FICLONE, in.get()) != 0) return false;  // not supported here: the caller copies
  auto actual = hash_file(out->temp_path());
  if (!actual) return std::unexpected(actual.error());
  if (*actual != hash) {
    cache.quarantine(hash);
    return std::unexpected(corrupt_object_error(hash));
  }
  if (auto r = out->set_mode(mode_for(executable, true)); !r) return std::unexpected(r.error());
  if (auto r = out->commit(Sync::no); !r) return std::unexpected(r.error());
  return true;
}

}  // namespace

Result<void> place_object(const Cache& cache, const Hash& hash, const fs::path& dest, LinkMode mode, bool executable) {
  switch (mode) {
    case LinkMode::copy:
      return cache.copy_to(hash, dest, mode_for(executable, false));
    case LinkMode::reflink: {
      auto cloned = try_reflink(cache, hash, dest, executable);
      if (!cloned) return std::unexpected(cloned.error());
      if (*cloned) return {};
      // No copy-on-write on this filesystem: a read-only copy keeps the promise of the mode.
      return cache.copy_to(hash, dest, mode_for(executable, true));
    }
    case LinkMode::hardlink:
    case LinkMode::symlink: {
      if (!cache.contains(hash)) return std::unexpected(missing_object_error(hash, dest.filename().string()));
      if (auto r = verify_object(cache, hash); !r) return r;
      auto linked = link_into_place(cache.object_path(hash), dest, mode);
      if (!linked && mode == LinkMode::hardlink) {
        // Another filesystem: hard links cannot cross it.
        return cache.copy_to(hash, dest, mode_for(executable, true));
      }
      return linked;
    }
  }
  return {};
}

Result<void> materialize(const Repo& repo, const Hash& hash, Kind kind, const fs::path& dest, LinkMode mode) {
  Cache cache(repo);
  std::error_code ec;
  if (!dest.parent_path().empty()) {
    fs::create_directories(dest.parent_path(), ec);
    if (ec) return std::unexpected(system_error("create", dest.parent_path(), ec.value()));
  }
  if (kind == Kind::file) {
    if (fs::is_directory(fs::symlink_status(dest))) {
      return std::unexpected(bad_input(fmt::format("'{}' is a folder; expected a file there", dest.string())));
    }
    return place_object(cache, hash, dest, mode, false);
  }
  auto manifest = read_manifest(cache, hash);
  if (!manifest) return std::unexpected(manifest.error());
  for (const auto& e : *manifest) {
    if (!cache.contains(e.hash)) return std::unexpected(missing_object_error(e.hash, e.path));
  }
  // Build the folder beside `dest`, then swap it in, so a failure leaves `dest` as it was.
  fs::path staging =
      temp_path_in(dest.parent_path().empty() ? fs::path(".") : dest.parent_path(), dest.filename().string());
  auto cleanup = [&] { fs::remove_all(staging, ec); };
  for (const auto& e : *manifest) {
    fs::path target = staging / e.path;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      cleanup();
      return std::unexpected(system_error("create", target.parent_path(), ec.value()));
    }
    if (auto r = place_object(cache, e.hash, target, mode, e.executable); !r) {
      cleanup();
      return r;
    }
  }
  if (manifest->empty()) fs::create_directories(staging, ec);
  if (fs::exists(fs::symlink_status(dest))) {
    fs::path old = temp_path_in(dest.parent_path().empty() ? fs::path(".") : dest.parent_path(), "old");
    if (::rename(dest.c_str(), old.c_str()) != 0) {
      int err = errno;
      cleanup();
      return std::unexpected(system_error("replace", dest, err));
    }
    if (::rename(staging.c_str(), dest.c_str()) != 0) {
      int err = errno;
      ::rename(old.c_str(), dest.c_str());
      cleanup();
      return std::unexpected(system_error("replace", dest, err));
    }
    fs::remove_all(old, ec);
    return {};
  }
  if (::rename(staging.c_str(), dest.c_str()) != 0) {
    int err = errno;
    cleanup();
    return std::unexpected(system_error("create", dest, err));
  }
  return {};
}

}  // namespace mlops::data
