#pragma once
// Temp files name their writer (".NAME.HOST-PID-START.RANDOM.tmp": host, pid and the process's
// start time), so that what a killed process left behind can be told from what a running one is
// writing, and removed. Writers on another host (a store on a shared disk) cannot be asked; their
// files are removed only once untouched for a day.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mlops {

// This process's part of a temp file's name: "HOST-PID-START".
const std::string& temp_writer_id();

struct TempWriter {
  std::string host;  // empty: a name from before hosts were written (this host's)
  long pid = 0;
  std::uint64_t start = 0;  // 0: not in the name
};

// The writer of the temp file named `filename`; nullopt when it is no temp file of ours.
std::optional<TempWriter> temp_writer(std::string_view filename);

struct StaleTemps {
  std::size_t files = 0;
  std::uint64_t bytes = 0;
};

// Removes the temp files directly in `dir` whose writer is certainly gone: a process of this host
// that no longer runs (or whose pid now belongs to a later process), or a writer on another host
// whose file was not written for `max_age_other_hosts`. A running writer's file is never touched;
// other files are not looked at. Unreadable entries are skipped; a missing `dir` is nothing to do.
// With `remove` false, only counts them (a dry run).
StaleTemps remove_stale_temps(const std::filesystem::path& dir,
                              std::chrono::seconds max_age_other_hosts = std::chrono::hours(24), bool remove = true);

}  // namespace mlops
