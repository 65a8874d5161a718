#include "mlops/drift/source.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <system_error>

#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/drift/reader.hpp"

namespace mlops::drift {

namespace {

// A cache object, memory-mapped and verified against its hash; the cache's own read reports a
// missing or corrupt object (and moves a corrupt one aside).
Result<Buffer> read_object(const data::Cache& cache, const Hash& hash) {
  auto mapped = Buffer::map_file(cache.object_path(hash));
  if (mapped && hash_bytes(mapped->view()) == hash) return mapped;
  auto content = cache.read(hash);
  if (!content) return std::unexpected(content.error());
  return Buffer::own(std::move(*content));
}

bool is_data_file(std::string_view name, Format& format) {
  std::string_view n = name;
  if (n.ends_with(".gz")) n.remove_suffix(3);
  if (n.ends_with(".csv") || n.ends_with(".tsv") || n.ends_with(".tab")) {
    format = Format::csv;
    return true;
  }
  if (n.ends_with(".jsonl") || n.ends_with(".ndjson") || n.ends_with(".json")) {
    format = Format::jsonl;
    return true;
  }
  return false;
}

Result<std::vector<Part>> open_tracked(const std::string& spec, const std::string& path, const std::string& rev) {
  auto repo = find_store();
  if (!repo) {
    return std::unexpected(
        bad_input(fmt::format("'{}' does not exist", spec),
                  "PATH@REV reads data tracked with 'mlops data add'; run it inside that repository"));
  }
  // PATH is relative to the current folder, as tracked_at takes it.
  auto tracked = data::tracked_at(*repo, path, rev);
  if (!tracked) return std::unexpected(tracked.error());
  return open_version(*repo, tracked->pointer, fmt::format("{}@{}", tracked->data_path, rev));
}

}  // namespace

Result<std::vector<Part>> open_version(const Repo& repo, const data::Pointer& pointer, const std::string& name) {
  data::Cache cache(repo);
  std::vector<Part> parts;
  if (pointer.kind == data::Kind::file) {
    auto buffer = read_object(cache, pointer.hash);
    if (!buffer) return std::unexpected(buffer.error());
    parts.push_back(Part{name, std::move(*buffer)});
    return parts;
  }
  // A folder version: its data files, which must all be CSV/TSV or all JSONL.
  auto manifest = data::read_manifest(cache, pointer.hash);
  if (!manifest) return std::unexpected(manifest.error());
  std::optional<Format> format;
  for (const auto& entry : *manifest) {
    Format f;
    if (!is_data_file(entry.path, f)) continue;
    if (format && *format != f) {
      return std::unexpected(bad_input(fmt::format("'{}' mixes CSV/TSV and JSONL files", name),
                                       "keep one format per folder, or compare single files"));
    }
    format = f;
    auto buffer = read_object(cache, entry.hash);
    if (!buffer) return std::unexpected(buffer.error());
    parts.push_back(Part{fmt::format("{}:{}", name, entry.path), std::move(*buffer)});
  }
  if (parts.empty()) {
    return std::unexpected(bad_input(fmt::format("'{}' has no CSV, TSV or JSONL files", name),
                                     "drift reads .csv, .tsv, .jsonl (optionally .gz) files"));
  }
  return parts;
}

Result<std::vector<Part>> open_source(const std::string& spec) {
  std::error_code ec;
  const auto at = spec.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == spec.size() || std::filesystem::exists(spec, ec)) {
    auto buffer = Buffer::map_file(spec);
    if (!buffer) return std::unexpected(buffer.error());
    std::vector<Part> parts;
    parts.push_back(Part{spec, std::move(*buffer)});
    return parts;
  }
  return open_tracked(spec, spec.substr(0, at), spec.substr(at + 1));
}

}  // namespace mlops::drift
