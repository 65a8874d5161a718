#include "mlops/core/file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <thread>

#include "mlops/core/temp_files.hpp"

namespace mlops {

namespace fs = std::filesystem;

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> read_file(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::unexpected(system_error("read", path, errno));
  std::string content;
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0) content.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(system_error("read", path, errno));
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  return content;
}

Result<void> write_all(int fd, const void* data, std::size_t size, const fs::path& path) {
  auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(system_error("write", path, errno));
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

fs::path temp_path_in(const fs::path& dir, std::string_view name) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  // The writer is named so that a killed one's files can be found and removed (temp_files.hpp);
  // `name` is cut short so that the whole stays well inside NAME_MAX.
  return dir /
         fmt::format(".{}.{}.{:08x}.tmp", name.substr(0, 120), temp_writer_id(), static_cast<std::uint32_t>(rng()));
}

Result<AtomicFile> AtomicFile::create(const fs::path& target, const fs::path& tmp_dir) {
  fs::path dir = tmp_dir.empty() ? target.parent_path() : tmp_dir;
  if (dir.empty()) dir = ".";
  fs::path temp = temp_path_in(dir, target.filename().string());
  // Read-write: what was written can be read back through fd() (a download is verified before
  // it is committed) without opening the file again.
  UniqueFd fd(::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) return std::unexpected(system_error("create", temp, errno));
  return AtomicFile(target, std::move(temp), std::move(fd));
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      fd_(std::move(other.fd_)),
      committed_(other.committed_) {
  other.committed_ = true;  // the moved-from object owns no temp file any more
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Result<void> AtomicFile::set_mode(unsigned mode) {
  if (::fchmod(fd_.get(), mode) != 0) return std::unexpected(system_error("set the mode of", temp_, errno));
  return {};
}

Result<void> AtomicFile::commit_to(const fs::path& target, Sync sync) {
  if (sync == Sync::yes && ::fsync(fd_.get()) != 0) return std::unexpected(system_error("flush", temp_, errno));
  if (::close(fd_.release()) != 0) return std::unexpected(system_error("write", temp_, errno));
  if (::rename(temp_.c_str(), target.c_str()) != 0) return std::unexpected(system_error("rename into", target, errno));
  committed_ = true;
  if (sync == Sync::yes) {
    fs::path dir = target.parent_path();
    return fsync_dir(dir.empty() ? fs::path(".") : dir);
  }
  return {};
}

Result<void> write_file_atomic(const fs::path& target, std::string_view content, const fs::path& tmp_dir) {
  auto file = AtomicFile::create(target, tmp_dir);
  if (!file) return std::unexpected(file.error());
  if (auto r = file->write(content); !r) return r;
  return file->commit();
}

Result<void> fsync_dir(const fs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return std::unexpected(system_error("open", dir, errno));
  if (::fsync(fd.get()) != 0 && errno != EINVAL) return std::unexpected(system_error("flush", dir, errno));
  return {};
}

Result<void> sync_filesystem(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::unexpected(system_error("open", path, errno));
  if (::syncfs(fd.get()) != 0) return std::unexpected(system_error("flush", path, errno));
  return {};
}

namespace {

// " (pid 123: mlops data gc)" for the processes that hold a flock on the file open at `fd`, read
// from /proc/locks (flock itself does not say); "" when they cannot be found.
std::string describe_lock_holders(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {};
  std::ifstream locks("/proc/locks");
  std::string line, holders;
  const std::string inode =
      fmt::format(":{}", static_cast<unsigned long long>(st.st_ino));  // "MAJ:MIN:INODE" ends with it
  while (std::getline(locks, line)) {
    // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (a "->" marks a waiter, not a holder)
    std::istringstream fields(line);
    std::string number, type, mode, access, pid, device;
    fields >> number >> type;
    if (type == "->") continue;
    fields >> mode >> access >> pid >> device;
    // The inode only: on overlay filesystems /proc/locks names another device than stat() does.
    if (type != "FLOCK" || !device.ends_with(inode)) continue;
    std::ifstream cmdline("/proc/" + pid + "/cmdline");
    std::string command((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    std::replace(command.begin(), command.end(), '\0', ' ');
    while (command.ends_with(' ')) command.pop_back();
    if (command.size() > 80) command = command.substr(0, 77) + "...";
    holders += fmt::format("{}pid {}{}", holders.empty() ? "" : ", ", pid, command.empty() ? "" : ": " + command);
  }
  return holders.empty() ? std::string() : " (" + holders + ")";
}

}  // namespace

Result<FileLock> FileLock::acquire(const fs::path& path, std::chrono::milliseconds timeout, LockKind kind) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return std::unexpected(system_error("open the lock", path, errno));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int operation = (kind == LockKind::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  while (::flock(fd.get(), operation) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return std::unexpected(system_error("lock", path, errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::unexpected(environment_error(
          fmt::format("'{}' is locked by another mlops process{} (waited {:.1f} s)", path.string(),
                      describe_lock_holders(fd.get()), std::chrono::duration<double>(timeout).count()),
          "wait for it to finish, or stop it; a lock is released when its process ends, even by kill -9"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return FileLock(std::move(fd));
}

}  // namespace mlops
