// A small shared library for lazy_library_test.cpp: its functions are called through generated
// trampolines (cmake/lazy_library.cmake), the way libgit2's are, and one listed function
// (fixture_absent) is deliberately missing from it.
#include <cstdarg>
#include <cstddef>
#include <cstdio>

extern "C" {

// Every integer argument register.
int fixture_sum6(int a, int b, int c, int d, int e, int f) { return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f; }

// Every vector argument register, and an integer among them.
double fixture_mix(double a, long b, double c, double d, double e, double f, double g, double h, double i) {
  return a + 2 * static_cast<double>(b) + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i;
}

// A varargs function: %al carries the number of vector registers used.
int fixture_format(char* out, std::size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  int written = std::vsnprintf(out, size, format, args);
  va_end(args);
  return written;
}
}
