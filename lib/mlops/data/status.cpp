#include "mlops/data/status.hpp"

#include <sys/stat.h>

#include "mlops/data/cache.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/workspace.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

std::string_view to_string(State state) {
  switch (state) {
    case State::unchanged: return "unchanged";
    case State::modified: return "modified";
    case State::missing: return "missing";
  }
  return "unchanged";
}

Result<WorkspaceSide> read_workspace(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& data_path) {
  WorkspaceSide side;
  fs::path full = repo.root / data_path;
  struct stat st {};
  if (::stat(full.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return side;
    return std::unexpected(system_error("read", full, errno));
  }
  side.exists = true;
  if (S_ISDIR(st.st_mode)) {
    side.is_dir = true;
    auto files = walk_directory(full, repo.root);
    if (!files) return std::unexpected(files.error());
    auto manifest = hash_directory(full, data_path, *files, stat_cache, cache, StoreContent::no);
    if (!manifest) return std::unexpected(manifest.error());
    side.manifest = std::move(*manifest);
    return side;
  }
  auto hash = hash_workspace_file(full, data_path, st, stat_cache, cache, StoreContent::no);
  if (!hash) return std::unexpected(hash.error());
  side.file_hash = *hash;
  return side;
}

bool version_in_cache(const Cache& cache, const Pointer& pointer) {
  if (!cache.contains(pointer.hash)) return false;
  if (pointer.kind == Kind::file) return true;
  auto manifest = read_manifest(cache, pointer.hash);
  if (!manifest) return false;
  for (const auto& e : *manifest) {
    if (!cache.contains(e.hash)) return false;
  }
  return true;
}

ManifestDiff diff_manifests(const Manifest& from, const Manifest& to) {
  ManifestDiff d;
  std::size_t i = 0, j = 0;
  while (i < from.size() || j < to.size()) {
    if (j == to.size() || (i < from.size() && from[i].path < to[j].path)) {
      d.deleted.push_back(from[i++].path);
    } else if (i == from.size() || to[j].path < from[i].path) {
      d.added.push_back(to[j++].path);
    } else {
      if (from[i].hash != to[j].hash || from[i].executable != to[j].executable) d.modified.push_back(to[j].path);
      ++i;
      ++j;
    }
  }
  return d;
}

Result<DataStatus> status_of(const Repo& repo, const Cache& cache, StatCache& stat_cache, const TrackedData& tracked) {
  DataStatus status;
  status.tracked = tracked;
  status.in_cache = version_in_cache(cache, tracked.pointer);
  auto side = read_workspace(repo, cache, stat_cache, tracked.data_path);
  if (!side) return std::unexpected(side.error());
  const Pointer& p = tracked.pointer;
  if (!side->exists) {
    status.state = State::missing;
  } else if (p.kind == Kind::file) {
    status.state = !side->is_dir && side->file_hash == p.hash ? State::unchanged : State::modified;
  } else if (!side->is_dir) {
    status.state = State::modified;
  } else if (hash_bytes(serialize_manifest(*side->manifest)) == p.hash) {
    status.state = State::unchanged;
  } else {
    status.state = State::modified;
    if (auto version = read_manifest(cache, p.hash)) {
      auto d = diff_manifests(*version, *side->manifest);
      status.added = std::move(d.added);
      status.modified = std::move(d.modified);
      status.deleted = std::move(d.deleted);
    }
  }
  return status;
}

}  // namespace mlops::data
