#include "mlops/data/status.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <future>

#include "mlops/data/cache.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/workspace.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

std::string_view to_string(State state) {
  switch (state) {
    case State::unchanged:
      return "unchanged";
    case State::modified:
      return "modified";
    case State::stale:
      return "stale";
    case State::missing:
      return "missing";
    case State::conflict:
      return "conflict";
  }
  return "unchanged";
}

Result<WorkspaceSide> read_workspace(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                     const std::string& data_path, NeedManifest need) {
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
    auto fingerprint = fingerprint_folder(*files);
    if (auto known = stat_cache.lookup_folder(data_path, fingerprint.digest, fingerprint.newest_change_ns)) {
      side.folder_hash = *known;
      if (need == NeedManifest::no) return side;
      if (auto cached = read_manifest(cache, *known)) {
        side.manifest = std::move(*cached);
        return side;
      }
    }
    auto manifest = hash_directory(full, data_path, *files, stat_cache, cache, StoreContent::no);
    if (!manifest) return std::unexpected(manifest.error());
    side.folder_hash = hash_bytes(serialize_manifest(*manifest));
    stat_cache.record_folder(data_path, fingerprint.digest, *side.folder_hash);
    side.manifest = std::move(*manifest);
    return side;
  }
  auto hash = hash_workspace_file(full, data_path, st, stat_cache, cache, StoreContent::no);
  if (!hash) return std::unexpected(hash.error());
  side.file_hash = *hash;
  return side;
}

bool version_in_cache(const Cache& cache, const Pointer& pointer, StatCache* stat_cache) {
  if (!cache.contains(pointer.hash)) return false;
  if (pointer.kind == Kind::file) return true;
  auto fingerprint = cache.fingerprint();
  if (stat_cache && stat_cache->known_complete(pointer.hash, fingerprint.digest, fingerprint.newest_ns)) return true;
  auto manifest = read_manifest(cache, pointer.hash);
  if (!manifest) return false;
  std::vector<Hash> hashes;
  hashes.reserve(manifest->size());
  for (const auto& e : *manifest) hashes.push_back(e.hash);
  auto found = cache.contains_all(hashes);
  bool complete = std::all_of(found.begin(), found.end(), [](bool b) { return b; });
  if (complete && stat_cache) stat_cache->record_complete(pointer.hash, fingerprint.digest);
  return complete;
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
  if (tracked.conflict) {
    status.state = State::conflict;
    status.in_cache = version_in_cache(cache, tracked.conflict->ours, &stat_cache) &&
                      version_in_cache(cache, tracked.conflict->theirs, &stat_cache);
    return status;
  }
  // The cache check and the workspace walk touch different folders: run them side by side.
  auto in_cache = std::async(std::launch::async, [&] { return version_in_cache(cache, tracked.pointer, &stat_cache); });
  auto side = read_workspace(repo, cache, stat_cache, tracked.data_path, NeedManifest::no);
  status.in_cache = in_cache.get();
  if (!side) return std::unexpected(side.error());
  const Pointer& p = tracked.pointer;
  if (!side->exists) {
    status.state = State::missing;
  } else if (p.kind == Kind::file) {
    if (side->is_dir) {
      status.state = State::modified;
    } else if (side->file_hash == p.hash) {
      status.state = State::unchanged;
    } else {
      status.state = cache.contains(*side->file_hash) ? State::stale : State::modified;
    }
  } else if (!side->is_dir) {
    status.state = State::modified;
  } else if (side->folder_hash == p.hash) {
    status.state = State::unchanged;
  } else {
    // Stale only when every file of the workspace's version is in the cache: checkout loses nothing.
    Pointer held;
    held.hash = *side->folder_hash;
    held.kind = Kind::dir;
    status.state = version_in_cache(cache, held) ? State::stale : State::modified;
    if (!side->manifest) {
      side = read_workspace(repo, cache, stat_cache, tracked.data_path, NeedManifest::yes);
      if (!side) return std::unexpected(side.error());
    }
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
