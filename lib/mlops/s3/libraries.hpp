#pragma once
// libcurl and libcrypto, loaded on first use (cmake/lazy_s3.cmake) so that commands without an S3
// remote never load them. Client::open calls load_libraries() before anything else, so a missing
// library is an ordinary error (exit 3, naming the package to install) rather than a throw from
// the middle of a transfer.
#include "mlops/core/error.hpp"

namespace mlops::s3 {

// Loads both libraries (when built lazily) and initialises libcurl once; thread-safe. A failure
// is remembered and returned to every caller.
Result<void> load_libraries();

}  // namespace mlops::s3
