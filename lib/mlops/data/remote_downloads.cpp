#include "mlops/data/remote_downloads.hpp"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

// Letters, digits and '-' only: the name's parts are separated by '.'.
std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "host";
  std::string host;
  for (const char* c = name; *c != '\0' && host.size() < 64; ++c) {
    host += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '-';
  }
  return host.empty() ? "host" : host;
}

bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

struct DownloadTempName {
  std::string host;  // empty: written before names carried the host (this host's)
  long pid = 0;
};

// ".download-HOST.PID.RANDOM.tmp" (and the older ".download.PID.RANDOM.tmp"); nullopt for any
// other file.
std::optional<DownloadTempName> parse_download_temp(std::string_view name) {
  constexpr std::string_view kLead = ".download";
  if (!name.starts_with(kLead) || !name.ends_with(".tmp")) return std::nullopt;
  name.remove_suffix(4);
  auto random_dot = name.rfind('.');
  if (random_dot == std::string_view::npos || random_dot < kLead.size()) return std::nullopt;
  auto pid_dot = name.rfind('.', random_dot - 1);
  if (pid_dot == std::string_view::npos || pid_dot < kLead.size()) return std::nullopt;
  DownloadTempName parsed;
  std::string_view pid = name.substr(pid_dot + 1, random_dot - pid_dot - 1);
  auto [end, error] = std::from_chars(pid.data(), pid.data() + pid.size(), parsed.pid);
  if (error != std::errc() || end != pid.data() + pid.size()) return std::nullopt;
  std::string_view owner = name.substr(kLead.size(), pid_dot - kLead.size());
  if (!owner.empty()) {
    if (!owner.starts_with('-') || owner.size() == 1) return std::nullopt;
    parsed.host = std::string(owner.substr(1));
  }
  return parsed;
}

}  // namespace

Result<AtomicFile> create_download_temp(const fs::path& tmp) {
  return AtomicFile::create(tmp / ("download-" + this_host()), tmp);
}

std::size_t remove_stale_downloads(const fs::path& tmp, std::chrono::seconds max_age_other_hosts) {
  std::error_code ec;
  fs::directory_iterator entries(tmp, ec);
  if (ec) return 0;  // no tmp/ yet: nothing was ever downloaded
  const std::string host = this_host();
  const auto now = fs::file_time_type::clock::now();
  std::size_t removed = 0;
  for (const auto& entry : entries) {
    auto name = entry.path().filename().string();
    auto parsed = parse_download_temp(name);
    if (!parsed) continue;
    bool stale = false;
    if (parsed->host.empty() || parsed->host == host) {
      stale = !process_alive(parsed->pid);
    } else {
      auto written = fs::last_write_time(entry.path(), ec);
      stale = !ec && now - written > max_age_other_hosts;
    }
    if (stale && fs::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace mlops::data
