#pragma once
// Promotion gates: conditions on a version's recorded metrics that must hold before a stage is
// assigned. `--require` takes the filter language of `mlops runs list --where`
// (tracking/query.hpp) evaluated on the version's `Metric:` trailers (keys metrics.NAME);
// `--better-than STAGE --metric M` is the champion/challenger rule: the candidate's M must beat
// the M of the version in STAGE (higher, or lower with --lower-is-better).
// A gate that cannot be evaluated (a key other than metrics.NAME, a metric the candidate or the
// champion never recorded) is bad input, checked by check_gates; it is never a failed gate.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/registry/state.hpp"
#include "mlops/tracking/query.hpp"

namespace mlops::registry {

struct ChampionRule {
  std::string stage;
  std::string metric;  // without the "metrics." prefix
  bool lower_is_better = false;
};

struct GateRow {
  std::string gate;   // "metrics.auc >= 0.9", "auc better than production (v0.0.1)"
  std::string value;  // the candidate's value as text; "" for a compound expression's row
  std::string bound;  // ">= 0.9", "> 0.91"; "none" or "itself" when there is no champion to beat
  bool passed = false;
  // The same as numbers (for JSON): the candidate's value, the operator and the bound(s); no
  // operator where nothing was compared.
  std::optional<double> value_number;
  std::string op;
  std::vector<double> bounds;
  bool bound_list = false;  // `in` / `not in`: bounds is a list
};

struct GateReport {
  std::vector<GateRow> rows;
  bool passed = true;
  // One "Gate:" trailer per row: "metrics.auc >= 0.9: pass (value 0.93, bound >= 0.9)".
  std::vector<std::string> trailers() const;
};

// Exit 2 unless every gate can be evaluated on `candidate` in `model`: each key is metrics.NAME
// and names a metric the candidate recorded, and with a champion rule both the candidate and the
// stage's holder recorded the metric. The message names the metrics that were recorded.
Result<void> check_gates(const Model& model, const Version& candidate, const std::vector<tracking::Query>& requires_,
                         const std::optional<ChampionRule>& champion);

GateReport evaluate_gates(const Model& model, const Version& candidate, const std::vector<tracking::Query>& requires_,
                          const std::optional<ChampionRule>& champion);

// Whether a metric's name says that lower values are better (loss, error, rmse, mae, ...).
bool sounds_lower_is_better(std::string_view metric);

}  // namespace mlops::registry
