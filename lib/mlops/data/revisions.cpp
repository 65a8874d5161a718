#include "mlops/data/revisions.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "mlops/data/cache.hpp"
#include "mlops/data/dvc_history.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/remote.hpp"

namespace mlops::data {

namespace {

std::string normalised(std::string path) {
  while (path.starts_with("./")) path.erase(0, 2);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool selected_by(const TrackedData& item, const std::string& path) {
  if (path.empty() || path == ".") return true;
  return item.data_path == path || item.pointer_file == path || item.data_path.starts_with(path + "/");
}

bool selected(const TrackedData& item, const std::vector<std::string>& paths) {
  if (paths.empty()) return true;
  for (const auto& p : paths) {
    if (selected_by(item, p)) return true;
  }
  return false;
}

// Every xxh3 hash written in a pointer text that does not parse (conflict markers, a newer
// format): keeping and moving them all is the safe side.
std::vector<Hash> hashes_mentioned(std::string_view text) {
  std::vector<Hash> found;
  for (std::size_t at = text.find("xxh3:"); at != std::string_view::npos; at = text.find("xxh3:", at + 5)) {
    if (auto h = Hash::parse(text.substr(at, 37))) found.push_back(*h);
  }
  return found;
}

}  // namespace

Result<HistoryVersions> versions_in_revisions(const Repo& repo, const Cache& cache, const git::RevisionScope& scope,
                                              const std::vector<std::string>& paths) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto files = git::files_in_revisions(*git_repo, scope, kPointerSuffix);
  if (!files) return std::unexpected(files.error());
  std::vector<std::string> wanted;
  for (const auto& p : paths) wanted.push_back(normalised(p));

  HistoryVersions found;
  found.revisions = files->revisions;
  std::set<std::string> matched;
  for (const auto& f : files->files) {
    if (auto pointer = parse_pointer(f.content, f.path)) {
      TrackedData item{f.path, data_path_of(f.path, *pointer), std::move(*pointer), std::nullopt};
      if (!selected(item, wanted)) continue;
      for (const auto& p : wanted) {
        if (selected_by(item, p)) matched.insert(p);
      }
      found.versions.push_back(std::move(item));
      continue;
    }
    TrackedData probe;
    probe.pointer_file = f.path;
    probe.data_path = f.path.substr(0, f.path.size() - kPointerSuffix.size());
    if (!selected(probe, wanted)) continue;
    for (const auto& h : hashes_mentioned(f.content)) {
      TrackedData item = probe;
      item.pointer.hash = h;
      item.pointer.kind = looks_like_manifest(cache, h) ? Kind::dir : Kind::file;
      found.unreadable.push_back(std::move(item));
    }
  }
  // Commits made under DVC have `.dvc` files, not pointers: their versions are in the history
  // `mlops import dvc --all-commits` recorded.
  DvcHistory history = read_dvc_history_or_warn(repo);
  if (!history.versions.empty()) {
    std::set<std::string> named(files->commits.begin(), files->commits.end());
    std::set<std::pair<std::string, std::string>> seen;  // data path, pointer text
    for (const auto& [key, pointer] : history.versions) {
      if (!named.count(key.first)) continue;
      TrackedData item{key.second + std::string(kPointerSuffix), key.second, pointer, std::nullopt};
      if (!selected(item, wanted) || !seen.emplace(item.data_path, format_pointer(pointer)).second) continue;
      for (const auto& p : wanted) {
        if (selected_by(item, p)) matched.insert(p);
      }
      found.versions.push_back(std::move(item));
    }
  }
  for (const auto& p : wanted) {
    if (matched.count(p)) continue;
    // Not in history: the workspace's pointers may still name it (a pointer not committed yet).
    if (auto here = select_tracked(repo, {p}); here && !here->empty()) continue;
    return std::unexpected(bad_input(fmt::format("'{}' is not tracked in the workspace or in any revision named", p),
                                     "give a data path or its .mlops pointer file, as 'mlops data status' lists them"));
  }
  return found;
}

Result<Availability> split_by_availability(const Cache& cache, const Remote& remote,
                                           const std::vector<TrackedData>& items) {
  // One question to the remote for every object the cache lacks.
  std::vector<std::vector<Hash>> needs(items.size());
  std::vector<Hash> ask;
  std::set<Hash> asked;
  for (std::size_t i = 0; i < items.size(); ++i) {
    needs[i] = objects_of(cache, {items[i]});  // a folder whose manifest is absent: the manifest alone
    for (const auto& h : needs[i]) {
      if (!cache.contains(h) && asked.insert(h).second) ask.push_back(h);
    }
  }
  std::set<Hash> on_remote;
  if (!ask.empty()) {
    auto present = remote.contains(ask);
    if (!present) return std::unexpected(present.error());
    for (std::size_t i = 0; i < ask.size(); ++i) {
      if ((*present)[i]) on_remote.insert(ask[i]);
    }
  }
  Availability split;
  for (std::size_t i = 0; i < items.size(); ++i) {
    bool whole = true;
    for (const auto& h : needs[i]) {
      if (!cache.contains(h) && !on_remote.count(h)) {
        whole = false;
        break;
      }
    }
    (whole ? split.available : split.lost).push_back(items[i]);
  }
  return split;
}

}  // namespace mlops::data
