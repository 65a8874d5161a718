#pragma once
// Comparing two datasets column by column: the type of each column, the method that judges it,
// the statistics, and the dataset verdict.
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/dataset.hpp"
#include "mlops/drift/select.hpp"

namespace mlops::drift {

// What a config file or the command line says about one column.
struct ColumnSettings {
  std::optional<Method> method;
  std::optional<double> threshold;
};

// When a check fails (exit 1): on dataset drift (the drifted share reaches drift_share), on any
// drifted column, or never. The reports lead with the verdict this policy gives.
enum class FailOn { dataset, column, never };
std::string_view to_string(FailOn fail_on);
std::optional<FailOn> parse_fail_on(std::string_view text);

struct CheckOptions {
  std::vector<std::string> columns;  // only these (empty: all)
  std::vector<std::string> exclude;
  std::vector<std::string> numeric;  // type overrides
  std::vector<std::string> categorical;
  std::string prediction;                            // reported first, as prediction drift
  std::string target;                                // reported next, as target drift
  std::optional<Method> method;                      // for every column (overrides the default choice)
  std::map<Method, double> thresholds;               // per method
  std::map<std::string, ColumnSettings> per_column;  // from --config; wins over the above
  double drift_share = 0.5;
  FailOn fail_on = FailOn::dataset;
  bool all_stats = false;
  bool histograms = false;  // keep the binned shares (for --html)
};

enum class Role { prediction, target, feature };
std::string_view to_string(Role role);

struct Statistic {
  Method method;
  double statistic = 0;
  double p_value = std::nan("");  // NaN for distances
};

// Shares of reference and current per bin or category, for charts.
struct Histogram {
  std::vector<std::string> labels;
  std::vector<double> reference;
  std::vector<double> current;
};

struct ColumnResult {
  std::string name;
  Role role = Role::feature;
  ColumnType type = ColumnType::numeric;
  Method method = Method::ks;
  double statistic = 0;
  double p_value = std::nan("");
  double threshold = 0;
  bool drifted = false;
  std::uint64_t reference_rows = 0, current_rows = 0;
  std::uint64_t reference_missing = 0, current_missing = 0;
  std::uint64_t reference_values = 0, current_values = 0;  // tested: finite, not missing
  std::uint64_t reference_non_finite = 0, current_non_finite = 0;
  std::uint64_t distinct = 0;       // distinct values across both sides
  bool missing_changed = false;     // shares differ by at least one percentage point
  bool constant_reference = false;  // numeric reference with standard deviation 0
  std::vector<std::string> unseen;  // current categories the reference never had
  std::vector<Statistic> stats;     // every applicable statistic (--all-stats)
  Histogram histogram;
  std::optional<Method> instead_of;  // with a profile: the sample method JS stands in for
  double severity = 0;               // for ordering: how far past (or short of) the threshold

  double reference_missing_share() const;
  double current_missing_share() const;
};

// The report's method cell: "psi", or "jensenshannon (profile bins, not ks)".
std::string method_label(const ColumnResult& column);

struct SkippedColumn {
  std::string name;
  std::string reason;
};

struct Report {
  std::string reference, current;
  std::uint64_t reference_rows = 0, current_rows = 0;
  std::vector<ColumnResult> columns;   // prediction, target, then drifted first, most severe first
  std::vector<SkippedColumn> skipped;  // present on one side only, or all missing
  double drift_share = 0.5;
  std::size_t drifted = 0;
  bool dataset_drift = false;
  FailOn fail_on = FailOn::dataset;
  double share() const {
    return columns.empty() ? 0.0 : static_cast<double>(drifted) / static_cast<double>(columns.size());
  }
  // Whether the check failed under fail_on (the command exits 1).
  bool failed() const;
  // Whether the verdict the reports lead with is "drift": dataset drift, or with --fail-on column
  // any drifted column (with --fail-on never, dataset drift, reported but not a failure).
  bool drift_found() const;
  // "Dataset drift detected", "No dataset drift", "Column drift detected", "No column drift";
  // "dataset drift detected", ... with capital = false (a heading after "Drift check: ").
  std::string verdict(bool capital = true) const;
  // What the summary adds after the share: "threshold 50.0%", "--fail-on column fails on any", ...
  std::string verdict_detail() const;
};

// Bad input (exit 2) for unknown columns named in the options, a method that does not fit a
// column, or --numeric on a column with text.
Result<Report> check_drift(Dataset& reference, Dataset& current, const CheckOptions& options);

// The reference bins of a numeric column: ceil(log2(n) + 1) equal-width bins between the
// reference minimum and maximum (Sturges), the outer two open-ended. Returns the k-1 inner edges.
std::vector<double> reference_bin_edges(const std::vector<double>& sorted_reference);
// Values per bin of `sorted` for those inner edges (a value equal to an edge counts in the bin above).
std::vector<double> reference_bin_counts(const std::vector<double>& sorted, const std::vector<double>& inner);
// Distinct values of a sorted sample.
std::uint64_t distinct_sorted(const std::vector<double>& sorted);
// The type check gives a column (before any --numeric/--categorical): Evidently's rule that
// integer columns with at most 5 distinct values are categorical. Values sorted.
ColumnType detect_type(const Column& reference, const Column& current, std::uint64_t reference_distinct);

}  // namespace mlops::drift
