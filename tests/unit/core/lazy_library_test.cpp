#include "mlops/core/lazy_library.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>

// The trampolines of lazy_library_fixture.cpp (generated in tests/CMakeLists.txt, x86-64 only).
#ifdef MLOPS_LAZY_FIXTURE
extern "C" {
extern void* mlops_fixture_table[];
extern const char mlops_fixture_names[];
void* mlops_fixture_resolve(std::size_t index);
int fixture_sum6(int a, int b, int c, int d, int e, int f);
double fixture_mix(double a, long b, double c, double d, double e, double f, double g, double h, double i);
int fixture_format(char* out, std::size_t size, const char* format, ...);
int fixture_absent(int a);
}

namespace {
mlops::LazyLibrary& fixture_library() {
  static mlops::LazyLibrary library(MLOPS_LAZY_FIXTURE, mlops_fixture_names, mlops_fixture_table, "build the tests");
  return library;
}
}  // namespace

void* mlops_fixture_resolve(std::size_t index) { return mlops::unwrap(fixture_library().resolve(index)); }

TEST_CASE("lazy library: the first and later calls through a trampoline pass every argument", "[lazy_library]") {
  for (int call = 0; call < 2; ++call) {
    CHECK(fixture_sum6(1, 2, 3, 4, 5, 6) == 1 + 4 + 9 + 16 + 25 + 36);
    CHECK(fixture_mix(1.5, 2, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5) == 1.5 + 4 + 9 + 16 + 25 + 36 + 49 + 64 + 85.5);
    char text[64];
    CHECK(fixture_format(text, sizeof text, "%d %.2f %s %.1f", 7, 0.25, "x", 2.5) == 12);
    CHECK(std::string(text) == "7 0.25 x 2.5");
  }
}

TEST_CASE("lazy library: a function the library lacks fails only its own call, as an environment error",
          "[lazy_library]") {
  try {
    (void)fixture_absent(1);
    FAIL("fixture_absent returned");
  } catch (const mlops::Failure& failure) {
    CHECK(failure.error().exit == mlops::Exit::environment);
    CHECK(failure.error().message == "'" MLOPS_LAZY_FIXTURE "' has no function 'fixture_absent'");
    CHECK(!failure.error().hint.empty());
  }
  // The same again (nothing was cached), and the functions the library has still work.
  CHECK_THROWS_AS(fixture_absent(2), mlops::Failure);
  CHECK(fixture_sum6(1, 1, 1, 1, 1, 1) == 21);
}
#endif

TEST_CASE("lazy library: a library that cannot be loaded is an environment error for every call", "[lazy_library]") {
  static const char names[] = "cos\0sin\0";
  void* table[2] = {nullptr, nullptr};
  mlops::LazyLibrary library("libmlops-no-such-library.so.0", names, table, "install it");
  REQUIRE(library.size() == 2);
  CHECK(library.name(1) == "sin");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto loaded = library.load();
    REQUIRE(!loaded);
    CHECK(loaded.error().exit == mlops::Exit::environment);
    CHECK(loaded.error().message.starts_with("cannot load 'libmlops-no-such-library.so.0': "));
    CHECK(loaded.error().hint == "install it");
    auto resolved = library.resolve(0);
    REQUIRE(!resolved);
    CHECK(resolved.error().message == loaded.error().message);
  }
  CHECK(table[0] == nullptr);
}

TEST_CASE("lazy library: each function is looked up on its own", "[lazy_library]") {
  static const char names[] = "cos\0mlops_not_in_libm\0";
  void* table[2] = {nullptr, nullptr};
  mlops::LazyLibrary library("libm.so.6", names, table, "install libc6");
  auto cos_address = library.resolve(0);
  REQUIRE(cos_address);
  CHECK(table[0] == *cos_address);
  CHECK(table[1] == nullptr);
  auto missing = library.resolve(1);
  REQUIRE(!missing);
  CHECK(missing.error().exit == mlops::Exit::environment);
  CHECK(missing.error().message == "'libm.so.6' has no function 'mlops_not_in_libm'");
  CHECK(table[1] == nullptr);
  CHECK(library.resolve(0));
}
