#include "mlops/data/dvc_history.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/attributes.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::data {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A string member, or an error naming the line.
Result<std::string> text_of(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    return std::unexpected(bad_input(fmt::format("{}: '{}' is missing or not a string", where, key)));
  return it->get<std::string>();
}

Result<std::uint64_t> count_of(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned())
    return std::unexpected(bad_input(fmt::format("{}: '{}' is missing or not a whole number", where, key)));
  return it->get<std::uint64_t>();
}

Result<void> parse_line(const json& line, const std::string& where, DvcHistory& into) {
  if (!line.is_object()) return std::unexpected(bad_input(fmt::format("{}: not a JSON object", where)));
  auto commit = text_of(line, "commit", where);
  if (!commit) return std::unexpected(commit.error());
  auto path = text_of(line, "path", where);
  if (!path) return std::unexpected(path.error());
  if (!is_safe_relative_path(*path))
    return std::unexpected(
        bad_input(fmt::format("{}: path '{}' is not a relative path inside the repository", where, *path)));
  DvcHistoryKey key{*commit, *path};
  if (auto missing = line.find("missing"); missing != line.end()) {
    if (!missing->is_object())
      return std::unexpected(bad_input(fmt::format("{}: 'missing' is not a JSON object", where)));
    DvcNotImported item;
    item.path = *path;
    for (auto [field, member] :
         {std::pair{"dvc_hash", &item.dvc_hash}, std::pair{"reason", &item.reason}, std::pair{"fetch", &item.fetch}}) {
      auto value = text_of(*missing, field, where);
      if (!value) return std::unexpected(value.error());
      *member = std::move(*value);
    }
    if (auto files = missing->find("files"); files != missing->end()) {
      if (!files->is_array()) return std::unexpected(bad_input(fmt::format("{}: 'files' is not a list", where)));
      for (const auto& f : *files) {
        if (!f.is_string()) return std::unexpected(bad_input(fmt::format("{}: 'files' holds a non-string", where)));
        item.files.push_back(f.get<std::string>());
      }
    }
    into.missing.insert_or_assign(std::move(key), std::move(item));
    return {};
  }
  Pointer pointer;
  auto hash_text = text_of(line, "hash", where);
  if (!hash_text) return std::unexpected(hash_text.error());
  auto hash = Hash::parse(*hash_text);
  if (!hash) return std::unexpected(bad_input(fmt::format("{}: '{}' is not an xxh3 hash", where, *hash_text)));
  pointer.hash = *hash;
  auto kind = text_of(line, "kind", where);
  if (!kind) return std::unexpected(kind.error());
  if (*kind != "file" && *kind != "dir")
    return std::unexpected(bad_input(fmt::format("{}: kind '{}' is neither file nor dir", where, *kind)));
  pointer.kind = *kind == "dir" ? Kind::dir : Kind::file;
  auto size = count_of(line, "size", where);
  if (!size) return std::unexpected(size.error());
  auto files = count_of(line, "files", where);
  if (!files) return std::unexpected(files.error());
  pointer.size = *size;
  pointer.files = *files;
  pointer.path = fs::path(*path).filename().string();
  into.versions.insert_or_assign(std::move(key), std::move(pointer));
  return {};
}

}  // namespace

fs::path dvc_history_file(const Repo& repo) { return repo.root / ".mlops" / kDvcHistoryName; }

Result<DvcHistory> parse_dvc_history(std::string_view text, const std::string& source) {
  DvcHistory history;
  std::size_t number = 0;
  for (std::size_t at = 0; at < text.size();) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string where = fmt::format("{}:{}", source, number);
    constexpr std::string_view kWayOut =
        "it is written by 'mlops import dvc --all-commits': keep the lines of both sides of a merge (each line "
        "stands alone) and remove the markers, e.g. grep -v -E '^(<<<<<<<|=======|>>>>>>>)' FILE, or restore it "
        "from git";
    if (line.starts_with("<<<<<<<") || line.starts_with("=======") || line.starts_with(">>>>>>>")) {
      return std::unexpected(
          bad_input(fmt::format("{}: a merge left conflict markers in it", where), std::string(kWayOut)));
    }
    json parsed = json::parse(line, nullptr, false);
    if (parsed.is_discarded())
      return std::unexpected(bad_input(fmt::format("{}: not valid JSON", where), std::string(kWayOut)));
    if (auto r = parse_line(parsed, where, history); !r) {
      auto error = r.error();
      error.hint = std::string(kWayOut);
      return std::unexpected(std::move(error));
    }
  }
  return history;
}

std::string format_dvc_history(const DvcHistory& history) {
  // Both maps are ordered by (commit, path); merge them so the file is sorted as a whole.
  std::string text;
  auto version = history.versions.begin();
  auto missing = history.missing.begin();
  while (version != history.versions.end() || missing != history.missing.end()) {
    bool take_version =
        missing == history.missing.end() || (version != history.versions.end() && version->first <= missing->first);
    json line;
    if (take_version) {
      const auto& [key, p] = *version++;
      line = json{{"commit", key.first},  {"path", key.second},
                  {"hash", p.hash.str()}, {"kind", std::string(to_string(p.kind))},
                  {"size", p.size},       {"files", p.files}};
    } else {
      const auto& [key, m] = *missing++;
      line = json{
          {"commit", key.first},
          {"path", key.second},
          {"missing", json{{"dvc_hash", m.dvc_hash}, {"reason", m.reason}, {"files", m.files}, {"fetch", m.fetch}}}};
    }
    text += line.dump(-1, ' ', false, json::error_handler_t::replace);
    text += '\n';
  }
  return text;
}

Result<DvcHistory> read_dvc_history(const Repo& repo) {
  fs::path file = dvc_history_file(repo);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return DvcHistory{};
  // The last file parsed, by identity: a rewrite (an atomic rename) changes the inode and mtime.
  struct Parsed {
    fs::path file;
    ino_t inode = 0;
    std::int64_t mtime_ns = 0;
    off_t size = 0;
    Result<DvcHistory> history;
  };
  static std::mutex guard;
  static std::optional<Parsed> last;
  std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  std::lock_guard lock(guard);
  if (last && last->file == file && last->inode == st.st_ino && last->mtime_ns == mtime_ns && last->size == st.st_size)
    return last->history;
  auto text = read_file(file);
  if (!text) return std::unexpected(text.error());
  last = Parsed{file, st.st_ino, mtime_ns, st.st_size, parse_dvc_history(*text, ".mlops/dvc-history.jsonl")};
  return last->history;
}

DvcHistory read_dvc_history_or_warn(const Repo& repo) {
  auto history = read_dvc_history(repo);
  if (history) return std::move(*history);
  static std::once_flag warned;
  std::call_once(warned, [&] {
    out::warn(fmt::format("{}; the versions of commits made under DVC are left out", history.error().message));
    if (!history.error().hint.empty()) out::hint(history.error().hint);
  });
  return {};
}

namespace {

// Lets git see the file: `.mlops/.gitignore` (when there is one) ignores everything but what it
// names.
Result<void> unignore_dvc_history(const Repo& repo) {
  fs::path ignore = dvc_history_file(repo).parent_path() / ".gitignore";
  std::error_code ec;
  if (!fs::exists(ignore, ec)) return {};
  auto text = read_file(ignore);
  if (!text) return std::unexpected(text.error());
  for (std::size_t at = 0; at < text->size();) {
    auto end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    if (std::string_view(*text).substr(at, end - at) == kDvcHistoryGitignoreLine) return {};
    at = end + 1;
  }
  if (!text->empty() && text->back() != '\n') *text += '\n';
  *text += std::string(kDvcHistoryGitignoreLine) + "\n";
  return write_file_atomic(ignore, *text, repo.tmp());
}

}  // namespace

Result<bool> merge_dvc_history(const Repo& repo, const DvcHistory& found) {
  auto lock = FileLock::acquire(repo.store() / "dvc-history.lock", std::chrono::minutes(5));
  if (!lock) return std::unexpected(lock.error());
  fs::path file = dvc_history_file(repo);
  std::error_code ec;
  bool exists = fs::exists(file, ec);
  std::string before;
  if (exists) {
    auto text = read_file(file);
    if (!text) return std::unexpected(text.error());
    before = std::move(*text);
  }
  auto merged = parse_dvc_history(before, ".mlops/dvc-history.jsonl");
  if (!merged) return std::unexpected(merged.error());
  for (const auto& [key, pointer] : found.versions) {
    merged->versions.insert_or_assign(key, pointer);
    merged->missing.erase(key);
  }
  for (const auto& [key, missing] : found.missing) {
    if (!merged->versions.count(key)) merged->missing.insert_or_assign(key, missing);
  }
  std::string text = format_dvc_history(*merged);
  if (text == before) return false;
  MLOPS_TRY(write_file_atomic(file, text, repo.tmp()));
  MLOPS_TRY(unignore_dvc_history(repo));
  // The root .gitattributes merges the file as a union (data/attributes.hpp).
  auto attributes = ensure_gitattributes(repo);
  if (!attributes) return std::unexpected(attributes.error());
  return true;
}

Result<std::vector<DvcEraVersion>> dvc_era_versions(const Repo& repo, const git::Repository& git_repo,
                                                    const std::string& data_path) {
  std::vector<DvcEraVersion> found;
  DvcHistory history = read_dvc_history_or_warn(repo);  // a damaged file: warned about, left out
  // Each commit's version, as text that is equal when the versions are.
  std::map<std::string, std::string> identity;
  for (const auto& [key, pointer] : history.versions) {
    if (key.second == data_path) identity.emplace(key.first, format_pointer(pointer));
  }
  for (const auto& [key, missing] : history.missing) {
    if (key.second == data_path) identity.emplace(key.first, "not imported " + missing.dvc_hash);
  }
  if (identity.empty()) return found;
  auto commits = git::commits_between(git_repo, {"HEAD"}, {});
  if (!commits) return std::unexpected(commits.error());
  // Each commit's version in the walk's order ("" where the history names none, or where the
  // commit has the pointer: `data log` lists that one from the pointer, once).
  std::string pointer_file = data_path + std::string(kPointerSuffix);
  std::vector<std::string> in_commit(commits->size());
  for (std::size_t i = 0; i < commits->size(); ++i) {
    auto it = identity.find((*commits)[i].id);
    if (it == identity.end()) continue;
    auto pointer = git_repo.read_file_at((*commits)[i].id, pointer_file);
    if (!pointer) return std::unexpected(pointer.error());
    if (!*pointer) in_commit[i] = it->second;
  }
  for (std::size_t i = 0; i < commits->size(); ++i) {
    // Newest first: a commit brought its version when the next older one has another, or none.
    if (in_commit[i].empty() || (i + 1 < commits->size() && in_commit[i] == in_commit[i + 1])) continue;
    const auto& c = (*commits)[i];
    DvcEraVersion version{c.id, c.time, c.author, c.summary, std::nullopt, std::nullopt};
    if (auto v = history.versions.find({c.id, data_path}); v != history.versions.end()) {
      version.pointer = v->second;
    } else {
      version.missing = history.missing.at({c.id, data_path});
    }
    found.push_back(std::move(version));
  }
  return found;
}

}  // namespace mlops::data
