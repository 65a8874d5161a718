#pragma once
// Whether libgit2 can be used. With MLOPS_LAZY_LIBGIT2 the library is not linked but loaded on
// first use (cmake/lazy_libgit2.cmake); Repository::open calls load_libgit2() first, so that a
// missing or broken libgit2 is an ordinary error (exit 3) rather than a failure inside a call.
#include "mlops/core/error.hpp"

namespace mlops::git {

#ifdef MLOPS_LAZY_LIBGIT2
Result<void> load_libgit2();
#else
inline Result<void> load_libgit2() { return {}; }
#endif

}  // namespace mlops::git
