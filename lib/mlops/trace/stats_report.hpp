#pragma once
// `trace stats` output: the terminal table, the JSON document (docs/traces.md), Markdown, HTML.
#include <nlohmann/json.hpp>
#include <string>

#include "mlops/trace/stats.hpp"

namespace mlops::trace {

// A number for people: integers as integers, else up to 4 significant digits ("0.0213", "1530").
std::string short_number(double value);

nlohmann::ordered_json group_json(const GroupStats& g);
nlohmann::ordered_json stats_json(const StatsReport& report);
std::string stats_table(const StatsReport& report);
std::string stats_markdown(const StatsReport& report);
std::string stats_html(const StatsReport& report);

// What the report cannot say for sure, one sentence a line (unpriced models, bad lines, spans
// without timing, unmatched evaluations): printed as warnings.
std::vector<std::string> stats_warnings(const StatsReport& report);

}  // namespace mlops::trace
