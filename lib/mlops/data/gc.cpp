#include "mlops/data/gc.hpp"

#include <set>

#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tree.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

Result<std::vector<Hash>> data_roots(const Repo& repo, const Cache& cache, GcScope scope) {
  auto items = list_tracked(repo);
  if (!items) return std::unexpected(items.error());
  std::vector<TrackedData> all = std::move(*items);
  if (scope == GcScope::all_refs) {
    auto git_repo = git::Repository::open(repo.root);
    if (!git_repo) return std::unexpected(git_repo.error());
    auto commits = git::all_ref_commits(*git_repo);
    if (!commits) return std::unexpected(commits.error());
    for (const auto& commit : *commits) {
      auto at = list_tracked_at(repo, commit);
      if (!at) return std::unexpected(at.error());
      all.insert(all.end(), at->begin(), at->end());
    }
  }
  return objects_of(cache, all);
}

Result<GcResult> collect_garbage(const Repo& repo, const Cache& cache, const std::vector<Hash>& keep, bool dry_run) {
  std::set<Hash> kept(keep.begin(), keep.end());
  GcResult result;
  for (const auto& h : cache.list()) {
    if (kept.count(h)) continue;
    std::error_code ec;
    result.bytes += fs::file_size(cache.object_path(h), ec);
    result.removed.push_back(h);
    if (!dry_run) {
      if (auto r = cache.remove(h); !r) return std::unexpected(r.error());
    }
  }
  if (!dry_run) {
    std::error_code ec;
    auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& entry : fs::directory_iterator(repo.tmp(), ec)) {
      if (entry.is_regular_file(ec) && entry.last_write_time(ec) < cutoff) fs::remove(entry.path(), ec);
    }
  }
  return result;
}

}  // namespace mlops::data
