#pragma once
// Times and durations as `trace stats` and `monitor` take them: Prometheus durations ("90s",
// "10m", "1h30m", "1d", "1w"; units ms, s, m, h, d, w, y) and points in time (an ISO 8601 date and
// time, UTC unless it says otherwise, or a duration meaning that long before `now`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlops::trace {

// Nanoseconds, or nullopt when the text is not a duration.
std::optional<std::uint64_t> parse_duration(std::string_view text);
// "1h30m" for 5400e9: the shortest Prometheus spelling.
std::string format_duration(std::uint64_t ns);
// Nanoseconds since the epoch, or nullopt.
std::optional<std::uint64_t> parse_time(std::string_view text, std::uint64_t now_ns);
// "2026-12-01T10:00:00Z" (fractions of a second shown when present: "...:00.250Z").
std::string format_time(std::uint64_t ns);
std::uint64_t now_ns();

}  // namespace mlops::trace
