#include "mlops/data/pointer.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>

#include "mlops/core/yaml_quote.hpp"

namespace mlops::data {

std::string_view to_string(Kind kind) { return kind == Kind::dir ? "dir" : "file"; }

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  if (path.find('\0') != std::string_view::npos || path.find('\n') != std::string_view::npos ||
      path.find('\r') != std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

namespace {

Error pointer_error(const std::filesystem::path& source, int line, const std::string& what) {
  std::string where = source.string();
  if (line >= 0) where += fmt::format(":{}", line + 1);
  return bad_input(fmt::format("malformed pointer file '{}': {}", where, what),
                   "restore the committed one with 'git checkout HEAD -- " + source.string() +
                       "' (this works during a merge too), or re-create it with 'mlops data add'");
}

bool parse_uint(const std::string& text, std::uint64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

Result<Pointer> parse_pointer(std::string_view text, const std::filesystem::path& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return std::unexpected(pointer_error(source, e.mark.is_null() ? -1 : e.mark.line, e.msg));
  }
  if (!root.IsMap()) return std::unexpected(pointer_error(source, -1, "expected a mapping of fields"));
  Pointer p;
  auto field = [&](const char* name) -> Result<std::pair<std::string, int>> {
    YAML::Node node = root[name];
    if (!node) return std::unexpected(pointer_error(source, -1, fmt::format("missing field '{}'", name)));
    if (!node.IsScalar()) {
      return std::unexpected(pointer_error(source, node.Mark().line, fmt::format("field '{}' must be a scalar", name)));
    }
    return std::pair{node.Scalar(), node.Mark().line};
  };

  auto version = field("version");
  if (!version) return std::unexpected(version.error());
  std::uint64_t v = 0;
  if (!parse_uint(version->first, v)) {
    return std::unexpected(
        pointer_error(source, version->second, fmt::format("version '{}' is not a number", version->first)));
  }
  if (v != static_cast<std::uint64_t>(kPointerVersion)) {
    return std::unexpected(
        bad_input(fmt::format("unsupported pointer version {} in '{}:{}' (this mlops reads version {})", v,
                              source.string(), version->second + 1, kPointerVersion),
                  "upgrade mlops to read pointers written by a newer version"));
  }
  p.version = static_cast<int>(v);

  auto path = field("path");
  if (!path) return std::unexpected(path.error());
  if (!is_safe_relative_path(path->first)) {
    return std::unexpected(pointer_error(source, path->second,
                                         fmt::format("path '{}' must be relative to the pointer's folder and may not "
                                                     "climb out of it with '..'",
                                                     path->first)));
  }
  p.path = path->first;

  auto hash = field("hash");
  if (!hash) return std::unexpected(hash.error());
  auto parsed = Hash::parse(hash->first);
  if (!parsed) {
    return std::unexpected(pointer_error(
        source, hash->second, fmt::format("hash '{}' is not 'xxh3:' followed by 32 hex digits", hash->first)));
  }
  p.hash = *parsed;

  for (auto [name, target] : {std::pair{"size", &p.size}, std::pair{"files", &p.files}}) {
    auto value = field(name);
    if (!value) return std::unexpected(value.error());
    if (!parse_uint(value->first, *target)) {
      return std::unexpected(
          pointer_error(source, value->second, fmt::format("{} '{}' is not a number", name, value->first)));
    }
  }

  auto kind = field("kind");
  if (!kind) return std::unexpected(kind.error());
  if (kind->first == "file") {
    p.kind = Kind::file;
  } else if (kind->first == "dir") {
    p.kind = Kind::dir;
  } else {
    return std::unexpected(
        pointer_error(source, kind->second, fmt::format("kind '{}' must be 'file' or 'dir'", kind->first)));
  }
  if (p.kind == Kind::file && p.files != 1) {
    return std::unexpected(pointer_error(source, -1, "a pointer of kind 'file' must have files: 1"));
  }
  return p;
}

std::string format_pointer(const Pointer& p) {
  return fmt::format("version: {}\npath: {}\nhash: {}\nsize: {}\nfiles: {}\nkind: {}\n", p.version, yaml_scalar(p.path),
                     p.hash.str(), p.size, p.files, to_string(p.kind));
}

}  // namespace mlops::data
