#include "mlops/data/dvc_history.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "mlops/core/file.hpp"
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
    return std::unexpected(bad_input(fmt::format("{}: path '{}' is not a relative path inside the repository", where, *path)));
  DvcHistoryKey key{*commit, *path};
  if (auto missing = line.find("missing"); missing != line.end()) {
    if (!missing->is_object())
      return std::unexpected(bad_input(fmt::format("{}: 'missing' is not a JSON object", where)));
    DvcNotImported item;
    item.path = *path;
    for (auto [field, member] : {std::pair{"dvc_hash", &item.dvc_hash}, std::pair{"reason", &item.reason},
                                 std::pair{"fetch", &item.fetch}}) {
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
    json parsed = json::parse(line, nullptr, false);
    if (parsed.is_discarded()) return std::unexpected(bad_input(fmt::format("{}: not valid JSON", where)));
    if (auto r = parse_line(parsed, where, history); !r) {
      auto error = r.error();
      error.hint = "it is written by 'mlops import dvc --all-commits'; run it again to rewrite the file";
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
    bool take_version = missing == history.missing.end() ||
                        (version != history.versions.end() && version->first <= missing->first);
    json line;
    if (take_version) {
      const auto& [key, p] = *version++;
      line = json{{"commit", key.first}, {"path", key.second},  {"hash", p.hash.str()},
                  {"kind", std::string(to_string(p.kind))},     {"size", p.size}, {"files", p.files}};
    } else {
      const auto& [key, m] = *missing++;
      line = json{{"commit", key.first},
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
  std::error_code ec;
  if (!fs::exists(file, ec)) return DvcHistory{};
  auto text = read_file(file);
  if (!text) return std::unexpected(text.error());
  return parse_dvc_history(*text, ".mlops/dvc-history.jsonl");
}

Result<bool> write_dvc_history(const Repo& repo, const DvcHistory& history) {
  fs::path file = dvc_history_file(repo);
  MLOPS_TRY(write_file_atomic(file, format_dvc_history(history), repo.tmp()));
  fs::path ignore = file.parent_path() / ".gitignore";
  std::error_code ec;
  if (!fs::exists(ignore, ec)) return false;
  auto text = read_file(ignore);
  if (!text) return std::unexpected(text.error());
  for (std::size_t at = 0; at < text->size();) {
    auto end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    if (std::string_view(*text).substr(at, end - at) == kDvcHistoryGitignoreLine) return false;
    at = end + 1;
  }
  std::string updated = *text;
  if (!updated.empty() && updated.back() != '\n') updated += '\n';
  updated += std::string(kDvcHistoryGitignoreLine) + "\n";
  MLOPS_TRY(write_file_atomic(ignore, updated, repo.tmp()));
  return true;
}

Result<std::vector<DvcEraVersion>> dvc_era_versions(const Repo& repo, const git::Repository& git_repo,
                                                    const std::string& data_path) {
  std::vector<DvcEraVersion> found;
  auto history = read_dvc_history(repo);
  if (!history) return std::unexpected(history.error());
  // Each commit's version, as text that is equal when the versions are.
  std::map<std::string, std::string> identity;
  for (const auto& [key, pointer] : history->versions) {
    if (key.second == data_path) identity.emplace(key.first, format_pointer(pointer));
  }
  for (const auto& [key, missing] : history->missing) {
    if (key.second == data_path) identity.emplace(key.first, "not imported " + missing.dvc_hash);
  }
  if (identity.empty()) return found;
  auto commits = git::commits_between(git_repo, {"HEAD"}, {});
  if (!commits) return std::unexpected(commits.error());
  std::vector<const git::CommitInfo*> named;
  for (const auto& c : *commits) {
    if (identity.count(c.id)) named.push_back(&c);
  }
  for (std::size_t i = 0; i < named.size(); ++i) {
    // Newest first: a commit brought its version when the next older one names another.
    if (i + 1 < named.size() && identity[named[i]->id] == identity[named[i + 1]->id]) continue;
    const auto& c = *named[i];
    DvcEraVersion version{c.id, c.time, c.author, c.summary, std::nullopt, std::nullopt};
    if (auto v = history->versions.find({c.id, data_path}); v != history->versions.end()) {
      version.pointer = v->second;
    } else {
      version.missing = history->missing.at({c.id, data_path});
    }
    found.push_back(std::move(version));
  }
  return found;
}

}  // namespace mlops::data
