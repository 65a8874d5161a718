#pragma once
// The drift methods, their thresholds, and the default choice per column (Evidently's rules).
#include <cstdint>
#include <optional>
#include <string_view>

namespace mlops::drift {

enum class ColumnType { numeric, categorical };
std::string_view to_string(ColumnType type);

enum class Method { ks, wasserstein, psi, jensenshannon, chisquare, ztest };
inline constexpr Method kAllMethods[] = {Method::ks,        Method::wasserstein, Method::psi, Method::jensenshannon,
                                         Method::chisquare, Method::ztest};

// "ks", "wasserstein", "psi", "jensenshannon", "chisquare", "ztest" (also a few aliases:
// "kolmogorov-smirnov", "js", "chi2", "z").
std::string_view to_string(Method method);
std::optional<Method> parse_method(std::string_view name);
std::string_view display_name(Method method);  // "K-S p-value", "Wasserstein (normed)", ...

// Whether the method's verdict is on a p-value (drift below the threshold) rather than on a
// distance (drift at or above it).
bool uses_p_value(Method method);
double default_threshold(Method method);
// The verdict: KS drifts at p <= t, chi-square and Z at p < t, distances at statistic >= t.
bool is_drift(Method method, double statistic, double p_value, double threshold);

// Evidently's default: with at most 1000 reference values, Z-test (<= 2 distinct values across
// both sides), chi-square (categorical, or numeric with 3-5 distinct), else KS; above 1000,
// Jensen-Shannon (categorical, or numeric with <= 5 distinct), else Wasserstein (normed).
Method default_method(ColumnType type, std::uint64_t reference_values, std::uint64_t distinct_values);

}  // namespace mlops::drift
