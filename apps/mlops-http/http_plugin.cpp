// The HTTP plugin of `mlops ui`: Debian's cpp-httplib behind the C interface of
// lib/mlops/view/http_abi.h. It only moves requests and responses: every decision (routes, the
// Host check, headers, pages) is mlops's, in lib/mlops/view/ui_server.cpp.
#include <httplib.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "mlops/view/http_abi.h"

namespace {

struct Plugin {
  httplib::Server server;
  mlops_http_handler handler = nullptr;
  void* context = nullptr;
};

struct Reply {
  httplib::Response* response;
  bool answered = false;
};

void respond(void* opaque, const mlops_http_response* answer) {
  auto* reply = static_cast<Reply*>(opaque);
  if (reply->answered) return;
  reply->answered = true;
  auto& response = *reply->response;
  response.status = answer->status;
  for (size_t i = 0; i < answer->headers; ++i) response.set_header(answer->header_names[i], answer->header_values[i]);
  response.set_content(std::string(answer->body, answer->body_size), answer->content_type);
}

void dispatch(Plugin& plugin, const httplib::Request& request, httplib::Response& response) {
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : request.params) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  std::string host = request.get_header_value("Host");
  mlops_http_request given{request.method.c_str(), request.path.c_str(), host.c_str(), keys.size(), keys.data(),
                           values.data()};
  Reply reply{&response};
  plugin.handler(plugin.context, &given, respond, &reply);
  if (!reply.answered) response.status = 500;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int mlops_http_abi_version() { return MLOPS_HTTP_ABI_VERSION; }

__attribute__((visibility("default"))) void* mlops_http_create(mlops_http_handler handler, void* context) {
  auto plugin = std::make_unique<Plugin>();
  plugin->handler = handler;
  plugin->context = context;
  Plugin* raw = plugin.get();
  // Every method reaches mlops, which answers 405 to all but GET and HEAD.
  auto all = [raw](const httplib::Request& request, httplib::Response& response) {
    dispatch(*raw, request, response);
    return httplib::Server::HandlerResponse::Handled;
  };
  raw->server.set_pre_routing_handler(all);
  raw->server.set_keep_alive_max_count(1);
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second server on the
  // same port would share it silently instead of failing.
  raw->server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  return plugin.release();
}

__attribute__((visibility("default"))) int mlops_http_bind(void* server, const char* host, int port) {
  auto& plugin = *static_cast<Plugin*>(server);
  if (port == 0) return plugin.server.bind_to_any_port(host);
  return plugin.server.bind_to_port(host, port) ? port : -1;
}

__attribute__((visibility("default"))) int mlops_http_listen(void* server) {
  return static_cast<Plugin*>(server)->server.listen_after_bind() ? 0 : -1;
}

__attribute__((visibility("default"))) void mlops_http_stop(void* server) {
  static_cast<Plugin*>(server)->server.stop();
}

__attribute__((visibility("default"))) void mlops_http_destroy(void* server) { delete static_cast<Plugin*>(server); }
}
