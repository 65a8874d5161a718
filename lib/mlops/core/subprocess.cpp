#include "mlops/core/subprocess.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "mlops/core/file.hpp"

extern char** environ;

namespace mlops {

namespace {

// The child being supervised, and the first termination signal we received, for the handler.
volatile sig_atomic_t g_child_pid = 0;
volatile sig_atomic_t g_forwarded = 0;

void forward_signal(int sig, siginfo_t* info, void*) {
  if (g_forwarded == 0) g_forwarded = sig;
  // A Ctrl-C at the terminal (sent by the kernel to the whole foreground process group) has
  // already reached the child; only a signal sent to us alone (kill, a CI runner) is passed on.
  bool from_terminal = info && info->si_code == SI_KERNEL;
  if (g_child_pid > 0 && !from_terminal) ::kill(static_cast<pid_t>(g_child_pid), sig);
}

constexpr std::array kForwarded = {SIGINT, SIGTERM, SIGHUP};
// How many ForwardSignals are alive, and the handlers the outermost replaced.
int g_forwarding_depth = 0;
std::array<struct sigaction, kForwarded.size()> g_previous{};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
  static Result<Pipe> make() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::unexpected(system_error("create a pipe", "pipe", errno));
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
  }
};

// argv and envp as the NUL-terminated arrays posix_spawn wants; owns the strings.
struct CArgs {
  std::vector<std::string> storage;
  std::vector<char*> pointers;
  explicit CArgs(std::vector<std::string> items) : storage(std::move(items)) {
    for (auto& item : storage) pointers.push_back(item.data());
    pointers.push_back(nullptr);
  }
  char** get() { return pointers.data(); }
};

CArgs child_environment(const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const auto& [key, value] : overrides) replaced = replaced || key == name;
    if (!replaced) entries.emplace_back(text);
  }
  for (const auto& [key, value] : overrides) entries.push_back(key + "=" + value);
  return CArgs(std::move(entries));
}

// Spawn attributes that give the child default signal dispositions: we ignore SIGPIPE and
// SIGXFSZ ourselves (to see write errors), and a child must not inherit that.
struct SpawnAttr {
  posix_spawnattr_t attr;
  SpawnAttr() {
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGXFSZ, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, sig);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

int wait_for(pid_t pid, int* signal_number) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFSIGNALED(status)) {
    if (signal_number) *signal_number = WTERMSIG(status);
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

// Writes to a descriptor that may have gone away (a closed pipe): errors just stop the copy.
void copy_to(int fd, const char* data, std::size_t size, bool& alive) {
  while (alive && size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      alive = false;
      return;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

}  // namespace

ForwardSignals::ForwardSignals() {
  if (g_forwarding_depth++ > 0) return;
  g_forwarded = 0;
  g_child_pid = 0;
  struct sigaction action {};
  action.sa_sigaction = forward_signal;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < kForwarded.size(); ++i) ::sigaction(kForwarded[i], &action, &g_previous[i]);
}

ForwardSignals::~ForwardSignals() {
  if (--g_forwarding_depth > 0) return;
  for (std::size_t i = 0; i < kForwarded.size(); ++i) ::sigaction(kForwarded[i], &g_previous[i], nullptr);
}

std::optional<std::filesystem::path> find_program(std::string_view name) {
  if (name.find('/') != std::string_view::npos) {
    if (::access(std::string(name).c_str(), X_OK) == 0) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

Result<Captured> capture_output(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  auto pipe = Pipe::make();
  if (!pipe) return std::unexpected(pipe.error());
  FileActions files;
  posix_spawn_file_actions_addopen(&files.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files.actions, pipe->write.get(), 1);
  posix_spawn_file_actions_adddup2(&files.actions, pipe->write.get(), 2);
  SpawnAttr attr;
  CArgs args(argv);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args.pointers[0], &files.actions, &attr.attr, args.get(), environ);
  if (rc != 0) return std::unexpected(system_error("run", argv.front(), rc));
  pipe->write = UniqueFd();

  Captured captured;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool killed = false;
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd poll_fd{pipe->read.get(), POLLIN, 0};
    int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t got = ::read(pipe->read.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (captured.output.size() < (1 << 16)) captured.output.append(buffer, static_cast<std::size_t>(got));
  }
  int code = wait_for(pid, nullptr);
  captured.exit_code = killed || code >= 128 ? -1 : code;
  return captured;
}

Result<ChildOutcome> run_child(const ChildSpec& spec) {
  ChildOutcome outcome;
  std::optional<Pipe> out_pipe, err_pipe;
  FileActions files;
  if (spec.log_fd >= 0) {
    auto out = Pipe::make();
    if (!out) return std::unexpected(out.error());
    auto err = Pipe::make();
    if (!err) return std::unexpected(err.error());
    out_pipe = std::move(*out);
    err_pipe = std::move(*err);
    posix_spawn_file_actions_adddup2(&files.actions, out_pipe->write.get(), 1);
    posix_spawn_file_actions_adddup2(&files.actions, err_pipe->write.get(), 2);
  } else if (spec.stdout_to_stderr) {
    posix_spawn_file_actions_adddup2(&files.actions, 2, 1);
  }
  SpawnAttr attr;
  CArgs args(spec.argv);
  CArgs env = child_environment(spec.env);

  ForwardSignals forwarding;
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args.pointers[0], &files.actions, &attr.attr, args.get(), env.get());
  if (rc != 0) {
    outcome.exec_errno = rc;
    outcome.exit_code = rc == ENOENT ? 127 : 126;  // as a shell reports it
    return outcome;
  }
  outcome.started = true;
  g_child_pid = pid;
  // A signal that arrived before the pid was known is passed on now.
  if (g_forwarded != 0) ::kill(pid, g_forwarded);

  if (spec.log_fd >= 0) {
    out_pipe->write = UniqueFd();
    err_pipe->write = UniqueFd();
    std::array<pollfd, 2> fds{pollfd{out_pipe->read.get(), POLLIN, 0}, pollfd{err_pipe->read.get(), POLLIN, 0}};
    bool out_alive = true, err_alive = true, log_alive = true;
    char buffer[65536];
    int open_count = 2;
    while (open_count > 0) {
      int ready = ::poll(fds.data(), fds.size(), -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
          fds[i].fd = -1;
          --open_count;
          continue;
        }
        auto size = static_cast<std::size_t>(got);
        copy_to(i == 0 && !spec.stdout_to_stderr ? 1 : 2, buffer, size, i == 0 ? out_alive : err_alive);
        copy_to(spec.log_fd, buffer, size, log_alive);
      }
    }
  }
  outcome.exit_code = wait_for(pid, &outcome.signal);
  g_child_pid = 0;
  outcome.forwarded = g_forwarded;
  return outcome;
}

}  // namespace mlops
