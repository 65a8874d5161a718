#pragma once
// The style sheet and the script of the pages (the report, and `mlops ui`): part of the binary,
// so a page needs nothing from the network. The script only enhances what the HTML already shows
// (charts, tables); it reads its data from <script type="application/json" id="mlops-data"> and
// writes user text with textContent only.
#include <string_view>

namespace mlops::view {

// Light and dark colours (prefers-color-scheme), the series colours s0..s9, tables and charts.
std::string_view page_css();
// Hover values and arrow-key cursor on curves, step/time axis, TensorBoard smoothing, log scale,
// sortable tables.
std::string_view page_script();

}  // namespace mlops::view
