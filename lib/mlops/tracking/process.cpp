#include "mlops/tracking/process.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string_view>

namespace mlops::tracking {

namespace {

enum class Read { ok, absent, failed };

// Reads a small /proc file whole; `absent` only when it does not exist.
Read read_proc_file(const std::string& path, std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ESRCH ? Read::absent : Read::failed;
  char buffer[1024];
  text.clear();
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return errno == ESRCH ? Read::absent : Read::failed;  // the process ended while being read
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return Read::ok;
}

std::optional<std::string> boot_id() {
  std::string text;
  if (read_proc_file("/proc/sys/kernel/random/boot_id", text) != Read::ok) return std::nullopt;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return std::nullopt;
  return text;
}

enum class Liveness { alive, gone, unknown };

// Whether process `pid` runs, and its start time in clock ticks after boot. A zombie (state Z
// or X) has ended: it only waits for its parent to collect its exit status. The command name
// (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are counted
// after the last ')'.
Liveness look_up(std::int64_t pid, std::int64_t& ticks) {
  std::string stat;
  switch (read_proc_file("/proc/" + std::to_string(pid) + "/stat", stat)) {
    case Read::absent:
      return Liveness::gone;
    case Read::failed:
      return Liveness::unknown;
    case Read::ok:
      break;
  }
  auto close = stat.rfind(')');
  if (close == std::string::npos) return Liveness::unknown;
  std::string_view rest = std::string_view(stat).substr(close + 1);
  std::string_view field;
  // Field 3 (state) ... field 22 (starttime).
  for (int i = 3; i <= 22; ++i) {
    auto begin = rest.find_first_not_of(' ');
    if (begin == std::string_view::npos) return Liveness::unknown;
    rest.remove_prefix(begin);
    auto end = rest.find(' ');
    field = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    if (i == 3 && (field == "Z" || field == "X")) return Liveness::gone;
  }
  auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), ticks);
  return error == std::errc() && end == field.data() + field.size() ? Liveness::alive : Liveness::unknown;
}

}  // namespace

std::optional<ProcessIdentity> current_process() {
  auto boot = boot_id();
  if (!boot) return std::nullopt;
  ProcessIdentity self;
  self.pid = ::getpid();
  self.boot_id = std::move(*boot);
  if (look_up(self.pid, self.start_ticks) != Liveness::alive) return std::nullopt;
  return self;
}

bool is_gone(const ProcessIdentity& process) {
  auto boot = boot_id();
  if (!boot || process.pid <= 0) return false;
  if (*boot != process.boot_id) return true;
  std::int64_t ticks = 0;
  switch (look_up(process.pid, ticks)) {
    case Liveness::gone:
      return true;
    case Liveness::alive:
      return ticks != process.start_ticks;
    case Liveness::unknown:
      return false;
  }
  return false;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return {};
  return buffer;
}

}  // namespace mlops::tracking
