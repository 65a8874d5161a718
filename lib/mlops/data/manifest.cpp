#include "mlops/data/manifest.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "mlops/core/file.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/pointer.hpp"

namespace mlops::data {

namespace {
constexpr std::string_view kHeader = "mlops-manifest 1";

Error manifest_error(std::string_view source, std::size_t line, const std::string& what) {
  return bad_input(fmt::format("malformed manifest '{}' line {}: {}", source, line, what),
                   "the object is damaged or was not written by mlops; run 'mlops data verify'");
}
}  // namespace

Result<void> canonicalize(Manifest& manifest) {
  std::sort(manifest.begin(), manifest.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  for (std::size_t i = 1; i < manifest.size(); ++i) {
    if (manifest[i].path == manifest[i - 1].path) {
      return std::unexpected(bad_input(fmt::format("duplicate path '{}' in a directory manifest", manifest[i].path)));
    }
  }
  return {};
}

std::string serialize_manifest(const Manifest& manifest) {
  std::string text(kHeader);
  text += '\n';
  text.reserve(manifest.size() * 80);
  for (const auto& e : manifest) {
    text += e.hash.hex();
    text += ' ';
    text += std::to_string(e.size);
    text += e.executable ? " x " : " - ";
    text += e.path;
    text += '\n';
  }
  return text;
}

Result<Manifest> parse_manifest(std::string_view text, std::string_view source) {
  Manifest manifest;
  std::size_t line_no = 0;
  std::size_t at = 0;
  bool header = true;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos)
      return std::unexpected(manifest_error(source, line_no + 1, "the last line has no newline"));
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (header) {
      if (line != kHeader) return std::unexpected(manifest_error(source, line_no, "missing 'mlops-manifest 1' header"));
      header = false;
      continue;
    }
    // <hex32> <size> <x|-> <path>
    if (line.size() < 32 + 1 + 1 + 1 + 1 + 1 + 1 || line[32] != ' ') {
      return std::unexpected(manifest_error(source, line_no, "expected '<hash> <size> <x|-> <path>'"));
    }
    ManifestEntry entry;
    auto hash = Hash::parse_hex(line.substr(0, 32));
    if (!hash) return std::unexpected(manifest_error(source, line_no, "bad hash"));
    entry.hash = *hash;
    std::string_view rest = line.substr(33);
    auto space = rest.find(' ');
    if (space == std::string_view::npos) return std::unexpected(manifest_error(source, line_no, "missing size"));
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + space, entry.size);
    if (ec != std::errc() || ptr != rest.data() + space)
      return std::unexpected(manifest_error(source, line_no, "bad size"));
    rest = rest.substr(space + 1);
    if (rest.size() < 3 || (rest[0] != 'x' && rest[0] != '-') || rest[1] != ' ') {
      return std::unexpected(manifest_error(source, line_no, "bad executable flag"));
    }
    entry.executable = rest[0] == 'x';
    entry.path = std::string(rest.substr(2));
    if (!is_safe_relative_path(entry.path)) {
      return std::unexpected(
          manifest_error(source, line_no, fmt::format("path '{}' is absolute or climbs out with '..'", entry.path)));
    }
    if (!manifest.empty() && !(manifest.back().path < entry.path)) {
      return std::unexpected(manifest_error(source, line_no, "entries are not in canonical order"));
    }
    manifest.push_back(std::move(entry));
  }
  if (header) return std::unexpected(manifest_error(source, 1, "missing 'mlops-manifest 1' header"));
  return manifest;
}

Result<Manifest> read_manifest(const Cache& cache, const Hash& hash) {
  auto text = cache.read(hash);
  if (!text) return std::unexpected(text.error());
  return parse_manifest(*text, hash.str());
}

bool looks_like_manifest(const Cache& cache, const Hash& hash) {
  UniqueFd fd(::open(cache.object_path(hash).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  char head[kHeader.size() + 1];
  ssize_t n = ::read(fd.get(), head, sizeof head);
  return n == static_cast<ssize_t>(sizeof head) && std::string_view(head, kHeader.size()) == kHeader &&
         head[kHeader.size()] == '\n';
}

std::uint64_t total_size(const Manifest& manifest) {
  std::uint64_t total = 0;
  for (const auto& e : manifest) total += e.size;
  return total;
}

}  // namespace mlops::data
