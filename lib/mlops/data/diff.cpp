#include "mlops/data/diff.hpp"

#include <algorithm>
#include <map>

#include "mlops/data/cache.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"

namespace mlops::data {

Side side_at(const Cache& cache, const std::vector<TrackedData>& items) {
  Side side;
  for (const auto& item : items) {
    Version v{item.pointer.kind, item.pointer.hash, item.pointer.size, std::nullopt};
    if (v.kind == Kind::dir) {
      if (auto m = read_manifest(cache, v.hash)) v.manifest = std::move(*m);
    }
    side.emplace_back(item.data_path, std::move(v));
  }
  return side;
}

Result<Side> side_in_workspace(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                               const std::vector<TrackedData>& items) {
  Side side;
  for (const auto& item : items) {
    if (item.conflict) {
      Version v{item.pointer.kind, item.pointer.hash, item.pointer.size, std::nullopt};
      v.conflict = true;
      side.emplace_back(item.data_path, std::move(v));
      continue;
    }
    auto ws = read_workspace(repo, cache, stat_cache, item.data_path);
    if (!ws) return std::unexpected(ws.error());
    if (!ws->exists) continue;
    Version v;
    if (ws->is_dir) {
      v.kind = Kind::dir;
      v.hash = *ws->folder_hash;
      v.size = total_size(*ws->manifest);
      v.manifest = std::move(ws->manifest);
    } else {
      v.kind = Kind::file;
      v.hash = *ws->file_hash;
      std::error_code ec;
      v.size = std::filesystem::file_size(repo.root / item.data_path, ec);
    }
    if (v.hash != item.pointer.hash) {
      // The same rule as `data status`: content the cache holds as a version is out of date.
      Pointer held;
      held.hash = v.hash;
      held.kind = v.kind;
      v.stale = version_in_cache(cache, held);
    }
    side.emplace_back(item.data_path, std::move(v));
  }
  return side;
}

std::vector<PathDiff> diff_sides(const Side& a, const Side& b) {
  std::map<std::string, const Version*> old_versions, new_versions;
  for (const auto& [path, v] : a) old_versions[path] = &v;
  for (const auto& [path, v] : b) new_versions[path] = &v;
  std::vector<PathDiff> diffs;
  for (const auto& [path, v] : old_versions) {
    auto it = new_versions.find(path);
    if (it == new_versions.end()) {
      diffs.push_back(PathDiff{path, PathDiff::Change::deleted, *v, std::nullopt, {}, {}, {}});
      continue;
    }
    if (it->second->hash == v->hash && !it->second->conflict) continue;
    auto change = it->second->conflict ? PathDiff::Change::conflict
                  : it->second->stale  ? PathDiff::Change::out_of_date
                                       : PathDiff::Change::modified;
    PathDiff d{path, change, *v, *it->second, {}, {}, {}};
    if (v->manifest && it->second->manifest) {
      auto files = diff_manifests(*v->manifest, *it->second->manifest);
      d.files_added = std::move(files.added);
      d.files_modified = std::move(files.modified);
      d.files_deleted = std::move(files.deleted);
    }
    diffs.push_back(std::move(d));
  }
  for (const auto& [path, v] : new_versions) {
    if (!old_versions.count(path)) {
      diffs.push_back(PathDiff{
          path, v->conflict ? PathDiff::Change::conflict : PathDiff::Change::added, std::nullopt, *v, {}, {}, {}});
    }
  }
  std::sort(diffs.begin(), diffs.end(), [](const auto& x, const auto& y) { return x.path < y.path; });
  return diffs;
}

}  // namespace mlops::data
