#pragma once
// The HTML document around a view, for the report file and for `mlops ui`: the same markup, style
// and script; only how the style and script arrive differs.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mlops::view {

enum class PageAssets {
  inline_,  // one self-contained file: <style> and <script> in the page, a CSP that fetches nothing
  linked,   // served: /static/page.css and /static/page.js (the server's CSP allows 'self' only)
};

struct Page {
  std::string title;                                               // plain text (escaped here)
  std::string nav;                                                 // HTML: the <li> items of the navigation
  std::string body;                                                // HTML: what goes into <main>
  nlohmann::ordered_json data = nlohmann::ordered_json::object();  // for the script (charts)
  int refresh_seconds = 0;                                         // > 0: the page reloads itself (a run still logging)
};

std::string render_page(const Page& page, PageAssets assets);

}  // namespace mlops::view
