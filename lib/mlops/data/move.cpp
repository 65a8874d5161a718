#include "mlops/data/move.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include "mlops/core/file.hpp"
#include "mlops/data/add.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

Result<bool> remove_gitignore_entry(const Repo& repo, const std::string& rel) {
  fs::path p(rel);
  fs::path ignore_file = repo.root / p.parent_path() / ".gitignore";
  std::string entry = "/" + p.filename().string();
  auto lock = FileLock::acquire(repo.store() / "gitignore.lock");  // as ensure_gitignored
  if (!lock) return std::unexpected(lock.error());
  auto text = read_file(ignore_file);
  if (!text) return text.error().exit == Exit::bad_input ? Result<bool>(false) : std::unexpected(text.error());
  std::string kept;
  bool removed = false;
  std::size_t at = 0;
  while (at < text->size()) {
    std::size_t end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    std::string_view line = std::string_view(*text).substr(at, end - at);
    if (line == entry) {
      removed = true;
    } else {
      kept += std::string(line) + "\n";
    }
    at = end + 1;
  }
  if (!removed) return false;
  if (kept.empty()) {
    if (::unlink(ignore_file.c_str()) != 0) return std::unexpected(system_error("remove", ignore_file, errno));
    return true;
  }
  if (auto r = write_file_atomic(ignore_file, kept); !r) return std::unexpected(r.error());
  return true;
}

namespace {

bool exists_at(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// `rel` with a trailing pointer suffix or slash taken off.
std::string data_name(std::string rel) {
  while (rel.size() > 1 && rel.back() == '/') rel.pop_back();
  if (rel.ends_with(kPointerSuffix)) rel.resize(rel.size() - kPointerSuffix.size());
  return rel;
}

}  // namespace

Result<TrackedData> move_tracked(const Repo& repo, const std::string& from, const std::string& to) {
  auto from_rel = repo.relative(from);
  if (!from_rel) return std::unexpected(from_rel.error());
  auto item = read_tracked(repo, data_name(*from_rel));
  if (!item) return std::unexpected(item.error());
  auto to_full = fs::absolute(to).lexically_normal();
  auto to_rel = to_full.lexically_relative(repo.root).generic_string();
  to_rel = data_name(to_rel);
  if (to_rel.empty() || to_rel == "." || to_rel == ".." || to_rel.starts_with("../")) {
    return std::unexpected(
        bad_input(fmt::format("'{}' is outside the repository", to), "move it within the work tree"));
  }
  if (to_rel == ".git" || to_rel.starts_with(".git/") || to_rel == ".mlops" || to_rel.starts_with(".mlops/")) {
    return std::unexpected(bad_input(fmt::format("'{}' is inside .git or .mlops", to), "move it elsewhere"));
  }
  if (to_rel == item->data_path) {
    return std::unexpected(bad_input(fmt::format("'{}' is already there", to), "name another destination"));
  }
  if (to_rel.starts_with(item->data_path + "/")) {
    return std::unexpected(bad_input(fmt::format("'{}' is inside '{}' itself", to, item->data_path)));
  }
  if (exists_at(repo.root / to_rel) || exists_at(repo.root / (to_rel + std::string(kPointerSuffix)))) {
    return std::unexpected(bad_input(fmt::format("'{}' exists already", to_rel),
                                     "choose a new name, or remove it first (mlops data remove)"));
  }
  // Not into other tracked data.
  for (fs::path parent = fs::path(to_rel).parent_path(); !parent.empty(); parent = parent.parent_path()) {
    if (exists_at(repo.root / (parent.string() + std::string(kPointerSuffix)))) {
      return std::unexpected(
          bad_input(fmt::format("'{}' is inside '{}', which is tracked data", to_rel, parent.generic_string()),
                    "move it outside tracked folders"));
    }
  }
  std::error_code ec;
  fs::path to_dir = (repo.root / to_rel).parent_path();
  fs::create_directories(to_dir, ec);
  if (ec) return std::unexpected(system_error("create", to_dir, ec.value()));

  TrackedData moved = *item;
  moved.data_path = to_rel;
  moved.pointer_file = to_rel + std::string(kPointerSuffix);
  moved.pointer.path = fs::path(to_rel).filename().string();
  // The new pointer first: an interruption leaves two pointers, never none.
  if (auto r = write_file_atomic(repo.root / moved.pointer_file, format_pointer(moved.pointer)); !r)
    return std::unexpected(r.error());
  if (exists_at(repo.root / item->data_path)) {
    if (::rename((repo.root / item->data_path).c_str(), (repo.root / to_rel).c_str()) != 0) {
      int err = errno;
      ::unlink((repo.root / moved.pointer_file).c_str());
      return std::unexpected(system_error("move", item->data_path, err));
    }
  }
  if (auto r = ensure_gitignored(repo, to_rel); !r) return std::unexpected(r.error());
  if (::unlink((repo.root / item->pointer_file).c_str()) != 0 && errno != ENOENT)
    return std::unexpected(system_error("remove", item->pointer_file, errno));
  if (auto r = remove_gitignore_entry(repo, item->data_path); !r) return std::unexpected(r.error());
  return moved;
}

Result<TrackedData> remove_tracked(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& path,
                                   KeepData keep) {
  auto rel = repo.relative(path);
  if (!rel) return std::unexpected(rel.error());
  auto item = read_tracked(repo, data_name(*rel));
  if (!item) return std::unexpected(item.error());
  if (keep == KeepData::no) {
    auto status = status_of(repo, cache, stat_cache, *item);
    if (!status) return std::unexpected(status.error());
    if (status->state == State::modified) {
      return std::unexpected(bad_input(
          fmt::format("'{}' holds changes that are in no cache", item->data_path),
          fmt::format("keep the files with 'mlops data remove {} --keep-data', or record them first with 'mlops data "
                      "add {}'",
                      item->data_path, item->data_path)));
    }
  }
  if (::unlink((repo.root / item->pointer_file).c_str()) != 0)
    return std::unexpected(system_error("remove", item->pointer_file, errno));
  if (auto r = remove_gitignore_entry(repo, item->data_path); !r) return std::unexpected(r.error());
  if (keep == KeepData::no) {
    std::error_code ec;
    fs::remove_all(repo.root / item->data_path, ec);
    if (ec) return std::unexpected(system_error("remove", item->data_path, ec.value()));
  }
  return *item;
}

}  // namespace mlops::data
