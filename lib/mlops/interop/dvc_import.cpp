#include "mlops/interop/dvc_import.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "mlops/core/config.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/data/add.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/dvc_history.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tree.hpp"
#include "mlops/interop/dvc_objects.hpp"
#include "mlops/interop/md5.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

std::string_view to_string(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::imported:
      return "imported";
    case OutcomeKind::unchanged:
      return "unchanged";
    case OutcomeKind::missing:
      return "missing";
    case OutcomeKind::skipped:
      return "skipped";
  }
  return "skipped";
}

namespace {

constexpr std::string_view kExternalOutReason =
    "an external out (a URL): its data lives outside the repository, which mlops does not track";

bool is_under(std::string_view path, std::string_view top) {
  return top.empty() || path == top || (path.starts_with(top) && path.size() > top.size() && path[top.size()] == '/');
}

// Why a pointer in the work tree is kept rather than replaced by DVC's version: it names another
// version, and no import wrote it, so it was made with mlops (`data add`) after the import; the
// .dvc file beside it (--keep-dvc) is the older one. nullopt: write DVC's version.
std::optional<std::string> pointer_made_with_mlops(const Repo& repo, DvcObjectImporter& objects,
                                                   const DvcOutcome& outcome) {
  fs::path file = repo.root / (outcome.out.path + std::string(data::kPointerSuffix));
  auto text = read_file(file);
  if (!text) return std::nullopt;
  auto existing = data::parse_pointer(*text, file);
  if (!existing || existing->hash == outcome.pointer.hash) return std::nullopt;
  if (objects.wrote_pointer(outcome.out.path, existing->hash)) return std::nullopt;  // DVC's moved on
  return fmt::format(
      "'{}{}' names another version ({}), made with mlops since: kept over {}'s; to take DVC's instead, "
      "remove the pointer and import again",
      outcome.out.path, data::kPointerSuffix, existing->hash.str().substr(0, 13), outcome.out.source);
}

}  // namespace

Result<std::vector<std::string>> list_dvc_files(const Repo& repo) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(repo.root, fs::directory_options::none, ec), end;
  if (ec) return std::unexpected(system_error("list", repo.root, ec.value()));
  for (; it != end; it.increment(ec)) {
    if (ec) return std::unexpected(system_error("list", it->path(), ec.value()));
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (name == ".git" || name == ".dvc" || name == ".mlops") it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (name == "dvc.lock" || (name.ends_with(".dvc") && name.size() > 4)) {
      files.push_back(it->path().lexically_relative(repo.root).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::vector<DvcOut>> read_dvc_outs(const Repo& repo, const std::string& file) {
  auto text = read_file(repo.root / file);
  if (!text) return std::unexpected(text.error());
  if (fs::path(file).filename() != "dvc.lock") return parse_dvc_file(*text, file);
  std::vector<std::pair<std::string, std::string>> wdirs;
  fs::path yaml = fs::path(file).parent_path() / "dvc.yaml";
  if (auto yaml_text = read_file(repo.root / yaml)) {
    auto parsed = stage_wdirs_of_dvc_yaml(*yaml_text, yaml.generic_string());
    if (!parsed) return std::unexpected(parsed.error());
    wdirs = std::move(*parsed);
  }
  return parse_dvc_lock(*text, file, wdirs);
}

namespace {

// What `dvc fetch` takes to name an out: its .dvc file, or its stage (`dir/dvc.yaml:stage` when
// the dvc.lock is not at the root); with --all-commits, the versions of every commit.
std::string fetch_command(const DvcOut& out, bool all_commits = false) {
  std::string target = out.source;
  if (!out.stage.empty()) {
    std::string folder = fs::path(out.source).parent_path().generic_string();
    target = folder.empty() ? out.stage : folder + "/dvc.yaml:" + out.stage;
  }
  std::string remote = out.remote.empty() ? "" : " -r " + out.remote;
  return fmt::format("dvc fetch{}{} {}", all_commits ? " --all-commits" : "", remote, target);
}

// A `.dir` manifest's text, verified against its MD5; nullopt when no good copy is found. The
// copies whose bytes do not match are added to `corrupt`.
Result<std::optional<std::string>> read_dir_manifest(const DvcConfig& config, const std::string& md5,
                                                     std::vector<std::string>& corrupt) {
  for (const auto& candidate : object_candidates(config, md5, false, ".dir")) {
    auto text = read_file(candidate);
    if (!text) {
      if (text.error().exit == Exit::bad_input) continue;
      return std::unexpected(text.error());
    }
    if (md5_hex(*text) == md5) return std::optional<std::string>(std::move(*text));
    corrupt.push_back(candidate.string());
  }
  return std::optional<std::string>();
}

// The data of one out being brought in.
class OutImporter {
 public:
  OutImporter(const Repo& repo, const DvcConfig& config, const data::Cache& cache, DvcObjectImporter& objects,
              data::StatCache* stat_cache, bool dry_run, out::Progress& progress, const std::atomic<bool>* stop,
              bool use_workspace = true)
      : use_workspace_(use_workspace),
        stop_(stop),
        repo_(repo),
        config_(config),
        cache_(cache),
        objects_(objects),
        stat_cache_(stat_cache),
        dry_run_(dry_run),
        progress_(progress) {}

  // Fills `outcome` (kind missing, or the pointer of a stored version) for a cached out. A folder's
  // `entries` are its `.dir` manifest's, read while planning; nullopt when no copy was found.
  Result<void> run(DvcOutcome& outcome, const std::optional<std::vector<DvcDirEntry>>& entries) {
    const DvcOut& out = outcome.out;
    if (!out.is_dir) {
      auto object = obtain(out.md5, out.legacy, out.path);
      if (!object) return std::unexpected(object.error());
      if (!*object) return missing(outcome, {out.path});
      outcome.pointer = file_pointer(out.path, **object);
      return {};
    }
    if (!entries) {
      if (use_workspace_) return from_workspace_folder(outcome);
      return missing(outcome, {out.path + " (its .dir manifest " + out.md5 + ".dir)"});
    }
    data::Manifest manifest;
    std::vector<std::string> absent;
    for (const auto& entry : *entries) {
      auto object = obtain(entry.md5, out.legacy, out.path + "/" + entry.relpath);
      if (!object) return std::unexpected(object.error());
      if (!*object) {
        absent.push_back(out.path + "/" + entry.relpath);
        continue;
      }
      bool executable = entry.executable || executable_in_workspace(out.path + "/" + entry.relpath, (*object)->hash);
      manifest.push_back({entry.relpath, (*object)->hash, (*object)->size, executable});
    }
    if (!absent.empty()) return missing(outcome, absent);
    return folder_pointer(outcome, std::move(manifest));
  }

  // The copies met since the last clear() whose bytes did not match their MD5.
  std::vector<std::string> corrupt;

 private:
  // Whether the workspace holds this very version of a folder's file, executable. A `.dir` manifest
  // written without `isexec` (DVC 2, or DVC 3 before it recorded modes) does not say, and a folder
  // version that dropped the bit would show every script in it as modified after the import, and
  // lose the bit on checkout. Only an executable copy is hashed (scripts: few and small), unless
  // the stat cache already knows it.
  bool executable_in_workspace(const std::string& rel, const Hash& hash) {
    if (!use_workspace_ || dry_run_) return false;
    fs::path file = repo_.root / rel;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & S_IXUSR) == 0) return false;
    if (stat_cache_) {
      if (auto known = stat_cache_->lookup(rel, data::Fingerprint::of(st))) return *known == hash;
    }
    auto read = hash_file(file);
    if (!read) return false;  // unreadable: the manifest's word stands
    if (stat_cache_) stat_cache_->record(rel, data::Fingerprint::of(st), *read);
    return *read == hash;
  }

  Result<void> folder_pointer(DvcOutcome& outcome, data::Manifest manifest) {
    MLOPS_TRY(data::canonicalize(manifest));
    data::Pointer pointer;
    pointer.path = fs::path(outcome.out.path).filename().string();
    pointer.kind = data::Kind::dir;
    pointer.files = manifest.size();
    pointer.size = data::total_size(manifest);
    if (!dry_run_) {
      auto hash = cache_.put_bytes(data::serialize_manifest(manifest));
      if (!hash) return std::unexpected(hash.error());
      pointer.hash = *hash;
    } else {
      pointer.hash = hash_bytes(data::serialize_manifest(manifest));
    }
    outcome.pointer = pointer;
    return {};
  }

  // No `.dir` manifest anywhere: the folder in the workspace is the version when the manifest
  // rebuilt from its files has the out's MD5. Each file is read once, stored as it is hashed.
  Result<void> from_workspace_folder(DvcOutcome& outcome) {
    const DvcOut& out = outcome.out;
    std::string no_manifest = out.path + " (its .dir manifest " + out.md5 + ".dir)";
    fs::path folder = repo_.root / out.path;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return missing(outcome, {no_manifest});
    if (dry_run_) {
      outcome.pointer.path = fs::path(out.path).filename().string();
      outcome.pointer.kind = data::Kind::dir;
      outcome.pointer.size = out.size.value_or(0);
      outcome.pointer.files = out.nfiles.value_or(0);
      return {};
    }
    std::vector<std::pair<std::string, DvcObjectImporter::Unverified>> files;
    for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (stop_ && stop_->load()) return std::unexpected(environment_error("interrupted"));
      if (!it->is_regular_file(ec)) continue;
      std::string rel = it->path().lexically_relative(folder).generic_string();
      auto stored = objects_.store_file(it->path());
      if (!stored) return std::unexpected(stored.error());
      progress_.advance(stored->object.size);
      files.emplace_back(rel, std::move(*stored));
    }
    if (ec) return std::unexpected(system_error("list", folder, ec.value()));
    // DVC 2 may have hashed the text files among them with CRLF turned into LF.
    for (bool dos2unix : {false, true}) {
      if (dos2unix && !out.legacy) break;
      std::vector<DvcDirEntry> entries;
      for (const auto& [rel, f] : files) entries.push_back({rel, dos2unix ? f.md5_dos2unix : f.md5, false});
      if (md5_hex(format_dir_manifest(entries)) != out.md5) continue;
      data::Manifest manifest;
      for (std::size_t i = 0; i < files.size(); ++i) {
        objects_.remember(entries[i].md5, out.legacy, files[i].second.object);
        manifest.push_back({files[i].first, files[i].second.object.hash, files[i].second.object.size, false});
      }
      return folder_pointer(outcome, std::move(manifest));
    }
    MLOPS_TRY(missing(outcome, {no_manifest}));
    outcome.reason = "no copy of its .dir manifest was found, and the folder in the workspace is not that version";
    return {};
  }

  Result<void> missing(DvcOutcome& outcome, std::vector<std::string> absent) {
    outcome.kind = OutcomeKind::missing;
    outcome.missing_files = std::move(absent);
    outcome.fetch_command = fetch_command(outcome.out);
    std::size_t n = outcome.missing_files.size();
    outcome.reason = fmt::format("{} file{} not in DVC's cache, a DVC remote on a path, or the workspace", n,
                                 n == 1 ? " is" : "s are");
    return {};
  }

  data::Pointer file_pointer(const std::string& path, const ImportedObject& object) {
    data::Pointer pointer;
    pointer.path = fs::path(path).filename().string();
    pointer.kind = data::Kind::file;
    pointer.hash = object.hash;
    pointer.size = object.size;
    pointer.files = 1;
    return pointer;
  }

  // The object named `md5`, from the memo or the first candidate whose bytes match; nullopt when
  // there is none. `workspace_rel` is where the workspace may hold a copy.
  Result<std::optional<ImportedObject>> obtain(const std::string& md5, bool legacy, const std::string& workspace_rel) {
    if (stop_ && stop_->load()) return std::unexpected(environment_error("interrupted"));
    if (auto known = objects_.known(md5, legacy)) {
      progress_.advance(known->size);
      return known;
    }
    std::vector<fs::path> candidates = object_candidates(config_, md5, legacy);
    // An old version is never the workspace's: its copy there is another version, not a corrupt one.
    if (use_workspace_) candidates.push_back(repo_.root / workspace_rel);
    for (const auto& candidate : candidates) {
      struct stat st {};
      if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      if (dry_run_) {
        progress_.advance(static_cast<std::uint64_t>(st.st_size));
        return ImportedObject{Hash{}, static_cast<std::uint64_t>(st.st_size)};
      }
      ImportedObject object;
      auto verdict = objects_.import_file(candidate, md5, legacy, &object);
      if (!verdict) return std::unexpected(verdict.error());
      if (*verdict == Verdict::corrupt) {
        corrupt.push_back(candidate.string());
        continue;
      }
      if (*verdict == Verdict::absent) continue;
      MLOPS_TRY(objects_.checkpoint());
      progress_.advance(object.size);
      // A workspace copy just read need not be read again by `mlops data status`.
      if (stat_cache_ && candidate == repo_.root / workspace_rel)
        stat_cache_->record(workspace_rel, data::Fingerprint::of(st), object.hash);
      return std::optional<ImportedObject>(object);
    }
    return std::optional<ImportedObject>();
  }

  bool use_workspace_;
  const std::atomic<bool>* stop_;
  const Repo& repo_;
  const DvcConfig& config_;
  const data::Cache& cache_;
  DvcObjectImporter& objects_;
  data::StatCache* stat_cache_;  // null in a dry run, which writes nothing
  bool dry_run_;
  out::Progress& progress_;
};

std::vector<OfferedRemote> offer_remotes(const Repo& repo, const DvcConfig& config) {
  std::vector<OfferedRemote> offered;
  auto mlops_config = load_config(repo);
  for (const auto& remote : config.remotes) {
    OfferedRemote o{remote, {}};
    bool taken = mlops_config && mlops_config->find_remote(remote.name);
    std::string name = taken ? "dvc-" + remote.name : remote.name;
    // A folder of its own beside DVC's objects: both name objects by 32 hex digits, and
    // `mlops data gc --remote` must never see DVC's.
    if (!remote.local_path.empty()) {
      o.command = fmt::format("mlops remote add {} {} --create", name, (remote.local_path / "mlops").string());
    } else if (remote.url.starts_with("s3://")) {
      std::string url = remote.url;
      while (url.ends_with("/")) url.pop_back();
      o.command = fmt::format("mlops remote add {} {}/mlops", name, url);
    }
    offered.push_back(std::move(o));
  }
  return offered;
}

// The outs of the DVC files of one commit: its `.dvc` files, and its `dvc.lock` files with the
// wdirs of the dvc.yaml beside each at that commit. An old commit's malformed file is history, not
// something to fix: named in a warning and skipped.
Result<std::vector<DvcOut>> outs_at_commit(const git::Repository& git_repo, const std::string& commit) {
  std::vector<DvcOut> outs;
  auto skip = [&](const std::string& file, const Error& error) {
    out::warn(fmt::format("'{}:{}' is skipped: {}", commit.substr(0, 7), file, error.message));
  };
  auto dvc_files = git::files_with_suffix_at(git_repo, commit, ".dvc");
  if (!dvc_files) return std::unexpected(dvc_files.error());
  for (const auto& file : *dvc_files) {
    auto parsed = parse_dvc_file(file.content, file.path);
    if (!parsed) {
      skip(file.path, parsed.error());
      continue;
    }
    std::move(parsed->begin(), parsed->end(), std::back_inserter(outs));
  }
  auto locks = git::files_with_suffix_at(git_repo, commit, "dvc.lock");
  if (!locks) return std::unexpected(locks.error());
  for (const auto& file : *locks) {
    if (fs::path(file.path).filename() != "dvc.lock") continue;  // "old_dvc.lock" is not DVC's
    std::string yaml = (fs::path(file.path).parent_path() / "dvc.yaml").generic_string();
    auto yaml_text = git_repo.read_file_at(commit, yaml);
    if (!yaml_text) return std::unexpected(yaml_text.error());
    std::vector<std::pair<std::string, std::string>> wdirs;
    if (*yaml_text) {
      auto read = stage_wdirs_of_dvc_yaml(**yaml_text, yaml);
      if (!read) {
        skip(file.path, read.error());
        continue;
      }
      wdirs = std::move(*read);
    }
    auto parsed = parse_dvc_lock(file.content, file.path, wdirs);
    if (!parsed) {
      skip(file.path, parsed.error());
      continue;
    }
    std::move(parsed->begin(), parsed->end(), std::back_inserter(outs));
  }
  return outs;
}

// The versions every commit's `.dvc` files and `dvc.lock` stages name (`paths` selects as for the
// work tree), each brought in once from DVC's cache or a remote on a path (never the workspace,
// which holds another version), and recorded for PATH@REV.
Result<void> import_history(const Repo& repo, const git::Repository& git_repo, const DvcImportOptions& options,
                            const DvcConfig& config, const data::Cache& cache, DvcObjectImporter& objects,
                            DvcImportReport& report) {
  auto refs = git::all_ref_commits(git_repo);
  if (!refs) return std::unexpected(refs.error());
  auto commits = git::commits_between(git_repo, *refs, {});
  if (!commits) return std::unexpected(commits.error());
  report.commits = commits->size();
  // One version per (path, DVC hash): thousands of commits name the same few.
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const auto& commit : *commits) {
    auto outs = outs_at_commit(git_repo, commit.id);
    if (!outs) return std::unexpected(outs.error());
    for (auto& out : *outs) {
      bool selected =
          options.paths.empty() || std::any_of(options.paths.begin(), options.paths.end(), [&](const std::string& p) {
            std::string top = p;
            while (top.ends_with('/')) top.pop_back();
            return is_under(out.path, top) || out.source == top;
          });
      if (!selected) continue;
      // A commit made after the move keeps its `.dvc` files (--keep-dvc), but its pointer is what
      // holds the version there: the history is of commits made under DVC only.
      if (!out.external) {
        auto pointer = git_repo.read_file_at(commit.id, out.path + std::string(data::kPointerSuffix));
        if (!pointer) return std::unexpected(pointer.error());
        if (*pointer) continue;
      }
      auto key = std::pair{out.path, out.md5 + (out.is_dir ? ".dir" : "")};
      auto [it, inserted] = index.emplace(key, report.history.size());
      if (inserted) {
        DvcHistoryVersion version;
        version.outcome.out = out;
        version.outcome.kind = OutcomeKind::imported;
        if (out.external) {
          version.outcome.kind = OutcomeKind::skipped;
          version.outcome.reason = kExternalOutReason;
        } else if (out.md5.empty()) {
          version.outcome.kind = OutcomeKind::skipped;
          version.outcome.reason = "it has no md5";
        } else if (!out.cached) {
          version.outcome.kind = OutcomeKind::skipped;
          version.outcome.reason = "cache: false (the file is kept in git)";
        } else {
          // A stage's metrics and plots are often committed to git (their `cache: false` is in
          // dvc.yaml, not dvc.lock): that commit holds the file itself.
          auto in_git = git_repo.read_file_at(commit.id, out.path);
          if (!in_git) return std::unexpected(in_git.error());
          if (*in_git) {
            version.outcome.kind = OutcomeKind::skipped;
            version.outcome.reason = "it is tracked by git";
          }
        }
        report.history.push_back(std::move(version));
      }
      report.history[it->second].commits.push_back(commit.id);
    }
  }
  std::uint64_t total = 0;
  for (const auto& v : report.history) total += v.outcome.out.size.value_or(0);
  out::Progress progress("Importing DVC history", total);
  OutImporter importer(repo, config, cache, objects, nullptr, options.dry_run, progress, options.stop, false);
  // What this import found; merged at the end into what earlier imports recorded.
  data::DvcHistory found;
  auto before = options.dry_run ? Result<data::DvcHistory>(data::DvcHistory{}) : data::read_dvc_history(repo);
  if (!before) return std::unexpected(before.error());
  for (auto& version : report.history) {
    DvcOutcome& outcome = version.outcome;
    if (outcome.kind != OutcomeKind::imported) continue;
    importer.corrupt.clear();
    std::optional<std::vector<DvcDirEntry>> entries;
    if (outcome.out.is_dir) {
      auto text = read_dir_manifest(config, outcome.out.md5, importer.corrupt);
      if (!text) return std::unexpected(text.error());
      if (*text) {
        auto parsed = parse_dir_manifest(**text, fmt::format("{}.dir of '{}'", outcome.out.md5, outcome.out.path));
        if (!parsed) {
          outcome.kind = OutcomeKind::skipped;
          outcome.reason = parsed.error().message;
          continue;
        }
        entries = std::move(*parsed);
      }
    }
    MLOPS_TRY(importer.run(outcome, entries));
    if (outcome.kind == OutcomeKind::missing) outcome.fetch_command = fetch_command(outcome.out, true);
    for (const auto& file : importer.corrupt) {
      out::warn(fmt::format("'{}' does not match its MD5: skipped, never imported", file));
    }
    if (outcome.kind == OutcomeKind::missing) {
      if (options.dry_run) continue;
      data::DvcNotImported missing{outcome.out.path, outcome.out.md5 + (outcome.out.is_dir ? ".dir" : ""),
                                   outcome.reason, outcome.missing_files, outcome.fetch_command};
      for (const auto& commit : version.commits) found.missing.insert_or_assign({commit, outcome.out.path}, missing);
      continue;
    }
    if (outcome.kind != OutcomeKind::imported || options.dry_run) continue;
    std::string text = data::format_pointer(outcome.pointer);
    bool recorded = true;
    for (const auto& commit : version.commits) {
      data::DvcHistoryKey key{commit, outcome.out.path};
      auto known = before->versions.find(key);
      recorded = recorded && known != before->versions.end() && data::format_pointer(known->second) == text;
      found.versions.insert_or_assign(key, outcome.pointer);
    }
    if (recorded) outcome.kind = OutcomeKind::unchanged;
  }
  progress.finish();
  if (options.dry_run) return {};
  // The objects first: the history must never name one that is not durable in the cache.
  MLOPS_TRY(cache.flush());
  MLOPS_TRY(objects.commit());
  auto written = data::merge_dvc_history(repo, found);
  if (!written) return std::unexpected(written.error());
  report.history_file_written = *written;
  return {};
}

// An import stopped by options.stop keeps what it stored: durable and in the memo, so that the
// next import does not read it again. Other errors are returned as they are.
Error kept_if_interrupted(const DvcImportOptions& options, const data::Cache& cache, DvcObjectImporter& objects,
                          Error error) {
  if (!options.stop || !options.stop->load() || options.dry_run) return error;
  if (auto r = cache.flush(); !r) return r.error();
  if (auto r = objects.commit(); !r) return r.error();
  return environment_error(
      fmt::format("interrupted: the {} file{} ({}) read so far are kept in the cache and remembered",
                  objects.files_read(), objects.files_read() == 1 ? "" : "s", out::human_bytes(objects.bytes_read())),
      fmt::format("run 'mlops import dvc{}' again to finish: what was kept is not read again",
                  options.all_commits ? " --all-commits" : ""));
}

}  // namespace

Result<std::vector<DvcOut>> find_dvc_outs(const Repo& repo, const std::vector<std::string>& paths) {
  auto files = list_dvc_files(repo);
  if (!files) return std::unexpected(files.error());
  std::vector<std::string> selectors;
  for (const auto& p : paths) {
    auto rel = repo.relative(p);
    if (!rel) {
      auto error = rel.error();
      if (error.hint.empty())
        error.hint = "name a .dvc file, a dvc.lock, a path they track, or a folder of this repository";
      return std::unexpected(std::move(error));
    }
    selectors.push_back(*rel == "." ? "" : *rel);
  }
  auto selected_file = [&](const std::string& file) {
    if (selectors.empty()) return true;
    return std::any_of(selectors.begin(), selectors.end(), [&](const auto& s) { return is_under(file, s); });
  };
  std::vector<DvcOut> outs;
  std::vector<bool> used(selectors.size(), false);
  // A malformed file that no PATH names is left out, so that naming the others is a way past it;
  // its error is still the answer when a PATH then selects nothing.
  std::optional<Error> unread;
  std::vector<std::string> names;  // what a mistyped PATH may have meant
  for (const auto& file : *files) {
    names.push_back(file);
    bool whole = selected_file(file);
    auto parsed = read_dvc_outs(repo, file);
    if (!parsed) {
      if (whole) return std::unexpected(parsed.error());
      if (!unread) unread = parsed.error();
      continue;
    }
    for (auto& out : *parsed) {
      names.push_back(out.path);
      bool take = whole;
      for (std::size_t i = 0; i < selectors.size(); ++i) {
        bool hit = is_under(file, selectors[i]) || is_under(out.path, selectors[i]) ||
                   (!selectors[i].empty() && is_under(selectors[i], out.path) && selectors[i] == out.path);
        if (hit) used[i] = true;
        take = take || hit;
      }
      if (take) outs.push_back(std::move(out));
    }
  }
  for (std::size_t i = 0; i < selectors.size(); ++i) {
    if (!used[i]) {
      if (unread) return std::unexpected(*unread);
      std::string near = closest(selectors[i], names);
      return std::unexpected(bad_input(fmt::format("no DVC-tracked data at '{}'", paths[i]),
                                       near.empty() ? "name a .dvc file, a dvc.lock, a path they track, or a "
                                                      "folder holding them"
                                                    : fmt::format("did you mean '{}'?", near)));
    }
  }
  for (const auto& out : outs) {
    for (std::string_view top : {".git", ".mlops", ".dvc"}) {
      if (is_under(out.path, top)) {
        return std::unexpected(bad_input(fmt::format("'{}' names '{}', inside {}", out.source, out.path, top),
                                         "fix the .dvc file, or leave it out by naming the others"));
      }
    }
  }
  return outs;
}

Result<DvcImportReport> import_dvc(const Repo& repo, const git::Repository& git_repo, const DvcImportOptions& options) {
  auto outs = find_dvc_outs(repo, options.paths);
  if (!outs) return std::unexpected(outs.error());
  auto config = load_dvc_config(repo.root);
  if (!config) return std::unexpected(config.error());
  auto settings = data::load_data_settings(repo);
  if (!settings) return std::unexpected(settings.error());
  // A damaged history file (a merge conflict, say) stops the import before anything is written.
  if (options.all_commits) {
    auto history = data::read_dvc_history(repo);
    if (!history) return std::unexpected(history.error());
  }

  DvcImportReport report;
  report.remotes = offer_remotes(repo, *config);

  // Decide what each out is before anything is written.
  std::map<std::string, std::string> seen;  // out path -> the DVC file that named it first
  std::uint64_t total = 0;
  for (auto& out : *outs) {
    DvcOutcome outcome;
    outcome.out = out;
    outcome.kind = OutcomeKind::imported;
    if (auto [first, inserted] = seen.emplace(out.path, out.source); !inserted) {
      outcome.kind = OutcomeKind::skipped;
      outcome.reason = fmt::format(
          "'{}' names it too, and comes first; DVC itself refuses overlapping outputs: "
          "remove one of them and import again",
          first->second);
    } else if (out.external) {
      outcome.kind = OutcomeKind::skipped;
      outcome.reason = kExternalOutReason;
    } else if (out.md5.empty()) {
      outcome.kind = OutcomeKind::skipped;
      outcome.reason = out.other_hash.empty() ? "it has no md5 (never committed to DVC's cache)"
                                              : fmt::format("it is hashed by its {}, not an MD5", out.other_hash);
    } else if (!out.cached) {
      outcome.kind = OutcomeKind::skipped;
      outcome.reason = "cache: false (the file is kept in git)";
    } else {
      auto tracked = git_repo.is_tracked(out.path);
      if (!tracked) return std::unexpected(tracked.error());
      if (*tracked) {
        outcome.kind = OutcomeKind::skipped;
        outcome.reason = "it is tracked by git";
      }
    }
    if (outcome.kind == OutcomeKind::imported) total += out.size.value_or(0);
    report.outcomes.push_back(std::move(outcome));
  }
  // A folder's `.dir` manifest is read and checked now: one that climbs out of its folder is bad
  // input, refused before anything is written.
  std::vector<std::optional<std::vector<DvcDirEntry>>> dir_entries(report.outcomes.size());
  std::vector<std::vector<std::string>> corrupt_manifests(report.outcomes.size());
  for (std::size_t i = 0; i < report.outcomes.size(); ++i) {
    const auto& o = report.outcomes[i];
    if (o.kind != OutcomeKind::imported || !o.out.is_dir) continue;
    auto text = read_dir_manifest(*config, o.out.md5, corrupt_manifests[i]);
    if (!text) return std::unexpected(text.error());
    if (!*text) continue;
    auto entries = parse_dir_manifest(**text, fmt::format("{}.dir of '{}'", o.out.md5, o.out.source));
    if (!entries) return std::unexpected(entries.error());
    dir_entries[i] = std::move(*entries);
  }

  std::optional<FileLock> store_lock;
  if (!options.dry_run) {
    auto lock = data::lock_store(repo, LockKind::shared);
    if (!lock) return std::unexpected(lock.error());
    store_lock.emplace(std::move(*lock));
    if (auto r = data::register_store_user(repo); !r) out::warn(r.error().message);
  }
  data::Cache cache(repo);
  std::unique_ptr<data::StatCache> stat_cache;
  if (!options.dry_run) {
    auto opened = data::StatCache::open(repo);
    if (!opened) return std::unexpected(opened.error());
    stat_cache = std::move(*opened);
  }
  auto objects = DvcObjectImporter::open(repo, cache, options.dry_run);
  if (!objects) return std::unexpected(objects.error());

  out::Progress progress("Importing from DVC", total);
  OutImporter importer(repo, *config, cache, *objects, stat_cache.get(), options.dry_run, progress, options.stop);
  for (std::size_t i = 0; i < report.outcomes.size(); ++i) {
    auto& outcome = report.outcomes[i];
    if (outcome.kind != OutcomeKind::imported) continue;
    importer.corrupt = corrupt_manifests[i];
    if (auto r = importer.run(outcome, dir_entries[i]); !r) {
      return std::unexpected(kept_if_interrupted(options, cache, *objects, r.error()));
    }
    if (!importer.corrupt.empty()) {
      for (const auto& file : importer.corrupt) {
        out::warn(fmt::format("'{}' does not match its MD5: skipped, never imported", file));
      }
      if (outcome.kind == OutcomeKind::missing) {
        outcome.reason += fmt::format("; {} corrupt cop{} skipped", importer.corrupt.size(),
                                      importer.corrupt.size() == 1 ? "y was" : "ies were");
        // DVC takes a damaged object in its own cache for a good one, and fetches nothing over it:
        // the damaged copies go first.
        std::string damaged;
        for (const auto& file : importer.corrupt) {
          if (is_under(file, config->cache_dir.string())) damaged += fmt::format(" '{}'", file);
        }
        if (!damaged.empty()) outcome.fetch_command = fmt::format("rm{} && {}", damaged, outcome.fetch_command);
      }
    }
    if (outcome.kind != OutcomeKind::imported) continue;
    if (auto kept = pointer_made_with_mlops(repo, *objects, outcome)) {
      outcome.kind = OutcomeKind::skipped;
      outcome.reason = *kept;
      continue;
    }
    if (options.dry_run) {
      // What the memo knows has its real hash: a pointer that already says it is unchanged.
      auto existing = read_file(repo.root / (outcome.out.path + std::string(data::kPointerSuffix)));
      if (existing && *existing == data::format_pointer(outcome.pointer)) outcome.kind = OutcomeKind::unchanged;
      continue;
    }
    // Objects become durable, and the memo names them, before any pointer does: an interrupted
    // import leaves objects a rerun finds without reading them again.
    MLOPS_TRY(cache.flush());
    MLOPS_TRY(objects->commit());
    auto written = data::write_pointer(repo, cache, *stat_cache, outcome.out.path, outcome.pointer, settings->link);
    if (!written) return std::unexpected(written.error());
    if (!written->changed) outcome.kind = OutcomeKind::unchanged;
    outcome.gitignored = written->gitignored;
    MLOPS_TRY(objects->record_pointer(outcome.out.path, outcome.pointer.hash));
  }
  progress.finish();
  if (!options.dry_run) {
    if (auto saved = stat_cache->save(); !saved) out::warn(saved.error().message);
  }
  if (options.all_commits) {
    if (auto r = import_history(repo, git_repo, options, *config, cache, *objects, report); !r) {
      return std::unexpected(kept_if_interrupted(options, cache, *objects, r.error()));
    }
  }
  report.files_read = objects->files_read();
  report.bytes_read = objects->bytes_read();

  if (!options.keep_dvc && !options.dry_run) {
    std::map<std::string, bool> complete;  // .dvc file -> every out imported
    for (const auto& o : report.outcomes) {
      if (o.out.source.ends_with("dvc.lock")) continue;  // a pipeline's record stays
      bool done = o.kind == OutcomeKind::imported || o.kind == OutcomeKind::unchanged;
      auto [it, inserted] = complete.emplace(o.out.source, done);
      if (!inserted) it->second = it->second && done;
    }
    for (const auto& [file, done] : complete) {
      if (!done) continue;
      if (::unlink((repo.root / file).c_str()) != 0 && errno != ENOENT) {
        return std::unexpected(system_error("remove", file, errno));
      }
      report.removed_dvc_files.push_back(file);
    }
  }
  return report;
}

}  // namespace mlops::interop
