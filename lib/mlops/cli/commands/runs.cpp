// `mlops runs list|show|compare|diff|delete|export|import`, and their display helpers.
#include "mlops/cli/commands/runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

tracking::RunStore open_runs_store(const Repo& repo) {
  auto store = unwrap(tracking::RunStore::open(repo));
  for (const auto& id : unwrap(store.mark_lost_runs())) {
    out::warn(fmt::format("run {} was left running by an 'mlops run' process that is gone: marked killed", id));
  }
  return store;
}

std::string display_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{:.6g}", value);
}

std::string display_value(const std::optional<tracking::Value>& value) {
  if (!value) return "-";
  if (auto* number = std::get_if<double>(&*value)) return display_number(*number);
  return std::get<std::string>(*value);
}

std::string display_duration(std::optional<double> seconds) {
  if (!seconds) return "-";
  if (*seconds < 60) return fmt::format("{:.1f}s", *seconds);
  auto whole = static_cast<long>(*seconds);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
}

std::string display_time(std::string_view iso) {
  if (iso.size() < 19) return std::string(iso);
  std::string text(iso.substr(0, 19));
  text[10] = ' ';
  return text;
}

std::string sparkline(const std::vector<double>& values, std::size_t width) {
  static constexpr std::string_view kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::vector<double> finite;
  for (double value : values) {
    if (std::isfinite(value)) finite.push_back(value);
  }
  if (finite.empty()) return {};
  std::vector<double> sampled;
  if (finite.size() <= width) {
    sampled = finite;
  } else {
    for (std::size_t i = 0; i < width; ++i) sampled.push_back(finite[i * (finite.size() - 1) / (width - 1)]);
  }
  auto [low, high] = std::minmax_element(sampled.begin(), sampled.end());
  double range = *high - *low;
  std::string line;
  for (double value : sampled) {
    std::size_t level = range > 0 ? static_cast<std::size_t>((value - *low) / range * 7.0 + 0.5) : 3;
    line += kBars[std::min<std::size_t>(level, 7)];
  }
  return line;
}

void register_runs(CLI::App& app) {
  auto* group = add_group(app, "runs", "List, show, compare, diff, delete, export and import recorded runs");
  group->footer("Run ids may be shortened to any unambiguous prefix.");
  add_runs_list(*group);
  add_runs_show(*group);
  add_runs_compare(*group);
  add_runs_diff(*group);
  add_runs_delete(*group);
  add_runs_export(*group);
  add_runs_import(*group);
}

}  // namespace mlops::cli
