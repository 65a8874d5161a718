#pragma once
// Moving content between the workspace and the cache: storing a file or folder (no pointer),
// placing an object at a workspace path with the configured link mode, and materialising a
// stored version (file or folder) anywhere.
#include <cstdint>
#include <filesystem>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/link_mode.hpp"
#include "mlops/data/pointer.hpp"

namespace mlops::data {

class Cache;

struct Stored {
  Hash hash;  // of the file, or of the folder's manifest object
  Kind kind = Kind::file;
  std::uint64_t size = 0;
  std::uint64_t files = 1;
};

// Puts a file or folder in the cache (a folder as a manifest object) and flushes it; writes no
// pointer and leaves the workspace as it is. Used for model and run artifacts. A symbolic link
// inside a folder is stored as what it points to when that is inside `links_within` (the
// repository when empty; an imported MLflow run's artifact folder), and refused otherwise.
Result<Stored> store_path(const Repo& repo, const std::filesystem::path& path,
                          const std::filesystem::path& links_within = {});

// Puts object `hash` at `dest`, replacing what is there atomically. copy: a verified copy;
// reflink: a copy-on-write clone where the filesystem can (else a copy); hardlink and symlink:
// links to the verified cache object, read-only so an edit cannot corrupt the cache.
Result<void> place_object(const Cache& cache, const Hash& hash, const std::filesystem::path& dest, LinkMode mode,
                          bool executable);

// Writes version `hash` of kind `kind` to `dest` (a file, or a folder made to match the
// manifest exactly), replacing what is there. Every object is verified as it is placed.
Result<void> materialize(const Repo& repo, const Hash& hash, Kind kind, const std::filesystem::path& dest,
                         LinkMode mode = LinkMode::copy);

}  // namespace mlops::data
