#include "mlops/view/ui_app.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <limits>

#include "mlops/drift/kept.hpp"
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
  CHECK(app.handle({"GET", "/", "LocalHost:8931", {}}).status == 200);  // names have no case
}

TEST_CASE("ui bound beyond loopback answers the machine's own addresses and names, not others") {
  MachineNames machine{{"box.lan", "box"}, {"127.0.0.1", "192.0.2.2", "fd00::2"}};
  auto wildcard = allowed_hosts("0.0.0.0", 8945, machine);
  for (std::string host : {"127.0.0.1:8945", "localhost:8945", "192.0.2.2:8945", "box.lan:8945", "box:8945"}) {
    CHECK(std::ranges::find(wildcard, host) != wildcard.end());
  }
  CHECK(std::ranges::find(wildcard, "[fd00::2]:8945") == wildcard.end());  // 0.0.0.0 is IPv4 only
  auto both = allowed_hosts("::", 8945, machine);
  CHECK(std::ranges::find(both, "[fd00::2]:8945") != both.end());
  // A name the machine does not know is what a rebinding attack sends: refused, as is another port.
  UiApp app(Repo{"/nonexistent-mlops-ui-test", {}}, wildcard);
  for (std::string host : {"evil.example:8945", "0.0.0.0:8945", "192.0.2.2:8946", "192.0.2.3:8945"}) {
    CHECK(app.handle({"GET", "/", host, {}}).status == 403);
  }
  CHECK(app.handle({"GET", "/", "BOX:8945", {}}).status == 200);
  // One address: that address and the host name, not the loopback names it cannot be reached by.
  CHECK(allowed_hosts("192.0.2.2", 9, machine) == std::vector<std::string>{"192.0.2.2:9", "box.lan:9", "box:9"});
  // Loopback: never the host name, which another machine's DNS could point elsewhere.
  CHECK(allowed_hosts("127.0.0.1", 9, machine) == std::vector<std::string>{"127.0.0.1:9", "localhost:9", "[::1]:9"});
  // --allow-host: NAME accepts NAME (a reverse proxy on the default port) and NAME:PORT; NAME:N exactly.
  CHECK(allowed_hosts("127.0.0.1", 9, {}, {"ML.example.com", "proxy:443", "fd00::7"}) ==
        std::vector<std::string>{"127.0.0.1:9", "localhost:9", "[::1]:9", "ml.example.com", "ml.example.com:9",
                                 "proxy:443", "[fd00::7]", "[fd00::7]:9"});
  CHECK(reachable_url("0.0.0.0", 9, machine) == "http://192.0.2.2:9/");
  CHECK(reachable_url("0.0.0.0", 9, {}) == "http://127.0.0.1:9/");
  CHECK(reachable_url("fd00::2", 9, machine) == "http://[fd00::2]:9/");
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

TEST_CASE("ui's Drift page lists kept drift reports and draws each with escaped names") {
  std::string pattern = (std::filesystem::temp_directory_path() / "mlops-ui-drift-XXXXXX").string();
  Repo repo{::mkdtemp(pattern.data()), {}};
  std::filesystem::create_directories(repo.tmp());
  UiApp app(repo, allowed_hosts("127.0.0.1", 8931));
  auto empty = app.handle({"GET", "/drift", "127.0.0.1:8931", {}});
  CHECK(empty.status == 200);
  CHECK(empty.body.find("No drift reports kept yet") != std::string::npos);

  drift::Report report;
  report.reference = "data/<ref>.csv";
  report.current = "cur.csv";
  drift::ColumnResult column;
  column.name = "<script>alert(1)</script>";
  column.statistic = std::numeric_limits<double>::infinity();
  column.threshold = 0.1;
  column.drifted = true;
  column.histogram = {{"a", "<b>"}, {0.5, 0.5}, {0.1, 0.9}};
  report.columns.push_back(column);
  report.drifted = 1;
  report.dataset_drift = true;
  auto id = drift::keep_report(repo, report, 1'764'627'330);
  REQUIRE(id);

  auto list = app.handle({"GET", "/drift", "127.0.0.1:8931", {}});
  CHECK(list.status == 200);
  CHECK(list.body.find(fmt::format("href=\"/drift/{}\"", *id)) != std::string::npos);
  CHECK(list.body.find("data/&lt;ref&gt;.csv") != std::string::npos);
  CHECK(list.body.find("Dataset drift detected") != std::string::npos);
  CHECK(list.body.find("1 of 1") != std::string::npos);

  auto page = app.handle({"GET", "/drift/" + *id, "127.0.0.1:8931", {}});
  CHECK(page.status == 200);
  CHECK(page.body.find("<script>alert") == std::string::npos);
  CHECK(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page.body.find("<svg") != std::string::npos);
  CHECK(page.body.find("class=\"bar s1\"") != std::string::npos);
  CHECK(page.body.find("<td>&lt;b&gt;</td><td class=\"num\">50.00%</td><td class=\"num\">90.00%</td>") !=
        std::string::npos);
  CHECK(page.body.find(">inf<") != std::string::npos);

  CHECK(app.handle({"GET", "/drift/20251201-000000-0000", "127.0.0.1:8931", {}}).status == 404);
  CHECK(app.handle({"GET", "/drift/../config", "127.0.0.1:8931", {}}).status == 404);
  std::filesystem::remove_all(repo.root);
}
