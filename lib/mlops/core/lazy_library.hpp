#pragma once
// A shared library loaded on first use, whose functions are looked up one at a time, each on its
// first call (cmake/lazy_library.cmake generates the trampolines that call resolve()). A library
// that cannot be loaded, or lacks a function, is an environment error (exit 3) for the call that
// needed it; the functions it does have keep working.
#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops {

class LazyLibrary {
 public:
  // `soname`: what dlopen() is given (a soname, or a path). `names`: the functions, each
  // NUL-terminated, an empty name last. `table`: one slot per name, filled by resolve().
  // `install_hint`: the hint of the error when the library cannot be loaded.
  LazyLibrary(std::string soname, const char* names, void** table, std::string install_hint);
  LazyLibrary(const LazyLibrary&) = delete;
  LazyLibrary& operator=(const LazyLibrary&) = delete;

  // Loads the library once (thread-safe); a failure is remembered and given again to every caller.
  Result<void> load();
  // The address of function `index`, looked up the first time and kept in its table slot.
  Result<void*> resolve(std::size_t index);

  std::size_t size() const { return names_.size(); }
  std::string_view name(std::size_t index) const { return names_.at(index); }

 private:
  std::string soname_;
  std::vector<std::string_view> names_;
  void** table_;
  std::string install_hint_;
  std::once_flag once_;
  std::atomic<void*> handle_{nullptr};
  Error load_error_;
};

}  // namespace mlops
