#pragma once
// Errors as values inside the library; one exception type that carries an Error to the top,
// where cli::main prints it and turns it into the exit code that DESIGN.md fixes.
#include <exception>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace mlops {

// The documented exit codes (DESIGN.md, "Conventions every command keeps").
enum class Exit : int {
  ok = 0,            // success
  check_failed = 1,  // the command worked and its check failed (drift, gate, --exit-code, verify)
  bad_input = 2,     // bad usage or bad input (unknown flag, malformed file, unknown model or run)
  environment = 3,   // the environment failed (I/O error, disk full, permission denied, unreachable)
};

struct Error {
  Exit exit = Exit::bad_input;
  std::string message;  // lower-case, no full stop, the subject in quotes
  std::string hint;     // the way out; empty when there is nothing to suggest
};

template <class T = void>
using Result = std::expected<T, Error>;

Error bad_input(std::string message, std::string hint = {});
Error environment_error(std::string message, std::string hint = {});

// An error from a failed system call on `path`. ENOENT, ENOTDIR and friends are bad input
// (the user named something that is not there); ENOSPC, EACCES, EIO, ... are the environment.
Error system_error(std::string_view action, const std::filesystem::path& path, int err);

// Thrown by code that cannot go on; caught once in cli::main.
class Failure : public std::exception {
 public:
  explicit Failure(Error error) : error_(std::move(error)) {}
  const Error& error() const noexcept { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

// Returns the value of `result`, or throws its error as a Failure.
template <class T>
T unwrap(Result<T>&& result) {
  if (!result) throw Failure(std::move(result.error()));
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace mlops

// Inside a function returning Result<...>: evaluates `expr` (a Result) and returns its error, if any.
#define MLOPS_TRY(expr)                                                       \
  do {                                                                        \
    auto try_result_ = (expr);                                                \
    if (!try_result_) return std::unexpected(std::move(try_result_.error())); \
  } while (false)
