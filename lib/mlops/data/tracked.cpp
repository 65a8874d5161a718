#include "mlops/data/tracked.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "mlops/core/file.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tree.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

std::string data_path_of(std::string_view pointer_file, const Pointer& pointer) {
  auto slash = pointer_file.rfind('/');
  if (slash == std::string_view::npos) return pointer.path;
  return std::string(pointer_file.substr(0, slash + 1)) + pointer.path;
}

namespace {

Result<TrackedData> parse_tracked(std::string pointer_file, std::string_view text, const fs::path& shown_as) {
  if (has_conflict_markers(text)) {
    auto conflict = parse_pointer_conflict(text, shown_as);
    if (!conflict) return std::unexpected(conflict.error());
    std::string data_path = data_path_of(pointer_file, conflict->ours);
    Pointer ours = conflict->ours;
    return TrackedData{std::move(pointer_file), std::move(data_path), std::move(ours), std::move(*conflict)};
  }
  auto pointer = parse_pointer(text, shown_as);
  if (!pointer) return std::unexpected(pointer.error());
  std::string data_path = data_path_of(pointer_file, *pointer);
  return TrackedData{std::move(pointer_file), std::move(data_path), std::move(*pointer), std::nullopt};
}

Result<TrackedData> read_pointer_file(const Repo& repo, const std::string& pointer_file) {
  auto text = read_file(repo.root / pointer_file);
  if (!text) return std::unexpected(text.error());
  return parse_tracked(pointer_file, *text, pointer_file);
}

Result<void> scan(const Repo& repo, const std::string& prefix, std::vector<TrackedData>& found,
                  std::vector<std::string>* ignore_files) {
  fs::path dir = prefix.empty() ? repo.root : repo.root / prefix;
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
  if (!handle) return {};  // unreadable folders hold no pointers we could use
  std::vector<std::string> subdirs;
  std::set<std::string> data_names;  // entries named by a pointer in this folder: not descended into
  while (auto* entry = ::readdir(handle.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == ".." || name == ".git" || (prefix.empty() && name == ".mlops")) continue;
    std::string rel = prefix.empty() ? name : prefix + "/" + name;
    bool is_dir = entry->d_type == DT_DIR;
    bool is_file = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st {};
      if (::lstat((repo.root / rel).c_str(), &st) != 0) continue;
      is_dir = S_ISDIR(st.st_mode);
      is_file = S_ISREG(st.st_mode);
    }
    if (is_dir) {
      subdirs.push_back(rel);
    } else if (ignore_files && is_file && name == ".gitignore") {
      ignore_files->push_back(rel);
    } else if (is_file && name.size() > kPointerSuffix.size() && name.ends_with(kPointerSuffix)) {
      auto tracked = read_pointer_file(repo, rel);
      if (!tracked) return std::unexpected(tracked.error());
      data_names.insert(tracked->data_path);
      found.push_back(std::move(*tracked));
    }
  }
  for (const auto& sub : subdirs) {
    if (data_names.count(sub)) continue;
    if (auto r = scan(repo, sub, found, ignore_files); !r) return r;
  }
  return {};
}

void sort_by_data_path(std::vector<TrackedData>& list) {
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.data_path < b.data_path; });
}

std::string pointer_file_for(const std::string& rel) {
  return rel.ends_with(kPointerSuffix) ? rel : rel + std::string(kPointerSuffix);
}

std::string strip_pointer_suffix(const std::string& rel) {
  return rel.ends_with(kPointerSuffix) ? rel.substr(0, rel.size() - kPointerSuffix.size()) : rel;
}

// The versions `mlops import dvc --all-commits` recorded for commit `rev` (.mlops/dvc-history.jsonl:
// data path -> pointer text), for history made under DVC, whose commits have `.dvc` files where
// later ones have pointers. Empty when there is no such file.
Result<std::map<std::string, std::string>> dvc_imported_pointers(const Repo& repo, const git::Repository& git_repo,
                                                                 std::string_view rev) {
  std::map<std::string, std::string> found;
  std::error_code ec;
  if (!fs::exists(dvc_history_file(repo), ec)) return found;
  auto commit = git_repo.resolve_commit(rev);
  if (!commit) return std::unexpected(commit.error());
  auto history = read_dvc_history(repo);
  if (!history) return std::unexpected(history.error());
  for (auto it = history->versions.lower_bound({*commit, ""});
       it != history->versions.end() && it->first.first == *commit; ++it) {
    found.emplace(it->first.second, format_pointer(it->second));
  }
  return found;
}

// The versions of commit `commit` the import could not bring in (all paths when `path` is empty).
Result<std::vector<DvcNotImported>> dvc_missing_rows(const Repo& repo, const std::string& commit,
                                                     const std::string& path) {
  std::vector<DvcNotImported> found;
  std::error_code ec;
  if (!fs::exists(dvc_history_file(repo), ec)) return found;
  auto history = read_dvc_history(repo);
  if (!history) return std::unexpected(history.error());
  for (auto it = history->missing.lower_bound({commit, ""}); it != history->missing.end() && it->first.first == commit;
       ++it) {
    if (path.empty() || it->first.second == path) found.push_back(it->second);
  }
  return found;
}

Error not_tracked_error(const std::string& path, std::string_view where) {
  return bad_input(fmt::format("'{}' is not tracked by mlops{}", path, where),
                   fmt::format("track it with 'mlops data add {}'", path));
}

// The error for data path `rel` (as the user wrote it: `shown`) that has no pointer: DVC's when
// DVC tracks it there (its version was not imported, and why), else "not tracked". `rev` empty:
// the work tree.
Error untracked_error(const Repo& repo, const git::Repository* git_repo, std::string_view rev, const std::string& rel,
                      const std::string& shown) {
  std::string dvc_file = rel + ".dvc";
  std::string where = rev.empty() ? "" : fmt::format(" at '{}'", rev);
  if (rev.empty()) {
    struct stat st {};
    if (::stat((repo.root / dvc_file).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      return bad_input(
          fmt::format("'{}' is tracked by DVC ('{}') and was not imported into mlops", shown, dvc_file),
          fmt::format("import it with 'mlops import dvc {0}' (when its data is missing, 'dvc fetch {0}' first)",
                      dvc_file));
    }
    return not_tracked_error(shown, where);
  }
  if (!git_repo) return not_tracked_error(shown, where);
  if (auto commit = git_repo->resolve_commit(rev)) {
    if (auto missing = dvc_missing_rows(repo, *commit, rel); missing && !missing->empty()) {
      const auto& m = missing->front();
      std::string files;
      for (std::size_t i = 0; i < m.files.size() && i < 3; ++i) files += (i ? ", " : ": ") + m.files[i];
      if (m.files.size() > 3) files += fmt::format(" and {} more", m.files.size() - 3);
      return bad_input(fmt::format("the DVC version of '{}'{} (md5 {}) was not imported: {}{}", shown, where,
                                   m.dvc_hash, m.reason, files),
                       fmt::format("fetch it with '{}', then run 'mlops import dvc --all-commits'", m.fetch));
    }
  }
  auto dvc_text = git_repo->read_file_at(rev, dvc_file);
  if (dvc_text && *dvc_text) {
    return bad_input(
        fmt::format("'{}' is tracked by DVC{} ('{}'), and its versions were not imported into this store", shown, where,
                    dvc_file),
        "where another clone imported them, 'git pull' brings its .mlops/dvc-history.jsonl; otherwise run 'mlops "
        "import dvc --all-commits' (with DVC's cache or remote at hand) and commit that file");
  }
  // A file git itself holds at that commit (a metrics file DVC kept in git, say).
  if (auto in_git = git_repo->read_file_at(rev, rel); in_git && *in_git) {
    return bad_input(fmt::format("'{}' is kept in git{}, not tracked by mlops", shown, where),
                     fmt::format("read it with: git show {}:{}", rev, rel));
  }
  return not_tracked_error(shown, where);
}

// Selects from `all` the pointers for `paths` (data paths, pointer files or folders).
Result<std::vector<TrackedData>> select_from(const Repo& repo, std::vector<TrackedData> all,
                                             const std::vector<std::string>& paths, std::string_view rev,
                                             const git::Repository* git_repo) {
  if (paths.empty()) return all;
  std::vector<TrackedData> chosen;
  std::set<std::string> taken;
  for (const auto& p : paths) {
    auto rel = repo.relative(p);
    if (!rel) return std::unexpected(rel.error());
    std::string data_path = strip_pointer_suffix(*rel);
    bool matched = false;
    for (const auto& t : all) {
      bool below = data_path == "." || t.data_path == data_path || t.data_path.starts_with(data_path + "/");
      if (!below) continue;
      matched = true;
      if (taken.insert(t.data_path).second) chosen.push_back(t);
    }
    if (!matched) return std::unexpected(untracked_error(repo, git_repo, rev, data_path, p));
  }
  sort_by_data_path(chosen);
  return chosen;
}

}  // namespace

Result<std::vector<TrackedData>> list_tracked(const Repo& repo, std::vector<std::string>* ignore_files) {
  std::vector<TrackedData> found;
  if (auto r = scan(repo, "", found, ignore_files); !r) return std::unexpected(r.error());
  sort_by_data_path(found);
  return found;
}

Result<std::vector<TrackedData>> select_tracked(const Repo& repo, const std::vector<std::string>& paths) {
  if (paths.empty()) return list_tracked(repo);
  // Fast path: each path names its pointer file directly, so nothing is scanned.
  std::vector<TrackedData> chosen;
  bool all_direct = true;
  for (const auto& p : paths) {
    auto rel = repo.relative(p);
    if (!rel) return std::unexpected(rel.error());
    std::string pointer_file = pointer_file_for(*rel);
    struct stat st {};
    if (::stat((repo.root / pointer_file).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      all_direct = false;
      break;
    }
    auto tracked = read_pointer_file(repo, pointer_file);
    if (!tracked) return std::unexpected(tracked.error());
    chosen.push_back(std::move(*tracked));
  }
  if (all_direct) {
    sort_by_data_path(chosen);
    return chosen;
  }
  auto all = list_tracked(repo);
  if (!all) return all;
  return select_from(repo, std::move(*all), paths, "", nullptr);
}

Result<std::vector<TrackedData>> list_tracked_at(const Repo& repo, std::string_view rev) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto files = git::files_with_suffix_at(*git_repo, rev, kPointerSuffix);
  if (!files) return std::unexpected(files.error());
  std::vector<TrackedData> found;
  for (auto& f : *files) {
    auto tracked = parse_tracked(f.path, f.content, fmt::format("{}:{}", rev, f.path));
    if (!tracked) return std::unexpected(tracked.error());
    found.push_back(std::move(*tracked));
  }
  // A damaged history file must not stop what only adds it to the commit's pointers (the
  // pre-push hook, a registration): warned about, and left out.
  auto imported = dvc_imported_pointers(repo, *git_repo, rev);
  if (!imported && imported.error().exit != Exit::bad_input) return std::unexpected(imported.error());
  if (!imported) {
    (void)read_dvc_history_or_warn(repo);
    imported = std::map<std::string, std::string>();
  }
  for (const auto& [path, text] : *imported) {
    bool pointed = std::any_of(found.begin(), found.end(), [&](const TrackedData& t) { return t.data_path == path; });
    if (pointed) continue;
    std::string pointer_file = pointer_file_for(path);
    auto tracked = parse_tracked(pointer_file, text, fmt::format("{}:{} (imported from DVC)", rev, pointer_file));
    if (!tracked) return std::unexpected(tracked.error());
    found.push_back(std::move(*tracked));
  }
  sort_by_data_path(found);
  return found;
}

Result<std::vector<TrackedData>> select_tracked_at(const Repo& repo, std::string_view rev,
                                                   const std::vector<std::string>& paths) {
  auto all = list_tracked_at(repo, rev);
  if (!all) return all;
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  return select_from(repo, std::move(*all), paths, rev, &*git_repo);
}

Result<TrackedData> tracked_at(const Repo& repo, std::string_view data_path, std::string_view rev) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto rel = repo.relative(std::string(data_path));
  if (!rel) return std::unexpected(rel.error());
  std::string pointer_file = pointer_file_for(*rel);
  auto text = git_repo->read_file_at(rev, pointer_file);
  if (!text) return std::unexpected(text.error());
  if (!*text) {
    auto imported = dvc_imported_pointers(repo, *git_repo, rev);
    if (!imported) return std::unexpected(imported.error());
    auto it = imported->find(*rel);
    if (it == imported->end())
      return std::unexpected(untracked_error(repo, &*git_repo, rev, *rel, std::string(data_path)));
    return parse_tracked(pointer_file, it->second, fmt::format("{}:{} (imported from DVC)", rev, pointer_file));
  }
  auto tracked = parse_tracked(pointer_file, **text, fmt::format("{}:{}", rev, pointer_file));
  if (tracked && tracked->conflict) return std::unexpected(conflict_error(*tracked));
  return tracked;
}

Result<std::vector<DvcNotImported>> dvc_not_imported_at(const Repo& repo, std::string_view rev) {
  std::error_code ec;
  if (!fs::exists(dvc_history_file(repo), ec)) return std::vector<DvcNotImported>();
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto commit = git_repo->resolve_commit(rev);
  if (!commit) return std::unexpected(commit.error());
  return dvc_missing_rows(repo, *commit, "");
}

Result<TrackedData> read_tracked(const Repo& repo, std::string_view data_path) {
  auto selected = select_tracked(repo, {std::string(data_path)});
  if (!selected) return std::unexpected(selected.error());
  if (selected->size() != 1)
    return std::unexpected(bad_input(fmt::format("'{}' names more than one tracked path", data_path)));
  if (selected->front().conflict) return std::unexpected(conflict_error(selected->front()));
  return std::move(selected->front());
}

std::string conflict_way_out(const TrackedData& item) {
  return fmt::format(
      "keep one side with 'mlops data checkout {0} --ours' (or --theirs), then 'git add {1}'; "
      "see 'Merge conflicts' in docs/data.md",
      item.data_path, item.pointer_file);
}

Error conflict_error(const TrackedData& item) {
  return bad_input(fmt::format("'{}' has a merge conflict in its pointer '{}'", item.data_path, item.pointer_file),
                   conflict_way_out(item));
}

std::vector<TrackedData> every_side(const std::vector<TrackedData>& items) {
  std::vector<TrackedData> sides;
  for (const auto& item : items) {
    if (!item.conflict) {
      sides.push_back(item);
      continue;
    }
    auto side = [&](const Pointer& p) {
      sides.push_back(TrackedData{item.pointer_file, data_path_of(item.pointer_file, p), p, std::nullopt});
    };
    side(item.conflict->ours);
    side(item.conflict->theirs);
    if (item.conflict->base) side(*item.conflict->base);
  }
  return sides;
}

std::vector<TrackedData> conflicted(const std::vector<TrackedData>& items) {
  std::vector<TrackedData> found;
  for (const auto& item : items) {
    if (item.conflict) found.push_back(item);
  }
  return found;
}

}  // namespace mlops::data
