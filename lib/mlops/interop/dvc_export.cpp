#include "mlops/interop/dvc_export.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <optional>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/yaml_quote.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/interop/dvc_file.hpp"
#include "mlops/interop/dvc_import.hpp"
#include "mlops/interop/dvc_objects.hpp"
#include "mlops/interop/md5.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

std::string format_dvc_file(const std::string& name, const std::string& md5, bool is_dir, std::uint64_t size,
                            std::uint64_t files) {
  std::string text = fmt::format("outs:\n- md5: {}{}\n  size: {}\n", md5, is_dir ? ".dir" : "", size);
  if (is_dir) text += fmt::format("  nfiles: {}\n", files);
  text += fmt::format("  hash: md5\n  path: {}\n", yaml_scalar(name));
  return text;
}

namespace {

// Copies object `hash` of the mlops cache to a temp file in `folder`, verifying its XXH3 and
// computing its MD5 on the way; nullopt when the cache lacks it.
struct Copied {
  std::string md5;
  std::optional<AtomicFile> temp;
};

Result<std::optional<Copied>> copy_object(const data::Cache& cache, const Hash& hash, const fs::path& folder,
                                          std::uint64_t& bytes_read) {
  fs::path object = cache.object_path(hash);
  UniqueFd in(::open(object.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    return std::unexpected(system_error("read", object, errno));
  }
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return std::unexpected(system_error("create", folder, ec.value()));
  auto temp = AtomicFile::create(folder / "object", folder);
  if (!temp) return std::unexpected(temp.error());
  Md5 md5;
  Hasher xxh3;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(system_error("read", object, errno));
    }
    if (n == 0) break;
    auto count = static_cast<std::size_t>(n);
    md5.update(buffer.data(), count);
    xxh3.update(buffer.data(), count);
    MLOPS_TRY(temp->write(std::string_view(buffer.data(), count)));
    bytes_read += count;
  }
  if (xxh3.digest() != hash) {
    cache.quarantine(hash);
    return std::unexpected(data::corrupt_object_error(hash));
  }
  return Copied{md5.hex(), std::move(*temp)};
}

class Exporter {
 public:
  Exporter(const data::Cache& cache, DvcObjectImporter& memo, fs::path dvc_cache)
      : cache_(cache), memo_(memo), dvc_cache_(std::move(dvc_cache)) {}

  // The MD5 of mlops object `hash`, its DVC copy in place; nullopt when the mlops cache lacks it.
  Result<std::optional<std::string>> file(const Hash& hash, std::uint64_t size) {
    if (auto md5 = memo_.md5_of(hash)) {
      if (fs::exists(object_path(*md5))) return md5;
    }
    auto copied = copy_object(cache_, hash, dvc_cache_ / "files" / "md5", bytes_read);
    if (!copied) return std::unexpected(copied.error());
    if (!*copied) return std::optional<std::string>();
    ++files_read;
    std::string md5 = (*copied)->md5;
    fs::path target = object_path(md5);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return std::unexpected(system_error("create", target.parent_path(), ec.value()));
    MLOPS_TRY((*copied)->temp->set_mode(0444));
    MLOPS_TRY((*copied)->temp->commit_to(target, Sync::no));
    memo_.remember(md5, false, ImportedObject{hash, size});
    return std::optional<std::string>(md5);
  }

  // A folder's `.dir` manifest in DVC's cache; returns its MD5.
  Result<std::string> dir(const std::string& text) {
    std::string md5 = md5_hex(text);
    fs::path target = object_path(md5, ".dir");
    if (!fs::exists(target)) {
      std::error_code ec;
      fs::create_directories(target.parent_path(), ec);
      if (ec) return std::unexpected(system_error("create", target.parent_path(), ec.value()));
      auto temp = AtomicFile::create(target, target.parent_path());
      if (!temp) return std::unexpected(temp.error());
      MLOPS_TRY(temp->write(text));
      MLOPS_TRY(temp->set_mode(0444));
      MLOPS_TRY(temp->commit(Sync::no));
    }
    return md5;
  }

  std::uint64_t files_read = 0;
  std::uint64_t bytes_read = 0;

 private:
  fs::path object_path(const std::string& md5, std::string_view suffix = {}) const {
    return dvc_cache_ / "files" / "md5" / md5.substr(0, 2) / (md5.substr(2) + std::string(suffix));
  }
  const data::Cache& cache_;
  DvcObjectImporter& memo_;
  fs::path dvc_cache_;
};

// `dvc init` leaves `.dvc/config` and a `.dvc/.gitignore` keeping the cache out of git.
Result<bool> ensure_dvc_folder(const Repo& repo) {
  fs::path config = repo.root / ".dvc" / "config";
  if (fs::exists(config)) return false;
  std::error_code ec;
  fs::create_directories(config.parent_path(), ec);
  if (ec) return std::unexpected(system_error("create", config.parent_path(), ec.value()));
  MLOPS_TRY(write_file_atomic(config, ""));
  if (!fs::exists(config.parent_path() / ".gitignore")) {
    MLOPS_TRY(write_file_atomic(config.parent_path() / ".gitignore", "/config.local\n/tmp\n/cache\n"));
  }
  return true;
}

}  // namespace

Result<DvcExportReport> export_dvc(const Repo& repo, const std::vector<std::string>& paths) {
  auto selected = data::select_tracked(repo, paths);
  if (!selected) return std::unexpected(selected.error());
  for (const auto& item : *selected) {
    if (item.conflict) return std::unexpected(data::conflict_error(item));
  }
  // Nothing tracked: nothing to write, and no .dvc/ that would make the repository look like DVC's.
  if (selected->empty()) return DvcExportReport{};
  auto config = load_dvc_config(repo.root);
  if (!config) return std::unexpected(config.error());
  // A path a dvc.lock names is a pipeline's out: DVC refuses a .dvc file for it too.
  std::map<std::string, std::string> lock_outs;
  auto dvc_files = list_dvc_files(repo);
  if (!dvc_files) return std::unexpected(dvc_files.error());
  for (const auto& file : *dvc_files) {
    if (fs::path(file).filename() != "dvc.lock") continue;
    auto outs = read_dvc_outs(repo, file);
    if (!outs) return std::unexpected(outs.error());
    for (const auto& out : *outs) lock_outs.emplace(out.path, file);
  }
  DvcExportReport report;
  auto created = ensure_dvc_folder(repo);
  if (!created) return std::unexpected(created.error());
  report.created_dvc_folder = *created;

  data::Cache cache(repo);
  auto memo = DvcObjectImporter::open(repo, cache, false);
  if (!memo) return std::unexpected(memo.error());
  Exporter exporter(cache, *memo, config->cache_dir);
  std::uint64_t total = 0;
  for (const auto& item : *selected) total += item.pointer.size;
  out::Progress progress("Exporting to DVC", total);

  for (const auto& item : *selected) {
    DvcExported exported;
    exported.path = item.data_path;
    exported.dvc_file = item.data_path + ".dvc";
    exported.pointer = item.pointer;
    if (auto lock = lock_outs.find(item.data_path); lock != lock_outs.end()) exported.lock_file = lock->second;
    const auto& p = item.pointer;
    if (p.kind == data::Kind::file) {
      auto md5 = exporter.file(p.hash, p.size);
      if (!md5) return std::unexpected(md5.error());
      if (!*md5) {
        exported.missing_files.push_back(item.data_path);
      } else {
        exported.md5 = **md5;
      }
    } else {
      auto manifest = data::read_manifest(cache, p.hash);
      if (!manifest) {
        if (cache.contains(p.hash)) return std::unexpected(manifest.error());
        exported.missing_files.push_back(item.data_path);
      } else {
        std::vector<DvcDirEntry> entries;
        for (const auto& e : *manifest) {
          auto md5 = exporter.file(e.hash, e.size);
          if (!md5) return std::unexpected(md5.error());
          if (!*md5) {
            exported.missing_files.push_back(item.data_path + "/" + e.path);
            continue;
          }
          entries.push_back({e.path, **md5, e.executable});
        }
        if (exported.missing_files.empty()) {
          auto md5 = exporter.dir(format_dir_manifest(entries));
          if (!md5) return std::unexpected(md5.error());
          exported.md5 = *md5 + ".dir";
        }
      }
    }
    progress.advance(p.size);
    report.items.push_back(std::move(exported));
  }
  progress.finish();
  // The objects are durable, and remembered, before any .dvc file names them.
  std::error_code exists_ec;
  if (fs::exists(config->cache_dir, exists_ec)) MLOPS_TRY(sync_filesystem(config->cache_dir));
  MLOPS_TRY(memo->commit());
  for (auto& item : report.items) {
    if (!item.missing_files.empty() || !item.lock_file.empty()) continue;
    bool is_dir = item.pointer.kind == data::Kind::dir;
    std::string md5 = is_dir ? item.md5.substr(0, 32) : item.md5;
    std::string text =
        format_dvc_file(fs::path(item.path).filename().string(), md5, is_dir, item.pointer.size, item.pointer.files);
    auto old = read_file(repo.root / item.dvc_file);
    item.changed = !old || *old != text;
    if (item.changed) MLOPS_TRY(write_file_atomic(repo.root / item.dvc_file, text));
  }
  report.files_read = exporter.files_read;
  report.bytes_read = exporter.bytes_read;
  return report;
}

}  // namespace mlops::interop
