#include "mlops/view/ui_app.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "mlops/view/assets.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/ui_pages.hpp"

namespace mlops::view {

std::string UiRequest::param(std::string_view key) const {
  for (const auto& [name, value] : params) {
    if (name == key) return value;
  }
  return {};
}

std::vector<std::string> UiRequest::params_of(std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& [name, value] : params) {
    if (name == key) values.push_back(value);
  }
  return values;
}

UiResponse UiApp::handle(const UiRequest& request) const {
  UiResponse response;
  std::string host = request.host;
  std::ranges::transform(host, host.begin(), [](unsigned char c) { return std::tolower(c); });
  if (std::find(hosts_.begin(), hosts_.end(), host) == hosts_.end()) {
    response = error_page(403, "Forbidden host",
                          fmt::format("This server answers to {} only (a name it is reached by can be added with "
                                      "'mlops ui --allow-host NAME').",
                                      fmt::join(hosts_, ", ")));
  } else if (request.method != "GET" && request.method != "HEAD") {
    response = error_page(405, "Method not allowed", "This server is read-only: GET and HEAD only.");
    response.headers.emplace_back("Allow", "GET, HEAD");
  } else {
    response = route(request);
  }
  response.headers.emplace_back("Content-Security-Policy", std::string(kUiPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

UiResponse UiApp::route(const UiRequest& request) const {
  const std::string& path = request.path;
  if (path == "/static/page.css") return {200, "text/css; charset=utf-8", std::string(page_css()), {}};
  if (path == "/static/page.js") return {200, "text/javascript; charset=utf-8", std::string(page_script()), {}};
  if (path == "/" || path == "/runs") return runs_page(repo_, request);
  if (path == "/compare") return compare_page(repo_, request);
  if (path == "/models") return models_page(repo_);
  if (path.starts_with("/run/")) return run_page(repo_, path.substr(5));
  if (path == "/drift") return drift_page(repo_);
  if (path.starts_with("/drift/")) return drift_report_page(repo_, path.substr(7));
  return error_page(404, "Not found", fmt::format("Nothing is at {}.", path));
}

}  // namespace mlops::view
