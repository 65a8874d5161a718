#include "mlops/data/checkout.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "mlops/core/file.hpp"
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

// Whether `name` is a temp file AtomicFile writes (".NAME.PID.XXXXXXXX.tmp"), as a checkout that
// was killed leaves behind.
bool atomic_temp_name(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (!name.starts_with('.') || !name.ends_with(".tmp") || name.size() < 16) return false;
  std::string_view rand = name.substr(name.size() - 12, 8);
  return name[name.size() - 13] == '.' &&
         std::all_of(rand.begin(), rand.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// Whether overwriting or deleting workspace content with hash `h` would lose data.
bool unsafe(const Cache& cache, const std::optional<Hash>& h, Force force) {
  return force == Force::no && (!h || !cache.contains(*h));
}

Result<Plan> plan_item(const Repo& repo, const Cache& cache, StatCache& stat_cache, const TrackedData& item,
                       Force force, std::vector<std::string>& conflicts, bool interrupted) {
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
    // A file is written through a temp file beside it (".NAME.PID.XXXXXXXX.tmp"); one that an
    // interrupted checkout left is removed, or `git add -A` would commit it.
    if (interrupted) {
      fs::path parent = (repo.root / item.data_path).parent_path();
      std::string prefix = "." + fs::path(item.data_path).filename().string() + ".";
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(parent, ec)) {
        std::string name = entry.path().filename().string();
        if (name.starts_with(prefix) && atomic_temp_name(name) && entry.is_regular_file(ec)) {
          plan.removals.push_back(fs::relative(entry.path(), repo.root, ec).generic_string());
        }
      }
    }
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
    // An interrupted checkout's own temp files are not the user's work.
    bool leftover = interrupted && atomic_temp_name(path);
    if (!leftover && unsafe(cache, entry->hash, force)) conflicts.push_back(item.data_path + "/" + path);
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

namespace {

fs::path marker_file(const Repo& repo) { return repo.store() / "checkout-incomplete"; }

Result<void> write_marker(const Repo& repo, const IncompleteCheckout& state) {
  std::string text = "mlops-checkout-incomplete 1\nrev " + state.rev + "\n";
  for (const auto& p : state.paths) text += p + "\n";
  return write_file_atomic(marker_file(repo), text, repo.tmp());
}

}  // namespace

std::string IncompleteCheckout::command() const {
  std::string cmd = "mlops data checkout";
  for (const auto& p : paths) cmd += " " + p;
  if (!rev.empty()) cmd += " --rev " + rev;
  return cmd;
}

std::optional<IncompleteCheckout> incomplete_checkout(const Repo& repo) {
  auto text = read_file(marker_file(repo));
  if (!text) return std::nullopt;
  IncompleteCheckout state;
  std::size_t at = 0;
  int line_no = 0;
  while (at < text->size()) {
    std::size_t end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    std::string line = text->substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (line_no == 1) continue;  // the format line
    if (line_no == 2 && line.starts_with("rev ")) {
      state.rev = line.substr(4);
    } else if (!line.empty()) {
      state.paths.push_back(line);
    }
  }
  return state;
}

Result<std::vector<CheckoutResult>> checkout(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                             const std::vector<TrackedData>& items, LinkMode link, Force force,
                                             std::string_view rev) {
  std::vector<Plan> plans;
  std::vector<std::string> conflicts;
  auto earlier = incomplete_checkout(repo);
  for (const auto& item : items) {
    bool interrupted =
        earlier && std::find(earlier->paths.begin(), earlier->paths.end(), item.data_path) != earlier->paths.end();
    auto plan = plan_item(repo, cache, stat_cache, item, force, conflicts, interrupted);
    if (!plan) return std::unexpected(plan.error());
    plans.push_back(std::move(*plan));
  }
  if (!conflicts.empty()) {
    std::string list;
    for (std::size_t i = 0; i < conflicts.size() && i < 10; ++i) list += "\n  " + conflicts[i];
    if (conflicts.size() > 10) list += fmt::format("\n  ... and {} more", conflicts.size() - 10);
    return std::unexpected(bad_input(
        fmt::format("checkout would lose local changes that are not in the cache:{}", list),
        "keep them with 'mlops data add PATH' first, or discard them by running the same command again with --force"));
  }
  // Mark what is about to be written, with what an earlier interrupted checkout left, so that a
  // kill at any point leaves a record of every path that may be half written.
  IncompleteCheckout marking{std::string(rev), {}};
  for (const auto& plan : plans) {
    if (plan.remove_whole || !plan.removals.empty() || !plan.placements.empty())
      marking.paths.push_back(plan.data_path);
  }
  std::vector<std::string> finished;  // paths of an earlier interrupted checkout this one covers
  for (const auto& item : items) finished.push_back(item.data_path);
  if (earlier) {
    for (const auto& p : earlier->paths) {
      if (std::find(finished.begin(), finished.end(), p) == finished.end()) marking.paths.push_back(p);
    }
    if (marking.rev.empty()) marking.rev = earlier->rev;
  }
  bool writes = std::any_of(plans.begin(), plans.end(), [](const Plan& p) {
    return p.remove_whole || !p.removals.empty() || !p.placements.empty();
  });
  if (writes) {
    if (auto r = write_marker(repo, marking); !r) return std::unexpected(r.error());
  }
  std::vector<CheckoutResult> results;
  for (const auto& plan : plans) {
    auto r = execute(repo, cache, stat_cache, plan, link);
    if (!r) return std::unexpected(r.error());
    results.push_back(*r);
  }
  // Done: what remains marked is what an earlier interrupted checkout left that this one did not cover.
  if (writes || earlier) {
    IncompleteCheckout rest{earlier ? earlier->rev : std::string(), {}};
    if (earlier) {
      for (const auto& p : earlier->paths) {
        if (std::find(finished.begin(), finished.end(), p) == finished.end()) rest.paths.push_back(p);
      }
    }
    if (rest.paths.empty()) {
      std::error_code ec;
      fs::remove(marker_file(repo), ec);
    } else if (auto r = write_marker(repo, rest); !r) {
      return std::unexpected(r.error());
    }
  }
  return results;
}

}  // namespace mlops::data
