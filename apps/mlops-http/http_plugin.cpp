// The HTTP plugin of `mlops ui`: Debian's cpp-httplib behind the C interface of
// lib/mlops/view/http_abi.h. It only moves requests and responses: every decision (routes, the
// Host check, headers, pages) is mlops's, in lib/mlops/view/ui_server.cpp.
#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
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
  bool gzip_accepted = false;
  bool answered = false;
};

// Whether the client takes gzip: a "gzip" coding in Accept-Encoding whose q is not 0.
bool accepts_gzip(const std::string& accept_encoding) {
  for (std::size_t start = 0; start < accept_encoding.size();) {
    std::size_t end = std::min(accept_encoding.find(',', start), accept_encoding.size());
    std::string coding;
    for (char c : accept_encoding.substr(start, end - start)) {
      if (c != ' ' && c != '\t') coding += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    start = end + 1;
    if (coding != "gzip" && !coding.starts_with("gzip;")) continue;
    auto q = coding.find(";q=");
    return q == std::string::npos || std::strtod(coding.c_str() + q + 3, nullptr) > 0;
  }
  return false;
}

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/javascript") || content_type.starts_with("image/svg+xml");
}

// `body` as a gzip stream at zlib's fastest level; empty when zlib fails.
std::string gzip(const std::string& body) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string packed(deflateBound(&stream, body.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(packed.data());
  stream.avail_out = static_cast<uInt>(packed.size());
  bool done = deflate(&stream, Z_FINISH) == Z_STREAM_END;
  packed.resize(done ? stream.total_out : 0);
  deflateEnd(&stream);
  return packed;
}

// The body goes through a content provider of known length, which cpp-httplib sends as it is:
// its own compression of a plain body picks brotli at quality 11 whenever the browser offers
// "br", which took 150 ms of the Runs page's 54 KB (a quarter of the page's first paint). gzip
// at level 1 takes well under a millisecond and packs the same page about tenfold.
void respond(void* opaque, const mlops_http_response* answer) {
  auto* reply = static_cast<Reply*>(opaque);
  if (reply->answered) return;
  reply->answered = true;
  auto& response = *reply->response;
  response.status = answer->status;
  for (size_t i = 0; i < answer->headers; ++i) response.set_header(answer->header_names[i], answer->header_values[i]);
  auto body = std::make_shared<std::string>(answer->body, answer->body_size);
  if (compressible(answer->content_type)) {
    response.set_header("Vary", "Accept-Encoding");
    constexpr std::size_t kWorthPacking = 1024;
    if (reply->gzip_accepted && body->size() >= kWorthPacking) {
      if (std::string packed = gzip(*body); !packed.empty()) {
        *body = std::move(packed);
        response.set_header("Content-Encoding", "gzip");
      }
    }
  }
  if (body->empty()) {
    response.set_content(std::string(), answer->content_type);
    return;
  }
  response.set_content_provider(body->size(), answer->content_type,
                                [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                  return sink.write(body->data() + offset, length);
                                });
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
  Reply reply{&response, accepts_gzip(request.get_header_value("Accept-Encoding"))};
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
