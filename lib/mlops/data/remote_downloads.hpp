#pragma once
// The temp files downloads write in the store's tmp/ before an object is verified and published
// into the cache. A process killed in the middle (kill -9, a power cut) cannot remove its own, so
// every download first removes those whose writer is certainly gone.
#include <chrono>
#include <cstddef>
#include <filesystem>

#include "mlops/core/error.hpp"
#include "mlops/core/file.hpp"

namespace mlops::data {

// A temp file in `tmp` named for this host and process: `.download-HOST.PID.RANDOM.tmp`.
Result<AtomicFile> create_download_temp(const std::filesystem::path& tmp);

// Removes the download temp files in `tmp` that no running download can own: those of this host
// whose process is gone, and, for a store shared between hosts (MLOPS_STORE_DIR on a network
// disk), those of another host not written for `max_age_other_hosts` (a live download writes at
// least once a minute, or libcurl gives up). A file of this host whose process runs is kept, even
// if that pid was reused. Unreadable entries are skipped; returns how many were removed.
std::size_t remove_stale_downloads(const std::filesystem::path& tmp,
                                   std::chrono::seconds max_age_other_hosts = std::chrono::hours(24));

}  // namespace mlops::data
