#include "mlops/drift/select.hpp"

namespace mlops::drift {

std::string_view to_string(ColumnType type) { return type == ColumnType::numeric ? "numeric" : "categorical"; }

std::string_view to_string(Method method) {
  switch (method) {
    case Method::ks:
      return "ks";
    case Method::wasserstein:
      return "wasserstein";
    case Method::psi:
      return "psi";
    case Method::jensenshannon:
      return "jensenshannon";
    case Method::chisquare:
      return "chisquare";
    case Method::ztest:
      return "ztest";
  }
  return "?";
}

std::optional<Method> parse_method(std::string_view name) {
  for (Method m : kAllMethods) {
    if (name == to_string(m)) return m;
  }
  if (name == "kolmogorov-smirnov" || name == "k-s") return Method::ks;
  if (name == "wasserstein_distance" || name == "wasserstein-normed") return Method::wasserstein;
  if (name == "js" || name == "jensen-shannon") return Method::jensenshannon;
  if (name == "chi2" || name == "chi-square") return Method::chisquare;
  if (name == "z" || name == "z-test") return Method::ztest;
  return std::nullopt;
}

std::string_view display_name(Method method) {
  switch (method) {
    case Method::ks:
      return "K-S p-value";
    case Method::wasserstein:
      return "Wasserstein (normed)";
    case Method::psi:
      return "PSI";
    case Method::jensenshannon:
      return "Jensen-Shannon distance";
    case Method::chisquare:
      return "chi-square p-value";
    case Method::ztest:
      return "Z-test p-value";
  }
  return "?";
}

bool uses_p_value(Method method) {
  return method == Method::ks || method == Method::chisquare || method == Method::ztest;
}

double default_threshold(Method method) { return uses_p_value(method) ? 0.05 : 0.1; }

bool is_drift(Method method, double statistic, double p_value, double threshold) {
  switch (method) {
    case Method::ks:
      return p_value <= threshold;
    case Method::chisquare:
    case Method::ztest:
      return p_value < threshold;
    default:
      return statistic >= threshold;
  }
}

Method default_method(ColumnType type, std::uint64_t reference_values, std::uint64_t distinct_values) {
  if (reference_values <= 1000) {
    if (type == ColumnType::numeric && distinct_values > 5) return Method::ks;
    return distinct_values > 2 ? Method::chisquare : Method::ztest;
  }
  if (type == ColumnType::numeric && distinct_values > 5) return Method::wasserstein;
  return Method::jensenshannon;
}

}  // namespace mlops::drift
