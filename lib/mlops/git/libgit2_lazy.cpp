// libgit2 loaded on first use (cmake/lazy_libgit2.cmake): the commands that never touch git do not
// pay for loading it and its ~20 dependencies at start-up. Each function is looked up on its
// first call, so a libgit2 that lacks a function mlops seldom uses breaks only that call.
// Built only with MLOPS_LAZY_LIBGIT2; the generated trampolines call mlops_libgit2_resolve.
#include "mlops/git/libgit2_lazy.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "mlops/core/lazy_library.hpp"

extern "C" {
extern void* mlops_libgit2_table[];
extern const char mlops_libgit2_names[];
__attribute__((visibility("hidden"))) void* mlops_libgit2_resolve(std::size_t index);
}

namespace mlops::git {

namespace {

std::string install_hint() {
  std::string_view package = MLOPS_LIBGIT2_PACKAGE;
  if (package.empty()) {
    return fmt::format("install the package that provides '{}', the libgit2 mlops was built with",
                       MLOPS_LIBGIT2_SONAME);
  }
  return fmt::format("install the package that provides '{}' (on Debian: 'apt-get install {}')", MLOPS_LIBGIT2_SONAME,
                     package);
}

LazyLibrary& libgit2() {
  static LazyLibrary library(MLOPS_LIBGIT2_SONAME, mlops_libgit2_names, mlops_libgit2_table, install_hint());
  return library;
}

}  // namespace

Result<void> load_libgit2() { return libgit2().load(); }

}  // namespace mlops::git

// Called by the trampoline of a function whose slot is still empty. No error can be returned
// through a libgit2 call: a library that will not load or lacks the function throws the error
// as a Failure, which unwinds through the trampoline (it has CFI) to the caller; cli::main prints
// it and exits 3. Repository::open loads the library first, so in practice only a missing
// function gets here.
void* mlops_libgit2_resolve(std::size_t index) { return mlops::unwrap(mlops::git::libgit2().resolve(index)); }
