#include "mlops/data/ignore.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include "mlops/core/file.hpp"
#include "mlops/git/ignore.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

std::string ignore_folder_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string ignore_joined(const std::string& folder, const std::string& name) {
  return folder.empty() ? name : folder + "/" + name;
}

std::vector<std::string> ignore_lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    lines.push_back(std::move(line));
    at = end + 1;
  }
  return lines;
}

// An entry of the form mlops writes: "/name", no wildcard, no further slash.
std::optional<std::string> mlops_entry_name(const std::string& line) {
  if (line.size() < 2 || line[0] != '/') return std::nullopt;
  std::string name = line.substr(1);
  if (name.find_first_of("/*?[\\!#") != std::string::npos) return std::nullopt;
  return name;
}

bool entry_exists(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

}  // namespace

std::string IgnoreFinding::fix() const {
  if (kind == Kind::not_ignored) {
    return fmt::format(
        "git would commit the data itself: add the line '{}' to {} (then git add {}); if git "
        "already tracks it, also 'git rm -r --cached {}'",
        entry, ignore_file, ignore_file, data_path);
  }
  return fmt::format(
      "'mlops data add {}' versions it again; or, if it is no longer needed, remove the line '{}' "
      "from {} and the data",
      data_path, entry, ignore_file);
}

Result<std::vector<IgnoreFinding>> check_ignores(const Repo& repo, const std::vector<TrackedData>& tracked,
                                                 const std::vector<std::string>& ignore_files) {
  std::vector<IgnoreFinding> findings;
  std::optional<git::Repository> git_repo;
  auto open_git = [&]() -> Result<const git::Repository*> {
    if (!git_repo) {
      auto opened = git::Repository::open(repo.root);
      if (!opened) return std::unexpected(opened.error());
      git_repo.emplace(std::move(*opened));
    }
    return &*git_repo;
  };

  // Entries per .gitignore file, read once.
  std::map<std::string, std::set<std::string>> entries;
  auto entries_of = [&](const std::string& ignore_file) -> const std::set<std::string>& {
    auto it = entries.find(ignore_file);
    if (it != entries.end()) return it->second;
    std::set<std::string> names;
    if (auto text = read_file(repo.root / ignore_file)) {
      for (const auto& line : ignore_lines_of(*text)) names.insert(line);
    }
    return entries.emplace(ignore_file, std::move(names)).first->second;
  };

  std::set<std::string> tracked_paths;
  for (const auto& item : tracked) {
    tracked_paths.insert(item.data_path);
    std::string folder = ignore_folder_of(item.data_path);
    std::string ignore_file = ignore_joined(folder, ".gitignore");
    std::string entry = "/" + fs::path(item.data_path).filename().string();
    if (entries_of(ignore_file).count(entry)) continue;  // the entry mlops wrote is there
    // Another pattern may cover it (`*.csv`, a parent folder's entry): git decides.
    auto git = open_git();
    if (!git) return std::unexpected(git.error());
    auto ignored = git::is_ignored(**git, item.data_path);
    if (!ignored) return std::unexpected(ignored.error());
    if (!*ignored)
      findings.push_back(IgnoreFinding{IgnoreFinding::Kind::not_ignored, item.data_path, ignore_file, entry, {}});
  }

  for (const auto& ignore_file : ignore_files) {
    std::string folder = ignore_folder_of(ignore_file);
    for (const auto& line : entries_of(ignore_file)) {
      auto name = mlops_entry_name(line);
      if (!name) continue;
      std::string data_path = ignore_joined(folder, *name);
      if (tracked_paths.count(data_path) || entry_exists(repo.root / (data_path + std::string(kPointerSuffix))))
        continue;
      if (!entry_exists(repo.root / data_path)) continue;  // nothing sits ignored
      // mlops wrote it when a pointer for it was once committed: git says who removed it.
      auto git = open_git();
      if (!git) return std::unexpected(git.error());
      if (!(*git)->head_commit()) continue;
      auto removed = git::last_change(**git, "HEAD", data_path + std::string(kPointerSuffix));
      if (!removed) return std::unexpected(removed.error());
      if (!*removed) continue;  // never a pointer: the user's own entry
      findings.push_back(IgnoreFinding{IgnoreFinding::Kind::untracked, data_path, ignore_file, line, *removed});
    }
  }
  return findings;
}

}  // namespace mlops::data
