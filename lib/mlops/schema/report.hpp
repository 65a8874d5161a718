#pragma once
// The renderings of a schema check report: lines for a terminal, one JSON document (its shape is
// in docs/schema.md), Markdown for a CI comment, and a self-contained HTML page.
#include <nlohmann/json.hpp>
#include <string>

#include "mlops/schema/check.hpp"

namespace mlops::schema {

// The failed and skipped checks, then a summary line; `color` paints failures.
std::string render_text(const CheckReport& report, bool strict, bool color);
nlohmann::ordered_json render_json(const CheckReport& report, bool strict);
std::string render_markdown(const CheckReport& report, bool strict);
std::string render_html(const CheckReport& report, bool strict);

// "3 (0.3%)": the unexpected count and share.
std::string unexpected_words(const CheckResult& c);
// "-3 (row 17), 250 (row 88)"; "null (row 4)"; a table check's names.
std::string examples_words(const CheckResult& c);

}  // namespace mlops::schema
