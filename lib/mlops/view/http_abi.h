#pragma once
/* The C interface between mlops and its HTTP plugin (apps/mlops-http/, over Debian's cpp-httplib).
   mlops loads the plugin with dlopen() for `mlops ui` only, so no other command loads cpp-httplib and
   what it links (libssl, brotli, a shared libstdc++), and no C++ object crosses the boundary.

   Contract: the plugin calls `handler` once per request, on one of its threads; the handler
   answers by calling `respond(reply, response)` exactly once before it returns (the plugin copies
   what it needs). Strings are NUL-terminated except the body, which has a size. */
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MLOPS_HTTP_ABI_VERSION 1

struct mlops_http_request {
  const char* method; /* "GET", "HEAD", "POST", ... */
  const char* path;   /* decoded, without the query: "/run/01m8..." */
  const char* host;   /* the Host header, "" when absent */
  size_t params;      /* query parameters, decoded, in order; a key may repeat */
  const char* const* param_keys;
  const char* const* param_values;
};

struct mlops_http_response {
  int status;
  const char* content_type;
  const char* body;
  size_t body_size;
  size_t headers;
  const char* const* header_names;
  const char* const* header_values;
};

typedef void (*mlops_http_respond)(void* reply, const struct mlops_http_response* response);
typedef void (*mlops_http_handler)(void* context, const struct mlops_http_request* request, mlops_http_respond respond,
                                   void* reply);

/* The plugin's functions, looked up by these names. */
typedef int (*mlops_http_abi_version_fn)(void);
/* A server that hands every request to `handler`; NULL when it cannot be made. */
typedef void* (*mlops_http_create_fn)(mlops_http_handler handler, void* context);
/* Binds host:port (port 0: any free port); returns the port, or -1 (errno set). */
typedef int (*mlops_http_bind_fn)(void* server, const char* host, int port);
/* Serves until stopped; returns 0 when stopped, -1 on failure. */
typedef int (*mlops_http_listen_fn)(void* server);
/* Makes listen() return (from any thread). */
typedef void (*mlops_http_stop_fn)(void* server);
typedef void (*mlops_http_destroy_fn)(void* server);

#ifdef __cplusplus
}
#endif
