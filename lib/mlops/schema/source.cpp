#include "mlops/schema/source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include "mlops/drift/records.hpp"
#include "mlops/drift/source.hpp"

namespace mlops::schema {

namespace {

std::optional<drift::Format> data_format(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  for (const char* ext : {".csv", ".tsv", ".tab"}) {
    if (name.ends_with(ext)) return drift::Format::csv;
  }
  for (const char* ext : {".jsonl", ".ndjson", ".json"}) {
    if (name.ends_with(ext)) return drift::Format::jsonl;
  }
  return std::nullopt;
}

Result<std::vector<drift::Part>> open_folder(const std::string& spec) {
  std::vector<std::filesystem::path> files;
  std::optional<drift::Format> format;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(spec, ec); !ec && it != decltype(it)();
       it.increment(ec)) {
    if (it->path().filename().string().starts_with(".")) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    auto f = it->is_regular_file() ? data_format(it->path()) : std::nullopt;
    if (!f) continue;
    if (format && *format != *f) {
      return std::unexpected(bad_input(fmt::format("'{}' mixes CSV/TSV and JSONL files", spec),
                                       "keep one format per folder, or check single files"));
    }
    format = f;
    files.push_back(it->path());
  }
  if (ec) return std::unexpected(system_error("read folder", spec, ec.value()));
  if (files.empty()) {
    return std::unexpected(bad_input(fmt::format("'{}' has no CSV, TSV or JSONL files", spec),
                                     "schema reads .csv, .tsv, .jsonl (optionally .gz) files"));
  }
  std::sort(files.begin(), files.end());
  std::vector<drift::Part> parts;
  for (const auto& file : files) {
    auto buffer = drift::Buffer::map_file(file);
    if (!buffer) return std::unexpected(buffer.error());
    parts.push_back(drift::Part{file.string(), std::move(*buffer)});
  }
  return parts;
}

}  // namespace

Result<std::vector<drift::Part>> open_data(const std::string& spec) {
  std::error_code ec;
  if (std::filesystem::is_directory(spec, ec)) return open_folder(spec);
  return drift::open_source(spec);
}

std::string default_schema_path(const std::string& spec) {
  std::error_code ec;
  std::string path = spec;
  if (!std::filesystem::exists(spec, ec)) {
    if (auto at = spec.find('@'); at != std::string::npos && at > 0) path = spec.substr(0, at);
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path + ".schema.yaml";
}

}  // namespace mlops::schema
