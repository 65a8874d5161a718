#pragma once
// `mlops ui`'s pages and rules, apart from any socket (ui_server.hpp serves them): a request in, a
// response out, so the unit tests can check every rule directly.
//
// Rules: read-only (GET and HEAD only, 405 for anything else; the store is opened per request and
// never written); a request whose Host header is not one of the allowed hosts is refused (403),
// which defeats DNS rebinding (ui_hosts.hpp); every response carries a strict Content-Security-Policy (nothing
// but this server's own style and script), nosniff, no referrer, no framing.
#include <string>
#include <utility>
#include <vector>

#include "mlops/core/repo.hpp"
#include "mlops/view/ui_hosts.hpp"

namespace mlops::view {

struct UiRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string host;  // the Host header
  std::vector<std::pair<std::string, std::string>> params;

  // The first value of parameter `key`, "" when absent; all of them.
  std::string param(std::string_view key) const;
  std::vector<std::string> params_of(std::string_view key) const;
};

struct UiResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The Content-Security-Policy of every response.
inline constexpr std::string_view kUiPolicy =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

// The runs page shows this many runs at a time (the rest are a page away).
inline constexpr std::size_t kRunsPerPage = 100;
// Without chosen columns, the runs page shows at most this many that vary (metrics first).
inline constexpr std::size_t kDefaultColumns = 12;

class UiApp {
 public:
  // `hosts`: the Host header values accepted, lower case ("127.0.0.1:8931", "localhost:8931", ...;
  // allowed_hosts()); a request's Host is compared without regard to case.
  UiApp(Repo repo, std::vector<std::string> hosts) : repo_(std::move(repo)), hosts_(std::move(hosts)) {}
  void set_hosts(std::vector<std::string> hosts) { hosts_ = std::move(hosts); }
  UiResponse handle(const UiRequest& request) const;

 private:
  UiResponse route(const UiRequest& request) const;
  Repo repo_;
  std::vector<std::string> hosts_;
};

}  // namespace mlops::view
