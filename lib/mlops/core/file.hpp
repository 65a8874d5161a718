#pragma once
// Files: an owned descriptor, whole-file reads, atomic writes (temp + fsync + rename + fsync of
// the folder, never delete-then-rename), and advisory locks. Knows nothing of mlops' store.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"

namespace mlops {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  ~UniqueFd();
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

Result<std::string> read_file(const std::filesystem::path& path);

// Writes all of `size` bytes, retrying short writes and EINTR; errors name `path`.
Result<void> write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path);

enum class Sync { yes, no };

// A file that appears at `target` whole or not at all. Data goes to a temp file in `tmp_dir`
// (default: the target's folder; it must be on the target's filesystem); commit() renames it
// into place. Destroyed without commit(), the temp file is removed and the target is untouched.
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::filesystem::path& target, const std::filesystem::path& tmp_dir = {});
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  int fd() const { return fd_.get(); }
  const std::filesystem::path& temp_path() const { return temp_; }
  Result<void> write(std::string_view data) { return write_all(fd_.get(), data.data(), data.size(), temp_); }
  // Sets the permission bits the file will have (default 0644).
  Result<void> set_mode(unsigned mode);
  // Sync::yes fsyncs the data before the rename and the folder after it. Sync::no is for bulk
  // content objects, which callers flush together (see sync_filesystem) before naming them.
  Result<void> commit(Sync sync = Sync::yes) { return commit_to(target_, sync); }
  // As commit(), to a target chosen after writing (a content-addressed name, say).
  Result<void> commit_to(const std::filesystem::path& target, Sync sync = Sync::yes);

 private:
  AtomicFile(std::filesystem::path target, std::filesystem::path temp, UniqueFd fd)
      : target_(std::move(target)), temp_(std::move(temp)), fd_(std::move(fd)) {}
  std::filesystem::path target_;
  std::filesystem::path temp_;
  UniqueFd fd_;
  bool committed_ = false;
};

Result<void> write_file_atomic(const std::filesystem::path& target, std::string_view content,
                               const std::filesystem::path& tmp_dir = {});

// A unique temp path in `dir` for `name` (its writer named, see temp_files.hpp, and a random
// suffix); creates nothing.
std::filesystem::path temp_path_in(const std::filesystem::path& dir, std::string_view name);

Result<void> fsync_dir(const std::filesystem::path& dir);
// Flushes everything written to the filesystem that holds `path` (one syncfs(2) instead of an
// fsync per file, for bulk writes of content objects).
Result<void> sync_filesystem(const std::filesystem::path& path);

enum class LockKind { exclusive, shared };

// An advisory lock (flock) on `path`, created if needed; released on destruction. Exclusive by
// default; shared locks exclude only exclusive ones. Waits up to `timeout` for another process to
// release it, then fails with an environment error.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::filesystem::path& path,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                  LockKind kind = LockKind::exclusive);

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace mlops
