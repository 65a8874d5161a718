#include "mlops/data/checkout.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"
#include "mlops/data/store.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

struct Placement {
  std::string rel;  // repo-relative file path
  Hash hash;
  bool executable = false;
};

struct Plan {
  std::string data_path;
  bool remove_whole = false;          // a file or folder of the wrong kind stands at data_path
  std::vector<std::string> removals;  // repo-relative files to delete
  std::vector<Placement> placements;
};

// Whether overwriting or deleting workspace content with hash `h` would lose data.
bool unsafe(const Cache& cache, const std::optional<Hash>& h, Force force) {
  return force == Force::no && (!h || !cache.contains(*h));
}

Result<Plan> plan_item(const Repo& repo, const Cache& cache, StatCache& stat_cache, const TrackedData& item,
                       Force force, std::vector<std::string>& conflicts) {
  Plan plan;
  plan.data_path = item.data_path;
  const Pointer& p = item.pointer;
  if (!cache.contains(p.hash)) return std::unexpected(missing_object_error(p.hash, item.data_path));
  auto side = read_workspace(repo, cache, stat_cache, item.data_path);
  if (!side) return std::unexpected(side.error());

  if (p.kind == Kind::file) {
    if (side->exists && side->is_dir) {
      // A folder where the version has a file: safe only if all its files are in the cache.
      for (const auto& e : *side->manifest) {
        if (unsafe(cache, e.hash, force)) conflicts.push_back(item.data_path + "/" + e.path);
      }
      plan.remove_whole = true;
    } else if (side->exists && side->file_hash == p.hash) {
      return plan;
    } else if (side->exists && unsafe(cache, side->file_hash, force)) {
      conflicts.push_back(item.data_path);
    }
    plan.placements.push_back(Placement{item.data_path, p.hash, false});
    return plan;
  }

  auto manifest = read_manifest(cache, p.hash);
  if (!manifest) return std::unexpected(manifest.error());
  for (const auto& e : *manifest) {
    if (!cache.contains(e.hash)) return std::unexpected(missing_object_error(e.hash, item.data_path + "/" + e.path));
  }
  std::map<std::string, const ManifestEntry*> have;
  if (side->exists && !side->is_dir) {
    if (unsafe(cache, side->file_hash, force)) conflicts.push_back(item.data_path);
    plan.remove_whole = true;
  } else if (side->exists) {
    for (const auto& e : *side->manifest) have[e.path] = &e;
  }
  for (const auto& e : *manifest) {
    auto it = have.find(e.path);
    if (it != have.end()) {
      const ManifestEntry* mine = it->second;
      have.erase(it);
      if (mine->hash == e.hash) {
        if (mine->executable != e.executable)
          plan.placements.push_back(Placement{item.data_path + "/" + e.path, e.hash, e.executable});
        continue;
      }
      if (unsafe(cache, mine->hash, force)) conflicts.push_back(item.data_path + "/" + e.path);
    }
    plan.placements.push_back(Placement{item.data_path + "/" + e.path, e.hash, e.executable});
  }
  // Files the version does not have: removed when their content is safe in the cache.
  for (const auto& [path, entry] : have) {
    if (unsafe(cache, entry->hash, force)) conflicts.push_back(item.data_path + "/" + path);
    plan.removals.push_back(item.data_path + "/" + path);
  }
  return plan;
}

// Removes the now-empty folders between `rel`'s folder and `stop` (exclusive).
void prune_empty_parents(const Repo& repo, const std::string& rel, const std::string& stop) {
  fs::path dir = fs::path(rel).parent_path();
  while (!dir.empty() && dir.generic_string() != stop && dir.generic_string().starts_with(stop + "/")) {
    if (::rmdir((repo.root / dir).c_str()) != 0) break;
    dir = dir.parent_path();
  }
}

Result<CheckoutResult> execute(const Repo& repo, const Cache& cache, StatCache& stat_cache, const Plan& plan,
                               LinkMode link) {
  CheckoutResult result{plan.data_path};
  std::error_code ec;
  if (plan.remove_whole) {
    fs::remove_all(repo.root / plan.data_path, ec);
    if (ec) return std::unexpected(system_error("remove", plan.data_path, ec.value()));
    ++result.removed;
  }
  for (const auto& rel : plan.removals) {
    if (::unlink((repo.root / rel).c_str()) != 0 && errno != ENOENT)
      return std::unexpected(system_error("remove", rel, errno));
    ++result.removed;
    prune_empty_parents(repo, rel, plan.data_path);
  }
  for (const auto& placement : plan.placements) {
    fs::path full = repo.root / placement.rel;
    fs::create_directories(full.parent_path(), ec);
    if (ec) return std::unexpected(system_error("create", full.parent_path(), ec.value()));
    // A folder in the way of a file (inside a tracked folder) goes, its content being safe.
    struct stat st {};
    if (::lstat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) fs::remove_all(full, ec);
    if (auto r = place_object(cache, placement.hash, full, link, placement.executable); !r)
      return std::unexpected(r.error());
    if (::stat(full.c_str(), &st) == 0) stat_cache.record(placement.rel, Fingerprint::of(st), placement.hash);
    ++result.written;
  }
  return result;
}

}  // namespace

Result<std::vector<CheckoutResult>> checkout(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                             const std::vector<TrackedData>& items, LinkMode link, Force force) {
  std::vector<Plan> plans;
  std::vector<std::string> conflicts;
  for (const auto& item : items) {
    auto plan = plan_item(repo, cache, stat_cache, item, force, conflicts);
    if (!plan) return std::unexpected(plan.error());
    plans.push_back(std::move(*plan));
  }
  if (!conflicts.empty()) {
    std::string list;
    for (std::size_t i = 0; i < conflicts.size() && i < 10; ++i) list += "\n  " + conflicts[i];
    if (conflicts.size() > 10) list += fmt::format("\n  ... and {} more", conflicts.size() - 10);
    return std::unexpected(
        bad_input(fmt::format("checkout would lose local changes that are not in the cache:{}", list),
                  "keep them with 'mlops data add PATH' first, or discard them with 'mlops data checkout --force'"));
  }
  std::vector<CheckoutResult> results;
  for (const auto& plan : plans) {
    auto r = execute(repo, cache, stat_cache, plan, link);
    if (!r) return std::unexpected(r.error());
    results.push_back(*r);
  }
  return results;
}

}  // namespace mlops::data
