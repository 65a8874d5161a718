#pragma once
// `mlops runs report`: the Compare view (several runs) and the Run view (each run) as one
// self-contained HTML page, and a Markdown summary with sparklines for a CI comment.
//
// Contract: the output depends only on the runs given (no clock, no host, no random), so the same
// store gives the same bytes and golden files can test it. The HTML page loads nothing (a
// Content-Security-Policy forbids every fetch), draws every chart as inline SVG with a data table
// beside it so it reads with scripts disabled, and its inline script adds hover values, step/time
// axes, smoothing and log scale when scripts run. Every user string is escaped (html.hpp).
#include <string>
#include <vector>

#include "mlops/view/run_view.hpp"

namespace mlops::view {

struct ReportOptions {
  std::vector<std::string> metrics;  // the metrics to chart, in this order; empty: every metric, sorted
  std::string primary;               // the metric of the scatter and parallel coordinates; empty: primary_metric()
  std::size_t buckets = 500;         // curve downsampling: at most 2 * buckets + 2 points per run and metric
};

// Bad input (exit 2, with "did you mean") for a metric of options.metrics or options.primary that
// none of `runs` logged.
Result<void> check_report_metrics(const std::vector<RunView>& runs, const ReportOptions& options);

// The metrics the report charts: options.metrics, or every metric any run has (sorted).
std::vector<std::string> report_metrics(const std::vector<RunView>& runs, const ReportOptions& options);

// The metric the scatter plots and parallel coordinates show when none is named: among `metrics`
// that every run logged and whose final values differ between the runs (else among all of
// `metrics`), the first, alphabetically, of those that name a score on held-out data (a name with
// val, valid, eval or test and acc, auc, f1, loss, error, score, precision, recall, rmse, mae,
// mse, bleu, rouge, perplexity or ppl), else of those that name a score, else the first: a learning
// rate schedule or a step counter is seldom what runs are compared on. Empty when `metrics` is.
std::string primary_metric(const std::vector<RunView>& runs, const std::vector<std::string>& metrics);

std::string render_report_html(const std::vector<RunView>& runs, const ReportOptions& options);
std::string render_report_markdown(const std::vector<RunView>& runs, const ReportOptions& options);

}  // namespace mlops::view
