#pragma once
// The `runs:` settings of `.mlops/config.yaml` that shape what a run records (the credential
// file patterns are secrets.hpp's):
//   runs:
//     diff_max_file_bytes: 1MiB   # untracked files bigger than this stay out of git.diff
#include <cstdint>
#include <optional>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::tracking {

inline constexpr std::uint64_t kDefaultDiffMaxFileBytes = 1ull << 20;

// "1048576", "512KiB", "1MiB", "2MB", "1M", "0": a size in bytes (K, M, G and KiB, MiB, GiB are
// powers of 1024; KB, MB, GB of 1000). nullopt when it is none.
std::optional<std::uint64_t> parse_size(std::string_view text);

// runs.diff_max_file_bytes, kDefaultDiffMaxFileBytes when unset; bad input (exit 2, naming the
// setting and the file) when it is not a size.
Result<std::uint64_t> diff_max_file_bytes(const Repo& repo);

}  // namespace mlops::tracking
