#pragma once
// Serving a UiApp over HTTP with the plugin mlops-http.so (http_abi.h), loaded on first use.
#include <functional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/view/ui_app.hpp"

namespace mlops::view {

struct ServeSettings {
  std::string host = "127.0.0.1";
  int port = 8931;                       // 0: any free port
  std::vector<std::string> allow_hosts;  // --allow-host: more Host values to answer (ui_hosts.hpp)
};

// Binds, calls ready(port) once listening, and serves until SIGINT or SIGTERM (then returns).
// The plugin missing or unloadable is an environment error (exit 3) naming the package; an address
// in use or not this machine's is an environment error too, with a hint for each.
Result<void> serve_ui(UiApp& app, const ServeSettings& settings, const std::function<void(int port)>& ready);

}  // namespace mlops::view
