#include "mlops/data/gc.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <ctime>
#include <set>

#include "mlops/core/config.hpp"
#include "mlops/core/file.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/dvc_history.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

// Every xxh3 hash written in `text`: what a pointer that does not parse (conflict markers, a
// newer format) may still name. Keeping them all is the safe side.
std::vector<Hash> hashes_in(std::string_view text) {
  std::vector<Hash> found;
  for (std::size_t at = text.find("xxh3:"); at != std::string_view::npos; at = text.find("xxh3:", at + 5)) {
    if (auto h = Hash::parse(text.substr(at, 37))) found.push_back(*h);
  }
  return found;
}

// Every hash `text` mentions as a version to keep, as a folder version when it is a manifest.
void add_hashes_in(const Cache& cache, std::string_view text, const std::string& file, std::vector<TrackedData>& into) {
  for (const auto& h : hashes_in(text)) {
    TrackedData item;
    item.pointer_file = file;
    item.pointer.hash = h;
    item.pointer.kind = looks_like_manifest(cache, h) ? Kind::dir : Kind::file;
    into.push_back(std::move(item));
  }
}

// The versions a history imported from DVC names (dvc_history.hpp), with the kind it records, so
// that a folder is kept whole even where its manifest is not in this cache (a remote's gc). A
// text that does not parse (a merge conflict) keeps every hash it mentions, each as a folder when
// the cache cannot tell: objects_of then keeps the object and asks for its manifest.
void add_dvc_history_text(const Cache& cache, std::string_view text, const std::string& file,
                          std::vector<TrackedData>& into) {
  if (auto history = parse_dvc_history(text, file)) {
    for (const auto& [key, pointer] : history->versions) {
      into.push_back(TrackedData{key.second + std::string(kPointerSuffix), key.second, pointer, std::nullopt});
    }
    return;
  }
  for (const auto& h : hashes_in(text)) {
    TrackedData item;
    item.pointer_file = file;
    item.pointer.hash = h;
    item.pointer.kind = !cache.contains(h) || looks_like_manifest(cache, h) ? Kind::dir : Kind::file;
    into.push_back(std::move(item));
  }
}

// Pointer texts as versions to keep. A text that does not parse keeps every hash it mentions,
// as a folder version (expanded when it is a manifest). Every version of a history imported from
// DVC is kept too: any file of that name, wherever git found its content first.
void add_pointer_texts(const Cache& cache, const std::vector<git::CommittedFile>& files,
                       std::vector<TrackedData>& into) {
  for (const auto& f : files) {
    if (fs::path(f.path).filename() == kDvcHistoryName) {
      add_dvc_history_text(cache, f.content, f.path, into);
      continue;
    }
    if (auto pointer = parse_pointer(f.content, f.path)) {
      into.push_back(TrackedData{f.path, data_path_of(f.path, *pointer), std::move(*pointer), std::nullopt});
      continue;
    }
    add_hashes_in(cache, f.content, f.path, into);
  }
}

// The history imported from DVC in the work tree of `repo`, committed or not yet.
Result<void> add_dvc_history(const Repo& repo, const Cache& cache, std::vector<TrackedData>& into) {
  fs::path history = dvc_history_file(repo);
  std::error_code ec;
  if (!fs::exists(history, ec)) return {};
  auto text = read_file(history);  // unreadable: stop rather than delete what it names
  if (!text) return std::unexpected(text.error());
  add_dvc_history_text(cache, *text, history.string(), into);
  return {};
}

// The pointers in the work tree at `root` (another git worktree, or one sharing the store), and
// its history imported from DVC. Unreadable pointers keep every hash they mention.
Result<void> add_workspace(const fs::path& root, const Repo& repo, const Cache& cache, std::vector<TrackedData>& into) {
  Repo other = repo;
  other.root = root;
  if (auto items = list_tracked(other)) {
    auto sides = every_side(*items);
    into.insert(into.end(), sides.begin(), sides.end());
  }
  return add_dvc_history(other, cache, into);
}

// Every version that any git repository using this store still holds, and every work tree's pointers.
Result<std::vector<TrackedData>> versions_to_keep(const Repo& repo, const Cache& cache, GcScope scope) {
  auto own = list_tracked(repo);
  if (!own) return std::unexpected(own.error());
  std::vector<TrackedData> all = every_side(*own);  // a conflicted pointer keeps both sides (and the base)
  if (scope == GcScope::workspace_only) return all;
  MLOPS_TRY(add_dvc_history(repo, cache, all));

  std::vector<fs::path> roots{repo.root};
  fs::path store_owner = repo.store().parent_path();
  if (store_owner != repo.root && fs::exists(store_owner / ".git")) roots.push_back(store_owner);
  for (auto& user : store_users(repo)) roots.push_back(std::move(user));

  std::set<fs::path> walked_repos, scanned_trees{repo.root};
  for (const auto& root : roots) {
    auto git_repo = git::Repository::open(root);
    if (!git_repo) {
      if (root == repo.root) return std::unexpected(git_repo.error());
      continue;  // a registered work tree that is no longer a repository
    }
    auto trees = git::work_trees(*git_repo);
    if (!trees) return std::unexpected(trees.error());
    // Work trees of one repository share its history: walk it once.
    fs::path key = trees->empty() ? root : trees->front();
    if (walked_repos.insert(key).second) {
      auto files = git::files_in_every_version(*git_repo, kPointerSuffix, kDvcHistoryName);
      if (!files) return std::unexpected(files.error());
      add_pointer_texts(cache, *files, all);
    }
    trees->push_back(root);
    for (const auto& tree : *trees) {
      if (scanned_trees.insert(tree).second) MLOPS_TRY(add_workspace(tree, repo, cache, all));
    }
  }
  return all;
}

std::int64_t mtime_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec);
}

std::uint64_t size_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

std::set<Hash> keep_set(const Cache& cache, const std::vector<TrackedData>& versions,
                        const std::vector<TrackedData>& extra) {
  std::vector<TrackedData> all = versions;
  all.insert(all.end(), extra.begin(), extra.end());
  auto objects = objects_of(cache, all);
  return std::set<Hash>(objects.begin(), objects.end());
}

}  // namespace

Result<std::vector<Hash>> data_roots(const Repo& repo, const Cache& cache, GcScope scope) {
  auto versions = versions_to_keep(repo, cache, scope);
  if (!versions) return std::unexpected(versions.error());
  return objects_of(cache, *versions);
}

Result<GcPlan> plan_gc(const Repo& repo, const Cache& cache, const GcOptions& options) {
  auto versions = versions_to_keep(repo, cache, options.scope);
  if (!versions) return std::unexpected(versions.error());
  auto keep = keep_set(cache, *versions, options.extra_roots);

  GcPlan plan;
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::vector<Hash> candidates;
  for (const auto& h : cache.list()) {
    if (keep.count(h)) {
      ++plan.referenced;
      continue;
    }
    fs::path object = cache.object_path(h);
    if (now - mtime_of(object) < options.grace.count()) {
      plan.kept_recent.push_back(h);
      plan.bytes_recent += size_of(object);
      continue;
    }
    candidates.push_back(h);
  }
  if (!options.include_unpushed && !candidates.empty()) {
    // The only copy of an object is never removed: the default remote must have it.
    auto config = load_config(repo);
    if (!config) return std::unexpected(config.error());
    std::vector<bool> on_remote(candidates.size(), false);
    if (!config->default_remote.empty()) {
      plan.remote = config->default_remote;
      auto remote = open_named_remote(repo, *config, "");
      if (!remote) return std::unexpected(remote.error());
      auto present = (*remote)->contains(candidates);
      if (!present) return std::unexpected(present.error());
      on_remote = std::move(*present);
    }
    std::vector<Hash> removable;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (on_remote[i]) {
        removable.push_back(candidates[i]);
      } else {
        plan.kept_unpushed.push_back(candidates[i]);
        plan.bytes_unpushed += size_of(cache.object_path(candidates[i]));
      }
    }
    candidates = std::move(removable);
  }
  for (const auto& h : candidates) {
    plan.sizes.push_back(size_of(cache.object_path(h)));
    plan.bytes += plan.sizes.back();
  }
  plan.remove = std::move(candidates);
  return plan;
}

Result<GcPlan> plan_remote_gc(const Repo& repo, const Cache& cache, const Remote& remote, const GcOptions& options) {
  auto versions = versions_to_keep(repo, cache, options.scope);
  if (!versions) return std::unexpected(versions.error());
  std::vector<TrackedData> all = *versions;
  all.insert(all.end(), options.extra_roots.begin(), options.extra_roots.end());
  // A folder's files are known from its manifest: fetch the manifests this cache lacks.
  std::vector<Hash> unexpanded;
  objects_of(cache, all, &unexpanded);
  if (!unexpanded.empty()) {
    auto present = remote.contains(unexpanded);
    if (!present) return std::unexpected(present.error());
    for (std::size_t i = 0; i < unexpanded.size(); ++i) {
      if (!(*present)[i]) continue;
      if (auto r = remote.download(unexpanded[i], cache); !r) return std::unexpected(r.error());
    }
    if (auto r = cache.flush(); !r) return std::unexpected(r.error());
  }
  auto keep = keep_set(cache, all, {});
  auto listed = remote.list();
  if (!listed) return std::unexpected(listed.error());
  GcPlan plan;
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::sort(listed->begin(), listed->end(), [](const auto& a, const auto& b) { return a.hash < b.hash; });
  for (const auto& object : *listed) {
    if (keep.count(object.hash)) {
      ++plan.referenced;
    } else if (now - object.mtime < options.grace.count()) {
      plan.kept_recent.push_back(object.hash);
      plan.bytes_recent += object.size;
    } else {
      plan.remove.push_back(object.hash);
      plan.sizes.push_back(object.size);
      plan.bytes += object.size;
    }
  }
  return plan;
}

Result<GcResult> remove_from_cache(const Repo& repo, const Cache& cache, const GcPlan& plan,
                                   const std::set<Hash>* confirmed) {
  GcResult result;
  for (std::size_t i = 0; i < plan.remove.size(); ++i) {
    const Hash& h = plan.remove[i];
    if (confirmed && !confirmed->count(h)) continue;
    if (auto r = cache.remove(h); !r) return std::unexpected(r.error());
    result.removed.push_back(h);
    result.bytes += plan.sizes[i];
  }
  std::error_code ec;
  auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::directory_iterator(repo.tmp(), ec)) {
    if (entry.is_regular_file(ec) && entry.last_write_time(ec) < cutoff) fs::remove(entry.path(), ec);
  }
  return result;
}

Result<GcResult> remove_from_remote(const Remote& remote, const GcPlan& plan, const std::set<Hash>* confirmed) {
  GcResult result;
  for (std::size_t i = 0; i < plan.remove.size(); ++i) {
    const Hash& h = plan.remove[i];
    if (confirmed && !confirmed->count(h)) continue;
    if (auto r = remote.remove(h); !r) return std::unexpected(r.error());
    result.removed.push_back(h);
    result.bytes += plan.sizes[i];
  }
  return result;
}

namespace {
fs::path plan_file(const Repo& repo, const std::string& remote_name) {
  return repo.store() / "gc" / ("remote-" + hash_bytes(remote_name).hex().substr(0, 16));
}
constexpr std::int64_t kPlanLifetime = 3600;
}  // namespace

Result<void> save_remote_plan(const Repo& repo, const std::string& remote_name, const GcPlan& plan) {
  fs::path file = plan_file(repo, remote_name);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return std::unexpected(system_error("create", file.parent_path(), ec.value()));
  std::string text = fmt::format("mlops-gc-plan 1\n{}\n{}\n", remote_name, std::time(nullptr));
  for (const auto& h : plan.remove) text += h.hex() + "\n";
  return write_file_atomic(file, text, repo.tmp());
}

Result<std::set<Hash>> load_remote_plan(const Repo& repo, const std::string& remote_name) {
  auto missing = [&](std::string why) {
    return bad_input(
        fmt::format("'mlops data gc --remote {}' removes only what a dry run showed, and {}", remote_name, why),
        fmt::format("run 'mlops data gc --remote {} --dry-run' first, check the list, then run it again "
                    "without --dry-run within an hour",
                    remote_name));
  };
  auto text = read_file(plan_file(repo, remote_name));
  if (!text) return std::unexpected(missing("there was none"));
  std::set<Hash> hashes;
  std::size_t at = 0;
  int line_no = 0;
  std::int64_t written = 0;
  while (at < text->size()) {
    std::size_t end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    std::string line = text->substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != "mlops-gc-plan 1") return std::unexpected(missing("the recorded one is unreadable"));
    } else if (line_no == 2) {
      if (line != remote_name) return std::unexpected(missing("the recorded one is for another remote"));
    } else if (line_no == 3) {
      written = std::atoll(line.c_str());
    } else if (auto h = Hash::parse_hex(line)) {
      hashes.insert(*h);
    }
  }
  if (std::time(nullptr) - written > kPlanLifetime) return std::unexpected(missing("the last one is over an hour old"));
  return hashes;
}

void forget_remote_plan(const Repo& repo, const std::string& remote_name) {
  std::error_code ec;
  fs::remove(plan_file(repo, remote_name), ec);
}

}  // namespace mlops::data
