// curl_global_init must run once per process before any other libcurl call, and before threads
// use libcurl; load_libraries() is the one place that does it.
#include "mlops/s3/libraries.hpp"

#include <curl/curl.h>

#include <mutex>

#include "mlops/core/error.hpp"

namespace mlops::s3 {

#ifdef MLOPS_LAZY_S3
Result<void> load_lazy_libraries();  // libraries_lazy.cpp
#endif

Result<void> load_libraries() {
#ifdef MLOPS_LAZY_S3
  MLOPS_TRY(load_lazy_libraries());
#endif
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (code != CURLE_OK) {
    return std::unexpected(environment_error("cannot initialise libcurl", curl_easy_strerror(code)));
  }
  return {};
}

}  // namespace mlops::s3
