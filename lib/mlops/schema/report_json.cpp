// The JSON rendering of a schema check (report.hpp); its shape is documented in docs/schema.md.
#include "mlops/schema/report.hpp"

namespace mlops::schema {

nlohmann::ordered_json render_json(const CheckReport& report, bool strict) {
  nlohmann::ordered_json doc;
  doc["data"] = report.data;
  doc["schema"] = report.schema;
  doc["rows"] = report.rows;
  doc["strict"] = strict;
  doc["passed"] = !report.failed(strict);
  doc["failed_errors"] = report.failed_count(Severity::error);
  doc["failed_warnings"] = report.failed_count(Severity::warn);
  auto checks = nlohmann::ordered_json::array();
  for (const auto& c : report.checks) {
    nlohmann::ordered_json j;
    j["column"] = c.column.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.column);
    j["check"] = c.check;
    j["expected"] = c.expected;
    j["severity"] = to_string(c.severity);
    j["mostly"] = c.mostly;
    j["status"] = to_string(c.status);
    if (!c.note.empty()) j["note"] = c.note;
    j["element_count"] = c.elements;
    j["missing_count"] = c.missing;
    j["unexpected_count"] = c.unexpected;
    j["unexpected_share"] = c.unexpected_share;
    auto examples = nlohmann::ordered_json::array();
    for (const auto& e : c.examples) {
      nlohmann::ordered_json x;
      x["value"] = e.missing ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.value);
      x["row"] = e.row ? nlohmann::ordered_json(e.row) : nlohmann::ordered_json(nullptr);
      if (e.first_row) x["first_row"] = e.first_row;
      examples.push_back(std::move(x));
    }
    j["examples"] = std::move(examples);
    checks.push_back(std::move(j));
  }
  doc["checks"] = std::move(checks);
  return doc;
}

}  // namespace mlops::schema
