// Loads libgit2 on the first call of any of its functions (see cmake/lazy_libgit2.cmake): the
// commands that never touch git do not pay for loading it and its ~20 dependencies at start-up.
// Built only with MLOPS_LAZY_LIBGIT2; the generated trampolines call mlops_libgit2_load.
#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "mlops/core/error.hpp"
#include "mlops/core/output.hpp"

extern "C" {
extern void* mlops_libgit2_table[];
extern const char mlops_libgit2_names[];
__attribute__((visibility("hidden"))) void mlops_libgit2_load();
}

namespace {

// Called from inside a libgit2 call, where no error can be returned and no exception may pass
// through the trampoline: report and end the process, as cli::main would.
[[noreturn]] void fail(const mlops::Error& error) {
  mlops::out::print_error(error);
  std::exit(static_cast<int>(mlops::Exit::environment));
}

bool load() {
  void* library = ::dlopen(MLOPS_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fail(mlops::environment_error(fmt::format("cannot load libgit2: {}", ::dlerror()),
                                  fmt::format("install the package that provides '{}' (on Debian: libgit2-dev or "
                                              "its run-time package), the version mlops was built with",
                                              MLOPS_LIBGIT2_SONAME)));
  }
  std::size_t index = 0;
  for (const char* name = mlops_libgit2_names; *name; name += std::strlen(name) + 1, ++index) {
    void* function = ::dlsym(library, name);
    if (!function) {
      fail(mlops::environment_error(fmt::format("'{}' has no function '{}'", MLOPS_LIBGIT2_SONAME, name),
                                    "rebuild mlops against the libgit2 installed on this machine"));
    }
    // Other threads read a slot without a lock: a release store shows them the whole address.
    __atomic_store_n(&mlops_libgit2_table[index], function, __ATOMIC_RELEASE);
  }
  return true;
}

}  // namespace

void mlops_libgit2_load() {
  // Thread-safe: concurrent first calls wait here until the table is complete.
  static const bool loaded = load();
  (void)loaded;
}
