#include "mlops/core/lazy_library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstring>

namespace mlops {

LazyLibrary::LazyLibrary(std::string soname, const char* names, void** table, std::string install_hint)
    : soname_(std::move(soname)), table_(table), install_hint_(std::move(install_hint)) {
  for (const char* name = names; *name; name += std::strlen(name) + 1) names_.emplace_back(name);
}

Result<void> LazyLibrary::load() {
  std::call_once(once_, [this] {
    void* handle = ::dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* detail = ::dlerror();
      load_error_ = environment_error(fmt::format("cannot load '{}': {}", soname_, detail ? detail : "unknown error"),
                                      install_hint_);
      return;
    }
    handle_.store(handle, std::memory_order_release);
  });
  if (!handle_.load(std::memory_order_acquire)) return std::unexpected(load_error_);
  return {};
}

Result<void*> LazyLibrary::resolve(std::size_t index) {
  if (index >= names_.size()) {
    return std::unexpected(environment_error(fmt::format("no function number {} in '{}'", index, soname_)));
  }
  void* known = __atomic_load_n(&table_[index], __ATOMIC_ACQUIRE);
  if (known) return known;
  MLOPS_TRY(load());
  // dlsym and dlerror are thread-safe in glibc; two threads may look the same name up at once and
  // store the same address.
  std::string name(names_[index]);
  void* function = ::dlsym(handle_.load(std::memory_order_acquire), name.c_str());
  if (!function) {
    return std::unexpected(environment_error(
        fmt::format("'{}' has no function '{}'", soname_, name),
        fmt::format("install the version of '{}' mlops was built with, or rebuild mlops against the one installed",
                    soname_)));
  }
  // Other threads read a slot without a lock: a release store shows them the whole address.
  __atomic_store_n(&table_[index], function, __ATOMIC_RELEASE);
  return function;
}

}  // namespace mlops
