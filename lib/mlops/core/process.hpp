#pragma once
// Who a process is, precisely enough to tell whether the writer of a temp file still runs: the
// host's name, and a pid together with the process's start time (a pid alone is reused).
#include <cstdint>
#include <string>

namespace mlops {

// This host's name, reduced to letters, digits and '-' (it goes into file names).
const std::string& host_name();

// When process `pid` started, in clock ticks since boot (/proc/PID/stat); 0 when unknown (no such
// process, or no /proc).
std::uint64_t process_start(long pid);

// Whether process `pid` of this host runs and, when `start` is not 0, is the one that started then
// (not a later process that was given the same pid). Unsure (no /proc) counts as running.
bool process_running(long pid, std::uint64_t start);

}  // namespace mlops
