#pragma once
// The one owner of stdout and stderr: human output on stdout, notes/warnings/progress on stderr,
// colour only where it is wanted (a terminal, no NO_COLOR, TERM not dumb, no --color=never).
// JSON documents are printed through json_output.hpp, which keeps nlohmann out of this header.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::out {

enum class ColorMode { automatic, always, never };

struct Settings {
  bool json = false;  // the command prints one JSON document on stdout
  bool color_stdout = false;
  bool color_stderr = false;
  int verbosity = 0;  // -1 quiet (-q), 0 normal, 1 verbose (-v)
};

Settings& settings();
void configure_color(ColorMode mode);
bool stdout_is_terminal();
bool stderr_is_terminal();

// stdout
void print(std::string_view text);
template <typename... Args>
void println(fmt::format_string<Args...> format, Args&&... args) {
  print(fmt::format(format, std::forward<Args>(args)...) + "\n");
}

// stderr. -q prints only results, warnings and errors: note() (progress, what was done) and the
// advice of hint() are suppressed by -q; detail() shows only with -v; warnings and errors always
// show, with their hints.
void note(std::string_view text);
void detail(std::string_view text);
void warn(std::string_view text);
// A hint right after a warning is that warning's way out: printed with it, even with -q. Any
// other hint is advice ("git add the pointer"): held back and printed after the result, by
// flush_hints() (the command's end) or before an error.
void hint(std::string_view text);
void flush_hints();
void print_error(const Error& error);

enum class Style { bold, dim, red, green, yellow, cyan };
enum class Stream { out, err };
// `text` wrapped in the ANSI codes of `style` when that stream is coloured.
std::string paint(std::string_view text, Style style, Stream stream = Stream::out);

// A plain-text table with aligned columns; cells may carry colour codes.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  void right_align(std::size_t column);
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> right_;
};

// Flushes stdout and reports a failed write (disk full, an I/O error) as an environment error.
// A closed pipe (`mlops runs list | head -2`) is no error: the reader has what it wanted, and
// stdout_closed() says so.
Result<void> finish_stdout();
// True once a write to stdout failed because its reader had gone (EPIPE); later output is dropped.
bool stdout_closed();
// Ends the process as git does when its reader has gone: killed by SIGPIPE, silently (status 141
// in a shell). Called after the command's work is done, so nothing is left half-written.
[[noreturn]] void die_of_closed_stdout();

// "2026-11-29T02:41:07Z" for seconds since the epoch (UTC).
std::string iso_utc(std::int64_t seconds);

// "1.2 GiB", "4.0 KiB", "12 B"
std::string human_bytes(std::uint64_t bytes);

// A progress bar on stderr for long work: drawn only when stderr is a terminal, not with -q or
// --json, and only once the work has lasted about a second.
class Progress {
 public:
  Progress(std::string label, std::uint64_t total);
  ~Progress();
  void advance(std::uint64_t amount);
  void finish();

 private:
  void draw(bool final);
  std::string label_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mlops::out
