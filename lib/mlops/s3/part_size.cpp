// Multipart part sizes: S3 allows at most 10,000 parts of at least 5 MiB (the last may be smaller),
// so the configured chunk size is only a floor for big objects. And the ranges of a big download.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

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

std::vector<std::pair<std::uint64_t, std::uint64_t>> download_ranges(std::uint64_t size, std::uint64_t first_part,
                                                                     std::uint64_t chunksize) {
  constexpr std::uint64_t kMiB = 1ull << 20;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  if (size <= first_part) return ranges;
  std::uint64_t rest = size - first_part;
  std::uint64_t range =
      std::max<std::uint64_t>(std::max<std::uint64_t>(chunksize, 1), (rest + kDownloadStreams - 1) / kDownloadStreams);
  range = (range + kMiB - 1) / kMiB * kMiB;
  for (std::uint64_t from = first_part; from < size; from += range) {
    ranges.emplace_back(from, std::min(from + range, size) - 1);
  }
  return ranges;
}

}  // namespace mlops::s3
