#include "mlops/data/add.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/store.hpp"
#include "mlops/data/workspace.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {
bool is_under(const std::string& rel, std::string_view top) {
  return rel == top || rel.starts_with(std::string(top) + "/");
}
}  // namespace

Result<std::string> check_addable(const Repo& repo, const git::Repository& git_repo, const std::string& path) {
  auto rel = repo.relative(path);
  if (!rel) return std::unexpected(rel.error());
  if (*rel == ".")
    return std::unexpected(bad_input("cannot track the whole repository", "name a file or folder inside it"));
  if (is_under(*rel, ".git") || rel->find("/.git/") != std::string::npos || rel->ends_with("/.git")) {
    return std::unexpected(bad_input(fmt::format("'{}' is inside .git", path), "track data outside git's own folder"));
  }
  if (is_under(*rel, ".mlops")) {
    return std::unexpected(bad_input(fmt::format("'{}' is inside .mlops", path), "track data outside mlops' store"));
  }
  if (rel->ends_with(kPointerSuffix)) {
    return std::unexpected(bad_input(fmt::format("'{}' is a pointer file", path),
                                     "name the data itself: " + rel->substr(0, rel->size() - kPointerSuffix.size())));
  }
  struct stat st {};
  fs::path full = repo.root / *rel;
  if (::lstat(full.c_str(), &st) != 0) return std::unexpected(system_error("read", path, errno));
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    fs::path target = fs::canonical(full, ec);
    auto target_rel = target.lexically_relative(repo.root).generic_string();
    if (ec || target_rel.empty() || target_rel == ".." || target_rel.starts_with("../")) {
      return std::unexpected(
          bad_input(fmt::format("'{}' is a symbolic link that leaves the repository", path),
                    "copy the data into the repository, or add what the link points to from inside it"));
    }
  }
  // Not inside a tracked folder: its version already holds these files.
  for (fs::path parent = fs::path(*rel).parent_path(); !parent.empty(); parent = parent.parent_path()) {
    struct stat pst {};
    if (::stat((repo.root / (parent.string() + std::string(kPointerSuffix))).c_str(), &pst) == 0) {
      return std::unexpected(bad_input(
          fmt::format("'{}' is inside '{}', which is tracked data", path, parent.generic_string()),
          fmt::format("add the whole folder again to record the change: mlops data add {}", parent.generic_string())));
    }
  }
  auto tracked = git_repo.is_tracked(*rel);
  if (!tracked) return std::unexpected(tracked.error());
  if (*tracked) {
    return std::unexpected(bad_input(fmt::format("'{}' is already tracked by git", path),
                                     fmt::format("stop tracking it in git first: git rm -r --cached '{}'", *rel)));
  }
  return rel;
}

Result<Pointer> stage_path(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& rel,
                           LinkMode link) {
  fs::path full = repo.root / rel;
  const StoreContent store =
      link == LinkMode::hardlink || link == LinkMode::symlink ? StoreContent::link : StoreContent::yes;
  struct stat st {};
  if (::stat(full.c_str(), &st) != 0) return std::unexpected(system_error("read", rel, errno));
  Pointer pointer;
  pointer.path = fs::path(rel).filename().string();
  if (S_ISREG(st.st_mode)) {
    out::Progress progress(fmt::format("Adding {}", rel), static_cast<std::uint64_t>(st.st_size));
    auto hash = hash_workspace_file(full, rel, st, stat_cache, cache, store);
    if (!hash) return std::unexpected(hash.error());
    progress.advance(static_cast<std::uint64_t>(st.st_size));
    pointer.hash = *hash;
    pointer.size = static_cast<std::uint64_t>(st.st_size);
    pointer.files = 1;
    pointer.kind = Kind::file;
    return pointer;
  }
  if (!S_ISDIR(st.st_mode)) return std::unexpected(bad_input(fmt::format("'{}' is not a regular file or folder", rel)));
  auto files = walk_directory(full, repo.root);
  if (!files) return std::unexpected(files.error());
  std::uint64_t total = 0;
  for (const auto& f : *files) total += f.st.fp.size;
  out::Progress progress(fmt::format("Adding {}", rel), total);
  auto manifest = hash_directory(full, rel, *files, stat_cache, cache, store, &progress);
  if (!manifest) return std::unexpected(manifest.error());
  auto hash = cache.put_bytes(serialize_manifest(*manifest));
  if (!hash) return std::unexpected(hash.error());
  pointer.hash = *hash;
  pointer.size = total;
  pointer.files = manifest->size();
  pointer.kind = Kind::dir;
  return pointer;
}

Result<bool> ensure_gitignored(const Repo& repo, const std::string& rel) {
  fs::path p(rel);
  fs::path ignore_file = repo.root / p.parent_path() / ".gitignore";
  std::string entry = "/" + p.filename().string();
  // Two `data add` processes in one folder must not lose each other's line.
  auto lock = FileLock::acquire(repo.store() / "gitignore.lock");
  if (!lock) return std::unexpected(lock.error());
  std::string text;
  if (auto existing = read_file(ignore_file)) {
    text = std::move(*existing);
  } else if (existing.error().exit != Exit::bad_input) {
    return std::unexpected(existing.error());
  }
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    if (std::string_view(text).substr(at, end - at) == entry) return false;
    at = end + 1;
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += entry + "\n";
  if (auto r = write_file_atomic(ignore_file, text); !r) return std::unexpected(r.error());
  return true;
}

namespace {

// A workspace file that stage_path() linked into the cache is the object itself: for hardlink
// nothing is left to do, for symlink it gives way to a link to the object. No need to re-read
// the object to check it, as place_object() does for a link to an object stored earlier: its
// content was hashed a moment ago. False when `full` is not the object (place_object's work).
Result<bool> place_linked_file(const Cache& cache, const Hash& hash, const fs::path& full, LinkMode link) {
  if (link != LinkMode::hardlink && link != LinkMode::symlink) return false;
  struct stat file {
  }, object{};
  fs::path object_path = cache.object_path(hash);
  if (::lstat(full.c_str(), &file) != 0 || ::stat(object_path.c_str(), &object) != 0) return false;
  if (!S_ISREG(file.st_mode) || file.st_dev != object.st_dev || file.st_ino != object.st_ino) return false;
  if (link == LinkMode::hardlink) return true;
  fs::path temp = temp_path_in(full.parent_path(), full.filename().string());
  if (::symlink(object_path.c_str(), temp.c_str()) != 0) return std::unexpected(system_error("link", full, errno));
  if (::rename(temp.c_str(), full.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return std::unexpected(system_error("replace", full, err));
  }
  return true;
}

// Replaces workspace copies with links to (or clones of) the cache objects, and remembers the
// new fingerprints so the next status reads nothing.
Result<void> apply_link_mode(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& rel,
                             const Pointer& pointer, LinkMode link) {
  auto place = [&](const Hash& hash, const std::string& file_rel, bool executable) -> Result<void> {
    fs::path full = repo.root / file_rel;
    auto linked = place_linked_file(cache, hash, full, link);
    if (!linked) return std::unexpected(linked.error());
    if (!*linked) {
      if (auto placed = place_object(cache, hash, full, link, executable); !placed) return placed;
    }
    struct stat st {};
    if (::stat(full.c_str(), &st) == 0) stat_cache.record(file_rel, Fingerprint::of(st), hash);
    return {};
  };
  if (pointer.kind == Kind::file) return place(pointer.hash, rel, false);
  auto manifest = read_manifest(cache, pointer.hash);
  if (!manifest) return std::unexpected(manifest.error());
  for (const auto& e : *manifest) {
    if (auto r = place(e.hash, rel + "/" + e.path, e.executable); !r) return r;
  }
  return {};
}

}  // namespace

Result<AddResult> write_pointer(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& rel,
                                const Pointer& pointer, LinkMode link) {
  AddResult result;
  result.tracked.pointer_file = rel + std::string(kPointerSuffix);
  result.tracked.data_path = rel;
  result.tracked.pointer = pointer;
  std::string text = format_pointer(pointer);
  fs::path pointer_path = repo.root / result.tracked.pointer_file;
  auto old = read_file(pointer_path);
  result.changed = !old || *old != text;
  if (result.changed) {
    if (auto r = write_file_atomic(pointer_path, text); !r) return std::unexpected(r.error());
  }
  auto ignored = ensure_gitignored(repo, rel);
  if (!ignored) return std::unexpected(ignored.error());
  result.gitignored = *ignored;
  if (link != LinkMode::copy) {
    if (auto r = apply_link_mode(repo, cache, stat_cache, rel, pointer, link); !r) return std::unexpected(r.error());
  }
  return result;
}

Result<std::vector<AddResult>> write_pointers(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                              const std::vector<std::string>& rels,
                                              const std::vector<Pointer>& pointers, LinkMode link) {
  // The text each file had before this add touched it (nullopt: it did not exist), first seen first.
  std::vector<std::pair<fs::path, std::optional<std::string>>> before;
  auto remember = [&](const fs::path& file) {
    for (const auto& [seen, _] : before) {
      if (seen == file) return;
    }
    auto text = read_file(file);
    before.emplace_back(file, text ? std::optional<std::string>(std::move(*text)) : std::nullopt);
  };
  std::vector<AddResult> results;
  for (std::size_t i = 0; i < rels.size(); ++i) {
    remember(repo.root / (rels[i] + std::string(kPointerSuffix)));
    remember(repo.root / fs::path(rels[i]).parent_path() / ".gitignore");
    auto written = write_pointer(repo, cache, stat_cache, rels[i], pointers[i], link);
    if (written) {
      results.push_back(std::move(*written));
      continue;
    }
    Error error = written.error();
    std::vector<std::string> stuck;
    for (auto it = before.rbegin(); it != before.rend(); ++it) {
      const auto& [file, text] = *it;
      auto now = read_file(file);
      if (text ? (now && *now == *text) : !now) continue;  // untouched
      bool restored = text ? write_file_atomic(file, *text).has_value() : ::unlink(file.c_str()) == 0;
      if (!restored) stuck.push_back(fs::relative(file, repo.root).string());
    }
    if (!stuck.empty()) {
      std::string names;
      for (const auto& name : stuck) names += (names.empty() ? "" : ", ") + name;
      error.hint +=
          fmt::format("{}these files could not be put back as they were: {}", error.hint.empty() ? "" : "; ", names);
    }
    return std::unexpected(std::move(error));
  }
  return results;
}

}  // namespace mlops::data
