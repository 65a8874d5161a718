#pragma once
// Writing user text into HTML safely: every run name, param, tag, log line and file name that a
// page shows goes through escape(); data handed to a page's script goes through script_json().
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mlops/core/html_escape.hpp"

namespace mlops::view {

// Text for an HTML element or a quoted attribute value: & < > " ' become entities. Bytes that are
// not valid UTF-8 become U+FFFD, so that every page is valid UTF-8 whatever a run recorded.
inline std::string escape(std::string_view text) { return html_escape(text); }

// A JSON document for a <script type="application/json"> element: < > & and U+2028/U+2029 are
// written as \u escapes, so no value can close the element or start a comment; invalid UTF-8 is
// replaced. Keys keep their order, so the same document gives the same bytes.
std::string script_json(const nlohmann::ordered_json& document);

}  // namespace mlops::view
