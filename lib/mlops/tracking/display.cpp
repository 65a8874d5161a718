#include "mlops/tracking/display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace mlops::tracking {

std::string display_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);  // the shortest text that reads back as the same double
}

std::string display_delta(double original, double rebuilt) {
  double delta = rebuilt - original;
  if (!std::isfinite(delta)) return display_number(delta);
  // Decimal places of the operands as written: 0.93 - 0.914 is 0.016, not 0.016000000000000014.
  auto decimals = [](double value) -> int {
    std::string text = fmt::format("{}", value);
    if (text.find_first_of("eE") != std::string::npos) return -1;
    auto dot = text.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  };
  int a = decimals(original);
  int b = decimals(rebuilt);
  std::string text;
  if (a < 0 || b < 0) {
    text = fmt::format("{:.6g}", delta);
  } else {
    text = fmt::format("{:.{}f}", delta, std::max(a, b));
    if (text.find('.') != std::string::npos) {
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
    }
  }
  if (text == "-0") text = "0";
  return delta > 0 ? "+" + text : text;
}

std::string display_value(const std::optional<Value>& value) {
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
  return text + " UTC";
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

std::string display_command(const std::vector<std::string>& command) {
  std::string text;
  for (const auto& word : command) {
    if (!text.empty()) text += ' ';
    bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) ||
             std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
    });
    if (plain) {
      text += word;
      continue;
    }
    text += '\'';
    for (char c : word) {
      if (c == '\'') {
        text += "'\\''";
      } else {
        text += c;
      }
    }
    text += '\'';
  }
  return text;
}

}  // namespace mlops::tracking
