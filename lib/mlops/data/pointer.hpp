#pragma once
// The pointer file `PATH.mlops`: a small YAML document committed to git in place of the data.
// Field names are part of the format (DESIGN.md); `version` allows the format to change.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"

namespace mlops::data {

enum class Kind { file, dir };
std::string_view to_string(Kind kind);

inline constexpr std::string_view kPointerSuffix = ".mlops";
inline constexpr int kPointerVersion = 1;

struct Pointer {
  int version = kPointerVersion;
  std::string path;         // relative to the pointer's folder; never absolute, never climbing with ".."
  Hash hash;                // the content (kind file) or the manifest object (kind dir)
  std::uint64_t size = 0;   // bytes; the total of all files for a directory
  std::uint64_t files = 1;  // number of files
  Kind kind = Kind::file;
};

// Parses and validates a pointer. Errors name `source` and, where there is one, the line.
Result<Pointer> parse_pointer(std::string_view text, const std::filesystem::path& source);
// The canonical text of a pointer (stable field order, so diffs in git stay small).
std::string format_pointer(const Pointer& pointer);

// Whether `path` is a safe relative path: not empty, not absolute, no "." or ".." component,
// no empty component, no NUL or newline. Used for pointer paths and manifest entries alike.
bool is_safe_relative_path(std::string_view path);

}  // namespace mlops::data
