// Multipart part sizes: S3 allows at most 10,000 parts of at least 5 MiB (the last may be smaller),
// so the configured chunk size is only a floor for big objects.
#include <algorithm>
#include <cstdint>

#include "mlops/s3/client.hpp"

namespace mlops::s3 {

std::uint64_t part_size_for(std::uint64_t size, std::uint64_t chunksize) {
  constexpr std::uint64_t kMiB = 1ull << 20;
  constexpr std::uint64_t kMaxParts = 10000;
  constexpr std::uint64_t kMinPart = 5 * kMiB;
  std::uint64_t part = std::max(chunksize == 0 ? kDefaultMultipartChunksize : chunksize, kMinPart);
  std::uint64_t needed = (size + kMaxParts - 1) / kMaxParts;
  if (part < needed) part = (needed + kMiB - 1) / kMiB * kMiB;
  return part;
}

}  // namespace mlops::s3
