#pragma once
// Telling whether a process recorded earlier is still alive: a pid alone is not enough, as pids
// are reused and a machine may have rebooted since; the pid with its start time and the boot it
// started in identify one process for good.
#include <cstdint>
#include <optional>
#include <string>

namespace mlops::tracking {

struct ProcessIdentity {
  std::int64_t pid = 0;
  std::int64_t start_ticks = 0;  // field 22 of /proc/PID/stat: clock ticks after boot
  std::string boot_id;           // /proc/sys/kernel/random/boot_id
};

// This process; nullopt where /proc is not there to read.
std::optional<ProcessIdentity> current_process();

// Whether `process`, recorded on this machine, is certainly gone: this machine has booted again
// since, or no process has its pid, or the process with its pid started at another time. False
// whenever it cannot be known (no /proc, an unreadable entry).
bool is_gone(const ProcessIdentity& process);

// This machine's name (gethostname), as runs record it.
std::string host_name();

}  // namespace mlops::tracking
