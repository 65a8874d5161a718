// A test-only LD_PRELOAD shim (tests/cli/faults.sh): makes the Nth call of one kind fail, so that
// every write path of a command can be driven through a full disk, an I/O error, a permission
// error or a short write.
//
//   MLOPS_FAULT_CALL   write | fsync | rename | open   (open: only opens that create or write)
//   MLOPS_FAULT_AT     N: the Nth such call of this process fails (1-based)
//   MLOPS_FAULT_ERRNO  ENOSPC | EIO | EACCES | SHORT   (SHORT: a write that writes half, once)
//   MLOPS_FAULT_REPORT a file that gets "CALL N" appended when the fault fires
//
// Writes to stdin/stdout/stderr are not counted. The shim removes itself from the environment at
// load, so the programs mlops starts (git, a run's command) run unharmed.
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

int fault_call = -1;  // 0 write, 1 fsync, 2 rename, 3 open
long fault_at = 0;
int fault_errno = 0;  // 0: a short write
const char* fault_report = nullptr;
long counts[4];

__attribute__((constructor)) void fault_setup() {
  const char* call = getenv("MLOPS_FAULT_CALL");
  const char* at = getenv("MLOPS_FAULT_AT");
  const char* err = getenv("MLOPS_FAULT_ERRNO");
  fault_report = getenv("MLOPS_FAULT_REPORT");
  unsetenv("LD_PRELOAD");
  if (!call || !at || !err) return;
  const char* names[] = {"write", "fsync", "rename", "open"};
  for (int i = 0; i < 4; ++i) {
    if (strcmp(call, names[i]) == 0) fault_call = i;
  }
  fault_at = atol(at);
  if (strcmp(err, "ENOSPC") == 0) fault_errno = ENOSPC;
  if (strcmp(err, "EIO") == 0) fault_errno = EIO;
  if (strcmp(err, "EACCES") == 0) fault_errno = EACCES;
}

// Whether this call (of kind `kind`) is the one to fail; reports it when it is.
int fault_now(int kind) {
  if (kind != fault_call) return 0;
  long n = __atomic_add_fetch(&counts[kind], 1, __ATOMIC_SEQ_CST);
  if (n != fault_at) return 0;
  if (fault_report) {
    int saved = errno;
    FILE* f = fopen(fault_report, "a");
    if (f) {
      const char* names[] = {"write", "fsync", "rename", "open"};
      fprintf(f, "%s %ld\n", names[kind], n);
      fclose(f);
    }
    errno = saved;
  }
  return 1;
}

#define REAL(name, type) (reinterpret_cast<type>(dlsym(RTLD_NEXT, name)))

using WriteFn = ssize_t (*)(int, const void*, size_t);
using PwriteFn = ssize_t (*)(int, const void*, size_t, off_t);

ssize_t fail_write(int fd, const void* buf, size_t count, PwriteFn real, off_t offset, bool positioned) {
  if (fault_errno == 0 && count > 1) {  // a short write: half of it goes out
    if (positioned) return real(fd, buf, count / 2, offset);
    return REAL("write", WriteFn)(fd, buf, count / 2);
  }
  errno = fault_errno ? fault_errno : EIO;
  return -1;
}

int writes(int flags) { return (flags & (O_CREAT | O_WRONLY | O_RDWR | O_TRUNC)) != 0; }

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
  if (fd > 2 && fault_now(0)) return fail_write(fd, buf, count, nullptr, 0, false);
  return REAL("write", WriteFn)(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  auto real = REAL("pwrite", PwriteFn);
  if (fd > 2 && fault_now(0)) return fail_write(fd, buf, count, real, offset, true);
  return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  auto real = REAL("pwrite64", PwriteFn);
  if (fd > 2 && fault_now(0)) return fail_write(fd, buf, count, real, offset, true);
  return real(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int n) {
  if (fd > 2 && fault_now(0)) {
    errno = fault_errno ? fault_errno : EIO;
    return -1;
  }
  return REAL("writev", ssize_t(*)(int, const struct iovec*, int))(fd, iov, n);
}

int fsync(int fd) {
  if (fault_now(1)) {
    errno = fault_errno ? fault_errno : EIO;
    return -1;
  }
  return REAL("fsync", int (*)(int))(fd);
}

int fdatasync(int fd) {
  if (fault_now(1)) {
    errno = fault_errno ? fault_errno : EIO;
    return -1;
  }
  return REAL("fdatasync", int (*)(int))(fd);
}

int syncfs(int fd) {
  if (fault_now(1)) {
    errno = fault_errno ? fault_errno : EIO;
    return -1;
  }
  return REAL("syncfs", int (*)(int))(fd);
}

int rename(const char* from, const char* to) {
  if (fault_now(2)) {
    errno = fault_errno ? fault_errno : EIO;
    return -1;
  }
  return REAL("rename", int (*)(const char*, const char*))(from, to);
}

int renameat(int from_dir, const char* from, int to_dir, const char* to) {
  if (fault_now(2)) {
    errno = fault_errno ? fault_errno : EIO;
    return -1;
  }
  return REAL("renameat", int (*)(int, const char*, int, const char*))(from_dir, from, to_dir, to);
}

#define OPEN_SHIM(...)                         \
  {                                            \
    mode_t mode = 0;                           \
    if (flags & (O_CREAT | O_TMPFILE)) {       \
      va_list args;                            \
      va_start(args, flags);                   \
      mode = va_arg(args, mode_t);             \
      va_end(args);                            \
    }                                          \
    if (writes(flags) && fault_now(3)) {       \
      errno = fault_errno ? fault_errno : EIO; \
      return -1;                               \
    }                                          \
    return __VA_ARGS__;                        \
  }

int open(const char* path, int flags,
         ...) OPEN_SHIM(REAL("open", int (*)(const char*, int, ...))(path, flags, mode)) int open64(const char* path,
                                                                                                    int flags, ...)
    OPEN_SHIM(REAL("open64", int (*)(const char*, int, ...))(path, flags, mode)) int openat(int dir, const char* path,
                                                                                            int flags, ...)
        OPEN_SHIM(REAL("openat", int (*)(int, const char*, int, ...))(dir, path, flags,
                                                                      mode)) int openat64(int dir, const char* path,
                                                                                          int flags, ...)
            OPEN_SHIM(REAL("openat64", int (*)(int, const char*, int, ...))(dir, path, flags, mode))

}  // extern "C"
