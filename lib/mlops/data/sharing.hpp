#pragma once
// How several processes and work trees share one store.
// - The store lock (`.mlops/store.lock`): whoever writes objects into the cache holds it shared
//   until the pointer or record that names them is written (data add, stored artifacts,
//   fetches); `data gc` holds it exclusively while it decides what to remove and removes it. So
//   gc never sees half of an add.
// - The register of work trees using a store through MLOPS_STORE_DIR (`.mlops/users/`), so that
//   gc keeps what their pointers, index and history name too.
#include <filesystem>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::data {

// Shared: waits (saying so on stderr) up to ten minutes for a running gc. Exclusive: waits up to
// 30 seconds for writers, then fails (exit 3) naming the lock.
Result<FileLock> lock_store(const Repo& repo, LockKind kind);

// Records that `repo`'s work tree uses the store (when its store is not its own `.mlops`).
// Cheap when already recorded; failure is harmless to the caller's work and is returned only
// for the caller to report.
Result<void> register_store_user(const Repo& repo);

// The work trees recorded by register_store_user whose folders still exist.
std::vector<std::filesystem::path> store_users(const Repo& repo);

}  // namespace mlops::data
