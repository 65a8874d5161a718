#pragma once
// The four renderings of a drift Report: a terminal table, one JSON document (schema in
// docs/drift.md), Markdown for a CI comment, and a self-contained HTML page with inline SVG charts.
#include <nlohmann/json.hpp>
#include <string>

#include "mlops/drift/check.hpp"

namespace mlops::drift {

// `paint` colours a cell: whether drifted (red) or not (green); identity when colour is off.
std::string render_table(const Report& report, bool color);
nlohmann::ordered_json render_json(const Report& report);
std::string render_markdown(const Report& report);
std::string render_html(const Report& report);

// "0.0123", "1.2e-08", "inf"; a dash for NaN.
std::string format_number(double v);

}  // namespace mlops::drift
