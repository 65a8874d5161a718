// The resolvers the trampolines of cmake/lazy_s3.cmake call on the first call of each libcurl or
// libcrypto function. Built only with MLOPS_LAZY_S3.
#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/lazy_library.hpp"

extern "C" {
extern void* mlops_libcurl_table[];
extern const char mlops_libcurl_names[];
extern void* mlops_libcrypto_table[];
extern const char mlops_libcrypto_names[];
__attribute__((visibility("hidden"))) void* mlops_libcurl_resolve(std::size_t index);
__attribute__((visibility("hidden"))) void* mlops_libcrypto_resolve(std::size_t index);
}

namespace mlops::s3 {

namespace {

std::string install_hint(std::string_view soname, std::string_view package) {
  if (package.empty()) return fmt::format("S3 remotes need '{}'; install the package that provides it", soname);
  return fmt::format("S3 remotes need '{}' (on Debian: 'apt-get install {}')", soname, package);
}

LazyLibrary& libcurl() {
  static LazyLibrary library(MLOPS_LIBCURL_SONAME, mlops_libcurl_names, mlops_libcurl_table,
                             install_hint(MLOPS_LIBCURL_SONAME, MLOPS_LIBCURL_PACKAGE));
  return library;
}

LazyLibrary& libcrypto() {
  static LazyLibrary library(MLOPS_LIBCRYPTO_SONAME, mlops_libcrypto_names, mlops_libcrypto_table,
                             install_hint(MLOPS_LIBCRYPTO_SONAME, MLOPS_LIBCRYPTO_PACKAGE));
  return library;
}

}  // namespace

Result<void> load_lazy_libraries() {
  MLOPS_TRY(libcurl().load());
  MLOPS_TRY(libcrypto().load());
  // Every function is looked up now, on this thread: a libcurl or libcrypto that lacks one is then
  // an error here, never a throw from inside a transfer.
  for (std::size_t i = 0; i < libcrypto().size(); ++i) MLOPS_TRY(libcrypto().resolve(i));
  return {};
}

}  // namespace mlops::s3

void* mlops_libcurl_resolve(std::size_t index) { return mlops::unwrap(mlops::s3::libcurl().resolve(index)); }
void* mlops_libcrypto_resolve(std::size_t index) { return mlops::unwrap(mlops::s3::libcrypto().resolve(index)); }
