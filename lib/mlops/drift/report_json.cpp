#include <cmath>

#include "mlops/drift/report.hpp"

namespace mlops::drift {

namespace {

// JSON has no NaN or infinity: a missing p-value is null, an infinite statistic the string "inf".
nlohmann::ordered_json number(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

}  // namespace

nlohmann::ordered_json render_json(const Report& report) {
  nlohmann::ordered_json doc;
  doc["reference"] = {{"source", report.reference}, {"rows", report.reference_rows}};
  doc["current"] = {{"source", report.current}, {"rows", report.current_rows}};
  doc["dataset_drift"] = report.dataset_drift;
  doc["fail_on"] = to_string(report.fail_on);
  doc["failed"] = report.failed();
  doc["drift_share"] = report.drift_share;
  doc["drifted_columns"] = report.drifted;
  doc["checked_columns"] = report.columns.size();
  doc["share_drifted"] = report.share();
  auto columns = nlohmann::ordered_json::array();
  for (const auto& c : report.columns) {
    nlohmann::ordered_json col;
    col["name"] = c.name;
    col["role"] = to_string(c.role);
    col["type"] = to_string(c.type);
    col["method"] = to_string(c.method);
    if (c.instead_of) col["instead_of"] = to_string(*c.instead_of);  // a profile has no sample for it
    col["statistic"] = number(c.statistic);
    col["p_value"] = number(c.p_value);
    col["threshold"] = c.threshold;
    col["drifted"] = c.drifted;
    col["values"] = {{"reference", c.reference_values}, {"current", c.current_values}};
    col["distinct"] = c.distinct;
    col["missing"] = {{"reference", c.reference_missing},
                      {"current", c.current_missing},
                      {"reference_share", c.reference_missing_share()},
                      {"current_share", c.current_missing_share()},
                      {"changed", c.missing_changed}};
    col["non_finite"] = {{"reference", c.reference_non_finite}, {"current", c.current_non_finite}};
    col["unseen_categories"] = c.unseen;
    if (c.constant_reference) col["constant_reference"] = true;
    if (!c.stats.empty()) {
      nlohmann::ordered_json stats = nlohmann::ordered_json::object();
      for (const auto& s : c.stats)
        stats[std::string(to_string(s.method))] = {{"statistic", number(s.statistic)}, {"p_value", number(s.p_value)}};
      col["stats"] = std::move(stats);
    }
    columns.push_back(std::move(col));
  }
  doc["columns"] = std::move(columns);
  auto skipped = nlohmann::ordered_json::array();
  for (const auto& s : report.skipped) skipped.push_back({{"name", s.name}, {"reason", s.reason}});
  doc["skipped"] = std::move(skipped);
  return doc;
}

}  // namespace mlops::drift
