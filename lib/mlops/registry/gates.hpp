#pragma once
// Promotion gates: conditions on a version's recorded metrics that must hold before a stage is
// assigned. `--require` takes the filter language of `mlops runs list --where`
// (tracking/query.hpp) evaluated on the version's `Metric:` trailers (keys metrics.NAME);
// `--better-than STAGE --metric M` is the champion/challenger rule: the candidate's M must beat
// the M of the version in STAGE (higher, or lower with --lower-is-better).
#include <optional>
#include <string>
#include <vector>

#include "mlops/registry/state.hpp"
#include "mlops/tracking/query.hpp"

namespace mlops::registry {

struct ChampionRule {
  std::string stage;
  std::string metric;
  bool lower_is_better = false;
};

struct GateRow {
  std::string gate;   // "metrics.auc >= 0.9", "auc better than production (v0.0.1)"
  std::string value;  // the candidate's value; "missing" when it has none
  std::string bound;  // ">= 0.9", "> 0.91"
  bool passed = false;
};

struct GateReport {
  std::vector<GateRow> rows;
  bool passed = true;
  // One "Gate:" trailer per row: "metrics.auc >= 0.9: pass (value 0.93)".
  std::vector<std::string> trailers() const;
};

GateReport evaluate_gates(const Model& model, const Version& candidate, const std::vector<tracking::Query>& requires_,
                          const std::optional<ChampionRule>& champion);

}  // namespace mlops::registry
