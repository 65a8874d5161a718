// Parsing and writing durations and times.
#include "mlops/trace/time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>

#include "mlops/core/output.hpp"
#include "mlops/schema/values.hpp"

namespace mlops::trace {

namespace {

constexpr std::uint64_t kMs = 1000000;
constexpr std::uint64_t kS = 1000 * kMs;

struct Unit {
  std::string_view name;
  std::uint64_t ns;
};
// Longest names first, so that "ms" is not read as "m" then "s".
constexpr Unit kUnits[] = {{"ms", kMs},       {"y", 365 * 86400 * kS}, {"w", 7 * 86400 * kS},
                           {"d", 86400 * kS}, {"h", 3600 * kS},        {"m", 60 * kS},
                           {"s", kS}};

}  // namespace

std::optional<std::uint64_t> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t total = 0;
  std::size_t p = 0;
  while (p < text.size()) {
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data() + p, text.data() + text.size(), n);
    if (ec != std::errc() || ptr == text.data() + p) return std::nullopt;
    p = static_cast<std::size_t>(ptr - text.data());
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (text.substr(p).starts_with(u.name)) {
        unit = &u;
        break;
      }
    }
    if (!unit) return std::nullopt;
    p += unit->name.size();
    total += n * unit->ns;
  }
  return total;
}

std::string format_duration(std::uint64_t ns) {
  if (ns == 0) return "0s";
  std::string out;
  for (const auto& u : {kUnits[2], kUnits[3], kUnits[4], kUnits[5], kUnits[6], kUnits[0]}) {
    if (ns >= u.ns) {
      out += fmt::format("{}{}", ns / u.ns, u.name);
      ns %= u.ns;
    }
  }
  return out;
}

std::optional<std::uint64_t> parse_time(std::string_view text, std::uint64_t now) {
  if (text == "now") return now;
  if (auto d = parse_duration(text)) return *d <= now ? now - *d : 0;
  double seconds = 0;
  // A date alone (2026-12-01), the first thing typed for a daily report, is its midnight UTC.
  bool date_only = text.size() == 10 && text[4] == '-' && text[7] == '-';
  std::string midnight = date_only ? fmt::format("{}T00:00:00Z", text) : std::string();
  if (date_only) text = midnight;
  if (!schema::parse_datetime(text, seconds) || seconds < 0) return std::nullopt;
  return static_cast<std::uint64_t>(std::llround(seconds * 1e3)) * kMs;
}

std::string format_time(std::uint64_t ns) {
  std::string s = out::iso_utc(static_cast<std::int64_t>(ns / kS));
  std::uint64_t ms = (ns % kS) / kMs;
  if (ms && s.ends_with('Z')) s.insert(s.size() - 1, fmt::format(".{:03}", ms));
  return s;
}

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace mlops::trace
