#pragma once
// A directory version: the sorted list of (relative path, hash, size, executable bit), stored in
// the cache as an object of its own. The text form is canonical, so equal trees hash equal:
//
//   mlops-manifest 1
//   <32 hex digits> <size> <x or -> <path>
//
// one line per file, sorted by path bytewise, paths '/'-separated and safe (no "..", no newline).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"

namespace mlops::data {

class Cache;

struct ManifestEntry {
  std::string path;
  Hash hash;
  std::uint64_t size = 0;
  bool executable = false;
  bool operator==(const ManifestEntry&) const = default;
};

using Manifest = std::vector<ManifestEntry>;

// Sorts entries by path; fails on a duplicate path.
Result<void> canonicalize(Manifest& manifest);
std::string serialize_manifest(const Manifest& manifest);
// Parses and validates: header, fields, safe paths, canonical order. Errors name `source` and line.
Result<Manifest> parse_manifest(std::string_view text, std::string_view source);
// Reads manifest object `hash` from the cache (verified against its hash).
Result<Manifest> read_manifest(const Cache& cache, const Hash& hash);

// Whether object `hash` in the cache starts like a manifest (reads a few bytes): for versions
// whose kind was not recorded (a registry Data trailer, an unreadable pointer).
bool looks_like_manifest(const Cache& cache, const Hash& hash);

std::uint64_t total_size(const Manifest& manifest);

}  // namespace mlops::data
