#include "mlops/drift/sort.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

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

}  // namespace

void sort_values(std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 4096 || n > 0xFFFFFFFFu) {
    std::sort(values.begin(), values.end());
    return;
  }
  // LSD radix sort, 16 bits a pass (4 passes); passes where every key has the same digit are
  // skipped, which for typical data removes the top passes.
  constexpr int kBits = 16, kPasses = 4;
  constexpr std::size_t kBuckets = 1u << kBits;
  // Scratch kept per thread and reused (fresh memory costs a page fault per 4 KiB), left
  // uninitialised: every element is written before it is read.
  thread_local std::unique_ptr<std::uint64_t[]> scratch_a, scratch_b;
  thread_local std::size_t scratch_size = 0;
  if (scratch_size < n) {
    scratch_a.reset(new std::uint64_t[n]);
    scratch_b.reset(new std::uint64_t[n]);
    scratch_size = n;
  }
  std::uint64_t* a = scratch_a.get();
  std::uint64_t* b = scratch_b.get();
  std::vector<std::array<std::uint32_t, kBuckets>> hist(kPasses);
  for (auto& h : hist) h.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t k = key_of(values[i]);
    a[i] = k;
    for (int p = 0; p < kPasses; ++p) ++hist[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  std::vector<int> passes;
  for (int p = 0; p < kPasses; ++p) {
    // A pass where every key has the same digit moves nothing.
    if (!std::any_of(hist[p].begin(), hist[p].end(), [n](std::uint32_t c) { return c == n; })) passes.push_back(p);
  }
  for (std::size_t q = 0; q < passes.size(); ++q) {
    const int p = passes[q];
    auto& h = hist[p];
    std::uint32_t sum = 0;
    for (auto& c : h) {
      std::uint32_t t = c;
      c = sum;
      sum += t;
    }
    const int shift = p * kBits;
    if (q + 1 == passes.size()) {
      // The last pass scatters straight back into the doubles.
      for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t k = a[i];
        values[h[(k >> shift) & (kBuckets - 1)]++] = value_of(k);
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t k = a[i];
      b[h[(k >> shift) & (kBuckets - 1)]++] = k;
    }
    std::swap(a, b);
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = value_of(a[i]);
}

}  // namespace mlops::drift
