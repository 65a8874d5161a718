#include "mlops/tracking/run_settings.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <limits>
#include <optional>
#include <string>

#include "mlops/core/config_files.hpp"

namespace mlops::tracking {

std::optional<std::uint64_t> parse_size(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  struct Unit {
    std::string_view name;
    std::uint64_t factor;
  };
  constexpr Unit kUnits[] = {{"", 1},
                             {"B", 1},
                             {"K", 1ull << 10},
                             {"KiB", 1ull << 10},
                             {"KB", 1000},
                             {"M", 1ull << 20},
                             {"MiB", 1ull << 20},
                             {"MB", 1000 * 1000},
                             {"G", 1ull << 30},
                             {"GiB", 1ull << 30},
                             {"GB", 1000 * 1000 * 1000}};
  for (const auto& candidate : kUnits) {
    if (unit != candidate.name) continue;
    if (number > std::numeric_limits<std::uint64_t>::max() / candidate.factor) return std::nullopt;
    return number * candidate.factor;
  }
  return std::nullopt;
}

Result<std::uint64_t> diff_max_file_bytes(const Repo& repo) {
  std::uint64_t bytes = kDefaultDiffMaxFileBytes;
  MLOPS_TRY(read_config_files(
      repo, ConfigFiles::committed, [&](const YAML::Node& root, const std::filesystem::path& file) -> Result<void> {
        if (!root["runs"] || !root["runs"].IsMap() || !root["runs"]["diff_max_file_bytes"]) return {};
        const YAML::Node node = root["runs"]["diff_max_file_bytes"];
        std::optional<std::uint64_t> size;
        if (node.IsScalar()) size = parse_size(node.Scalar());
        if (!size) {
          return std::unexpected(
              bad_input(fmt::format("'runs.diff_max_file_bytes' in '{}' is not a size: '{}'", file.string(),
                                    node.IsScalar() ? node.Scalar() : std::string("(not a value)")),
                        "write a number of bytes, or one with a unit: runs: {diff_max_file_bytes: 1MiB}"));
        }
        bytes = *size;
        return {};
      }));
  return bytes;
}

}  // namespace mlops::tracking
