#pragma once
// How runs' values read in tables and notes: numbers, durations, times, metric histories.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/tracking/query.hpp"

namespace mlops::tracking {

// "0.9312", "nan", "-inf": a metric value in its shortest form that reads back as the same
// double (0.1 is "0.1", never "0.10000000000000001").
std::string display_number(double value);
// "+0.016", "-2": rebuilt - original to the decimal places the two are written with, so that
// 0.93 - 0.914 reads 0.016 and not 0.016000000000000014 (6 significant digits for exponents).
std::string display_delta(double original, double rebuilt);
std::string display_value(const std::optional<Value>& value);
// "12.3s", "4m05s", "1h02m"; "-" for none
std::string display_duration(std::optional<double> seconds);
// "2026-11-29 02:41:07 UTC" from an ISO 8601 time (stored times are UTC): the one format of
// times in the runs commands' tables
std::string display_time(std::string_view iso);
// A recorded command as a POSIX shell would take it back: words with spaces or shell characters
// in single quotes (`sh -c 'echo oops >&2; exit 3'`), an empty word as ''.
std::string display_command(const std::vector<std::string>& command);
// A sparkline of `values` (at most `width` characters, sampled evenly), "" for none.
std::string sparkline(const std::vector<double>& values, std::size_t width = 40);

}  // namespace mlops::tracking
