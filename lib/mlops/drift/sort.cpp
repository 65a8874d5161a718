#include "mlops/drift/sort.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace mlops::drift {

namespace {

// Maps a double to an unsigned key with the same order (negative numbers flipped).
inline std::uint64_t key_of(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}
inline double value_of(std::uint64_t k) {
  std::uint64_t u = (k & 0x8000000000000000ULL) ? (k & ~0x8000000000000000ULL) : ~k;
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// Scratch kept per thread and reused (fresh memory costs a page fault per 4 KiB), left
// uninitialised: every element is written before it is read.
template <class T>
T* scratch(int which, std::size_t n) {
  thread_local std::unique_ptr<T[]> buffers[2];
  thread_local std::size_t sizes[2] = {0, 0};
  if (sizes[which] < n) {
    buffers[which].reset(new T[n]);
    sizes[which] = n;
  }
  return buffers[which].get();
}

// The digits of keys with `bits` significant bits, in passes of at most 12 bits (a 16 KiB count
// table stays in the L1 cache), and the count of each digit value per pass.
template <class Key>
struct Digits {
  explicit Digits(int bits)
      : passes(std::max(1, (bits + 11) / 12)),
        width((bits + passes - 1) / passes),
        mask((Key{1} << width) - 1),
        buckets(std::size_t{1} << width),
        hist(static_cast<std::size_t>(passes) * buckets, 0) {}
  void count(Key k) {
    for (int p = 0; p < passes; ++p) ++hist[static_cast<std::size_t>(p) * buckets + ((k >> (p * width)) & mask)];
  }
  int passes, width;
  Key mask;
  std::size_t buckets;
  std::vector<std::uint32_t> hist;
};

// LSD radix sort of the keys in a[0, n), counted in `digits` (b is as large, for scratch). Passes
// in which every key has the same digit are skipped. The last pass writes emit(key) into out.
template <class Key, class Emit>
void radix_sort_keys(Key* a, Key* b, std::size_t n, Digits<Key>& digits, double* out, Emit emit) {
  const std::size_t buckets = digits.buckets;
  const Key mask = digits.mask;
  std::vector<int> todo;
  for (int p = 0; p < digits.passes; ++p) {
    const std::uint32_t* h = digits.hist.data() + static_cast<std::size_t>(p) * buckets;
    if (std::find(h, h + buckets, n) == h + buckets) todo.push_back(p);
  }
  for (std::size_t q = 0; q < todo.size(); ++q) {
    const int p = todo[q];
    std::uint32_t* h = digits.hist.data() + static_cast<std::size_t>(p) * buckets;
    std::uint32_t sum = 0;
    for (std::size_t d = 0; d < buckets; ++d) {
      const std::uint32_t c = h[d];
      h[d] = sum;
      sum += c;
    }
    const int shift = p * digits.width;
    if (q + 1 == todo.size()) {
      for (std::size_t i = 0; i < n; ++i) {
        const Key k = a[i];
        out[h[(k >> shift) & mask]++] = emit(k);
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const Key k = a[i];
      b[h[(k >> shift) & mask]++] = k;
    }
    std::swap(a, b);
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = emit(a[i]);
}

// Decimal data (every value m / 10^decimals for an integer m, as CSV numbers usually are) sorts
// as the integers m, whose range is far narrower than the bit patterns of the doubles: often 2
// passes over 32-bit keys instead of 4 over 64-bit ones. m / 10^decimals (both exact doubles, so
// one correctly rounded division) gives the value back bit for bit; every value is checked to do
// so, and false means the data is not such (nothing was changed then).
bool sort_decimal(std::vector<double>& values, int decimals) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (decimals < 0 || decimals > 15) return false;
  const double scale = kPow10[decimals];
  const std::size_t n = values.size();
  double min = values[0], max = values[0];
  for (const double x : values) {
    min = std::min(min, x);
    max = std::max(max, x);
  }
  // Beyond 2^52 not every integer is a double (and the conversion could overflow).
  if (!(std::abs(min * scale) < 0x1p52 && std::abs(max * scale) < 0x1p52)) return false;
  auto integer = [scale](double x) {
    const double y = x * scale;
    return static_cast<std::int64_t>(y + std::copysign(0.5, y));  // rounded, without a branch
  };
  // Rounding is monotonic, so these bound every value's integer.
  const std::int64_t lo = integer(min), hi = integer(max);
  const auto range = static_cast<std::uint64_t>(hi - lo);
  if (range > UINT32_MAX) return false;
  auto* a = scratch<std::uint32_t>(0, n);
  auto* b = scratch<std::uint32_t>(1, n);
  Digits<std::uint32_t> digits(std::max(1, static_cast<int>(std::bit_width(range))));
  for (std::size_t i = 0; i < n; ++i) {
    const double x = values[i];
    const std::int64_t m = integer(x);
    if (std::bit_cast<std::uint64_t>(static_cast<double>(m) / scale) != std::bit_cast<std::uint64_t>(x)) return false;
    const auto k = static_cast<std::uint32_t>(m - lo);
    a[i] = k;
    digits.count(k);
  }
  radix_sort_keys<std::uint32_t>(a, b, n, digits, values.data(), [lo, scale](std::uint32_t k) {
    return static_cast<double>(lo + static_cast<std::int64_t>(k)) / scale;
  });
  return true;
}

}  // namespace

void sort_values(std::vector<double>& values, int decimals) {
  const std::size_t n = values.size();
  if (n < 4096 || n > 0xFFFFFFFFu) {
    std::sort(values.begin(), values.end());
    return;
  }
  if (sort_decimal(values, decimals)) return;
  auto* a = scratch<std::uint64_t>(0, n);
  auto* b = scratch<std::uint64_t>(1, n);
  Digits<std::uint64_t> digits(64);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = key_of(values[i]);
    digits.count(a[i]);
  }
  radix_sort_keys<std::uint64_t>(a, b, n, digits, values.data(), value_of);
}

}  // namespace mlops::drift
