#include "mlops/view/ui_server.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "mlops/view/http_abi.h"

namespace mlops::view {

namespace {

namespace fs = std::filesystem;

struct HttpPlugin {
  mlops_http_create_fn create = nullptr;
  mlops_http_bind_fn bind = nullptr;
  mlops_http_listen_fn listen = nullptr;
  mlops_http_stop_fn stop = nullptr;
  mlops_http_destroy_fn destroy = nullptr;
};

// Beside the binary (a build folder), else in ../lib/mlops/ (an installed tree: PREFIX/bin/mlops,
// PREFIX/lib/mlops/mlops-http.so). The binary is found through /proc/self/exe, so a symlink to it
// elsewhere still finds the plugin beside the real file.
Result<HttpPlugin> load_plugin() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  std::vector<fs::path> candidates;
  if (!error) {
    candidates.push_back(exe.parent_path() / "mlops-http.so");
    candidates.push_back(exe.parent_path().parent_path() / "lib" / "mlops" / "mlops-http.so");
  }
  std::string tried;
  for (const auto& path : candidates) {
    if (!fs::exists(path)) {
      tried += fmt::format("{}{} (missing)", tried.empty() ? "" : ", ", path.string());
      continue;
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      return std::unexpected(Error{Exit::environment, fmt::format("cannot load '{}': {}", path.string(), ::dlerror()),
                                   "install libcpp-httplib0.11 (Debian's cpp-httplib), which 'mlops ui' needs"});
    }
    auto symbol = [&](const char* name) { return ::dlsym(handle, name); };
    auto version = reinterpret_cast<mlops_http_abi_version_fn>(symbol("mlops_http_abi_version"));
    HttpPlugin plugin{reinterpret_cast<mlops_http_create_fn>(symbol("mlops_http_create")),
                      reinterpret_cast<mlops_http_bind_fn>(symbol("mlops_http_bind")),
                      reinterpret_cast<mlops_http_listen_fn>(symbol("mlops_http_listen")),
                      reinterpret_cast<mlops_http_stop_fn>(symbol("mlops_http_stop")),
                      reinterpret_cast<mlops_http_destroy_fn>(symbol("mlops_http_destroy"))};
    if (!version || version() != MLOPS_HTTP_ABI_VERSION || !plugin.create || !plugin.bind || !plugin.listen ||
        !plugin.stop || !plugin.destroy) {
      return std::unexpected(Error{Exit::environment,
                                   fmt::format("'{}' is not this mlops's HTTP plugin", path.string()),
                                   "reinstall mlops: its plugin comes from the same build"});
    }
    return plugin;
  }
  return std::unexpected(Error{Exit::environment,
                               fmt::format("mlops's HTTP plugin is not installed (looked for {})", tried),
                               "mlops-http.so is built beside mlops; 'cmake --install' and the package put it in "
                               "PREFIX/lib/mlops/ for PREFIX/bin/mlops: copy it to one of the places above"});
}

void handle_request(void* context, const mlops_http_request* given, mlops_http_respond respond, void* reply) {
  const auto& app = *static_cast<const UiApp*>(context);
  UiRequest request;
  request.method = given->method;
  request.path = given->path;
  request.host = given->host;
  for (std::size_t i = 0; i < given->params; ++i)
    request.params.emplace_back(given->param_keys[i], given->param_values[i]);
  UiResponse response;
  try {
    response = app.handle(request);
  } catch (const std::exception& failure) {
    response = {500, "text/plain; charset=utf-8", fmt::format("internal error: {}\n", failure.what()), {}};
  }
  std::vector<const char*> names, values;
  for (const auto& [name, value] : response.headers) {
    names.push_back(name.c_str());
    values.push_back(value.c_str());
  }
  mlops_http_response answer{response.status,      response.content_type.c_str(),
                             response.body.data(), response.body.size(),
                             names.size(),         names.data(),
                             values.data()};
  respond(reply, &answer);
}

}  // namespace

Result<void> serve_ui(UiApp& app, const ServeSettings& settings, const std::function<void(int port)>& ready) {
  auto plugin = load_plugin();
  if (!plugin) return std::unexpected(plugin.error());
  void* server = plugin->create(handle_request, &app);
  if (!server) return std::unexpected(Error{Exit::environment, "cannot start the HTTP server", {}});
  int port = plugin->bind(server, settings.host.c_str(), settings.port);
  if (port < 0) {
    int code = errno;
    plugin->destroy(server);
    // The address not being this machine's is not cured by another port.
    std::string hint = code == EADDRNOTAVAIL ? fmt::format(
                                                   "'{}' is not an address of this machine: give one of its addresses "
                                                   "('hostname -I' lists them), 0.0.0.0 for all of them, or 127.0.0.1",
                                                   settings.host)
                                             : "pick another port with --port N (0: any free port)";
    return std::unexpected(Error{Exit::environment,
                                 fmt::format("cannot listen on {}:{}{}", settings.host, settings.port,
                                             code ? fmt::format(": {}", std::strerror(code)) : std::string()),
                                 hint});
  }
  app.set_hosts(allowed_hosts(settings.host, port, this_machine(), settings.allow_hosts));
  // SIGINT and SIGTERM stop the server: blocked here (the server's threads inherit the mask) and
  // waited for by one thread, which asks the server to stop.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // They stay blocked afterwards: the command ends once the server has stopped, and a second
  // signal then pending must not kill it halfway.
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    signalled = true;
    plugin->stop(server);
  });
  ready(port);
  int served = plugin->listen(server);
  // listen() may also end by itself (an error): wake the waiter.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  plugin->destroy(server);
  if (served != 0) return std::unexpected(Error{Exit::environment, "the HTTP server stopped on an error", {}});
  return {};
}

}  // namespace mlops::view
