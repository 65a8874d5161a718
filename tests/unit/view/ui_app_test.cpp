#include "mlops/view/ui_app.hpp"

#include <catch2/catch.hpp>

#include "mlops/view/ui_pages.hpp"

using namespace mlops;
using namespace mlops::view;

namespace {

std::string ui_header(const UiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

// A repository without a store: pages that read runs say there are none.
UiApp empty_app() { return UiApp(Repo{"/nonexistent-mlops-ui-test", {}}, allowed_hosts("127.0.0.1", 8931)); }

}  // namespace

TEST_CASE("ui answers only the hosts it is bound to") {
  CHECK(allowed_hosts("127.0.0.1", 80) == std::vector<std::string>{"127.0.0.1:80", "localhost:80", "[::1]:80"});
  CHECK(allowed_hosts("10.1.2.3", 9) == std::vector<std::string>{"10.1.2.3:9"});
  CHECK(allowed_hosts("fe80::1", 9) == std::vector<std::string>{"[fe80::1]:9"});
  auto app = empty_app();
  for (std::string host : {"evil.example", "evil.example:8931", "127.0.0.1:8932", "", "127.0.0.1"}) {
    auto response = app.handle({"GET", "/", host, {}});
    CHECK(response.status == 403);
    CHECK(ui_header(response, "Content-Security-Policy") == kUiPolicy);
  }
  CHECK(app.handle({"GET", "/", "localhost:8931", {}}).status == 200);
  CHECK(app.handle({"GET", "/", "[::1]:8931", {}}).status == 200);
}

TEST_CASE("ui is read-only and strict about what a page may load") {
  auto app = empty_app();
  for (std::string method : {"POST", "PUT", "DELETE", "PATCH"}) {
    auto response = app.handle({method, "/", "127.0.0.1:8931", {}});
    CHECK(response.status == 405);
    CHECK(ui_header(response, "Allow") == "GET, HEAD");
  }
  auto page = app.handle({"GET", "/", "127.0.0.1:8931", {}});
  CHECK(page.body.find("No runs yet") != std::string::npos);
  CHECK(ui_header(page, "X-Content-Type-Options") == "nosniff");
  CHECK(ui_header(page, "X-Frame-Options") == "DENY");
  CHECK(std::string(kUiPolicy).starts_with("default-src 'none'"));
  CHECK(page.body.find("<script src=\"/static/page.js\"></script>") != std::string::npos);
  CHECK(page.body.find("<style>") == std::string::npos);  // no inline style: the CSP forbids it
  CHECK(app.handle({"GET", "/static/page.js", "127.0.0.1:8931", {}}).content_type.starts_with("text/javascript"));
  CHECK(app.handle({"GET", "/static/page.css", "127.0.0.1:8931", {}}).content_type.starts_with("text/css"));
  auto missing = app.handle({"GET", "/<script>", "127.0.0.1:8931", {}});
  CHECK(missing.status == 404);
  CHECK(missing.body.find("<script>") == std::string::npos);
}

TEST_CASE("ui shows a malformed filter with its caret") {
  auto response = empty_app().handle({"GET", "/", "127.0.0.1:8931", {{"where", "params.lr >"}}});
  CHECK(response.status == 400);
  CHECK(response.body.find("malformed filter at position 11") != std::string::npos);
  CHECK(response.body.find("             ^</pre>") != std::string::npos);
  CHECK(response.body.find("value=\"params.lr &gt;\"") != std::string::npos);
}

TEST_CASE("ui query strings are percent-encoded") {
  CHECK(query_string({{"where", "metrics.acc > 0.9"}, {"page", ""}, {"sort", "-id"}}) ==
        "where=metrics.acc%20%3E%200.9&sort=-id");
  CHECK(query_string({{"a&b", "c=d"}}) == "a%26b=c%3Dd");
}
