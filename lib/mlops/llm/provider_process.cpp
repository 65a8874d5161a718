#include "mlops/llm/provider_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "mlops/llm/golden_text.hpp"

extern char** environ;

namespace mlops::llm {

namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  ~Pipe() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
};

Result<void> open_pipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return std::unexpected(environment_error(fmt::format("cannot create a pipe: {}", std::strerror(errno))));
  pipe.read = fds[0];
  pipe.write = fds[1];
  return {};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

Result<ProcessRun> run_process(const std::vector<std::string>& argv, std::string_view input,
                               std::chrono::milliseconds timeout,
                               const std::vector<std::pair<std::string, std::string>>& env,
                               const std::atomic<bool>* stop, const std::filesystem::path& workdir) {
  ProcessRun run;
  if (argv.empty()) return std::unexpected(bad_input("an empty command cannot be run"));
  Pipe in, out, err;
  MLOPS_TRY(open_pipe(in));
  MLOPS_TRY(open_pipe(out));
  MLOPS_TRY(open_pipe(err));

  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  if (!env.empty()) {
    for (const auto& [key, value] : env) env_storage.push_back(key + "=" + value);
    for (char** e = environ; *e; ++e) {
      bool replaced = false;
      for (const auto& [key, value] : env) {
        replaced = replaced || (std::strncmp(*e, key.c_str(), key.size()) == 0 && (*e)[key.size()] == '=');
      }
      if (!replaced) envp.push_back(*e);
    }
    for (auto& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write, 2);
  // In the child, before exec: a relative argv[0] ("./answer.sh") is found from there too.
  if (!workdir.empty()) posix_spawn_file_actions_addchdir_np(&actions, workdir.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), env.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    run.exec_errno = spawned;
    return run;
  }
  run.started = true;
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);
  ::fcntl(in.write, F_SETFL, O_NONBLOCK);
  if (input.empty()) close_fd(in.write);

  auto deadline = start + timeout;
  std::size_t written = 0;
  char buffer[65536];
  bool killed = false;
  while (out.read >= 0 || err.read >= 0) {
    pollfd fds[3];
    nfds_t count = 0;
    int out_index = -1, err_index = -1, in_index = -1;
    if (out.read >= 0) {
      out_index = static_cast<int>(count);
      fds[count++] = {out.read, POLLIN, 0};
    }
    if (err.read >= 0) {
      err_index = static_cast<int>(count);
      fds[count++] = {err.read, POLLIN, 0};
    }
    if (in.write >= 0) {
      in_index = static_cast<int>(count);
      fds[count++] = {in.write, POLLOUT, 0};
    }
    auto now = std::chrono::steady_clock::now();
    bool stopping = stop && stop->load();
    if (!killed && (now >= deadline || stopping)) {
      ::kill(-pid, SIGKILL);
      killed = true;
      run.timed_out = !stopping;
      run.interrupted = stopping;
      close_fd(in.write);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    int wait_ms = killed ? 100 : static_cast<int>(std::clamp<long long>(left, 0, stop ? 50 : 1000));
    int ready = ::poll(fds, count, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    auto drain = [&](int index, Pipe& pipe, std::string& into) {
      if (index < 0 || !(fds[index].revents & (POLLIN | POLLHUP | POLLERR))) return;
      ssize_t n = ::read(pipe.read, buffer, sizeof buffer);
      if (n > 0) {
        into.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close_fd(pipe.read);
      }
    };
    drain(out_index, out, run.out);
    drain(err_index, err, run.err);
    if (in_index >= 0 && (fds[in_index].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = ::write(in.write, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      // A child that stops reading (EPIPE) has what it wanted; its output decides.
      if (written >= input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) close_fd(in.write);
    }
  }
  close_fd(in.write);
  // Its output is closed; a child that lives on past the deadline is ended all the same.
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, killed ? 0 : WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (done == 0) {
      bool stopping = stop && stop->load();
      if (std::chrono::steady_clock::now() >= deadline || stopping) {
        ::kill(-pid, SIGKILL);
        killed = true;
        run.timed_out = !stopping;
        run.interrupted = stopping;
      } else {
        ::usleep(200);
      }
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    run.exit_code = 128 + WTERMSIG(status);
  }
  return run;
}

std::string tail_of(std::string_view text, std::size_t lines) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  std::size_t begin = text.size();
  for (std::size_t seen = 0; begin > 0; --begin) {
    if (text[begin - 1] == '\n' && ++seen == lines) break;
  }
  std::string_view tail = text.substr(begin);
  if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
  return with_valid_utf8(tail);  // the cut, or the program, may split a character
}

}  // namespace mlops::llm
