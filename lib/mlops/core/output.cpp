#include "mlops/core/output.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace mlops::out {

Settings& settings() {
  static Settings s;
  return s;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void configure_color(ColorMode mode) {
  auto& s = settings();
  if (mode == ColorMode::always) {
    s.color_stdout = s.color_stderr = true;
    return;
  }
  if (mode == ColorMode::never) {
    s.color_stdout = s.color_stderr = false;
    return;
  }
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool allowed = !(no_color && *no_color) && !(term && std::strcmp(term, "dumb") == 0);
  s.color_stdout = allowed && stdout_is_terminal();
  s.color_stderr = allowed && stderr_is_terminal();
}

namespace {
bool closed_stdout = false;

// After a failed write to stdout: a reader that has gone (EPIPE, SIGPIPE being ignored) closes
// stdout for good; any other failure stays in ferror(stdout) for finish_stdout().
void note_stdout_failure() {
  if (errno == EPIPE) closed_stdout = true;
}
}  // namespace

bool stdout_closed() { return closed_stdout; }

void print(std::string_view text) {
  if (closed_stdout) return;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) note_stdout_failure();
}

[[noreturn]] void die_of_closed_stdout() {
  std::fflush(stderr);
  ::signal(SIGPIPE, SIG_DFL);
  ::raise(SIGPIPE);
  std::_Exit(128 + SIGPIPE);  // SIGPIPE blocked: the status a shell would show
}

namespace {
void to_stderr(std::string_view text) {
  // Keep the order of interleaved stdout and stderr on a terminal.
  if (!closed_stdout && std::fflush(stdout) != 0) note_stdout_failure();
  std::fwrite(text.data(), 1, text.size(), stderr);
}
}  // namespace

namespace {
bool after_warning = false;           // the last line on stderr was a warning or its hint
std::vector<std::string> held_hints;  // advice, printed after the result
}  // namespace

void note(std::string_view text) {
  if (settings().verbosity < 0) return;
  after_warning = false;
  to_stderr(std::string(text) + "\n");
}

void detail(std::string_view text) {
  if (settings().verbosity < 1) return;
  after_warning = false;
  to_stderr(std::string(text) + "\n");
}

void warn(std::string_view text) {
  to_stderr(paint("mlops: warning: ", Style::yellow, Stream::err) + std::string(text) + "\n");
  after_warning = true;
}

namespace {
void hint_line(std::string_view text) {
  to_stderr(paint("hint: ", Style::dim, Stream::err) + std::string(text) + "\n");
}
}  // namespace

// Advice ("commit the setting", "git add the pointer") is noise in a script that asked for -q,
// and reads best under the result it is about; the hint of a warning or an error is the way out,
// so it shows with them, always.
void hint(std::string_view text) {
  if (after_warning) {
    hint_line(text);
  } else if (settings().verbosity >= 0) {
    held_hints.emplace_back(text);
  }
}

void flush_hints() {
  std::vector<std::string> hints;
  hints.swap(held_hints);
  for (const auto& text : hints) hint_line(text);
  after_warning = false;
}

void print_error(const Error& error) {
  flush_hints();
  to_stderr(paint("mlops: error: ", Style::red, Stream::err) + error.message + "\n");
  if (!error.hint.empty()) hint_line(error.hint);
}

std::string paint(std::string_view text, Style style, Stream stream) {
  bool on = stream == Stream::out ? settings().color_stdout : settings().color_stderr;
  if (!on) return std::string(text);
  const char* code = "";
  switch (style) {
    case Style::bold:
      code = "\033[1m";
      break;
    case Style::dim:
      code = "\033[2m";
      break;
    case Style::red:
      code = "\033[31m";
      break;
    case Style::green:
      code = "\033[32m";
      break;
    case Style::yellow:
      code = "\033[33m";
      break;
    case Style::cyan:
      code = "\033[36m";
      break;
  }
  return std::string(code) + std::string(text) + "\033[0m";
}

namespace {
// Display width: UTF-8 code points, not counting ANSI escape sequences.
std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\033') {
      while (i < s.size() && s[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++width;
  }
  return width;
}
}  // namespace

void Table::right_align(std::size_t column) {
  if (right_.size() <= column) right_.resize(column + 1, false);
  right_[column] = true;
}

std::string Table::render() const {
  std::vector<std::size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  std::string text;
  auto emit = [&](const std::vector<std::string>& row, bool is_header) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      std::size_t pad = widths[i] - std::min(widths[i], display_width(cell));
      bool right = i < right_.size() && right_[i];
      if (is_header) cell = paint(cell, Style::bold);
      if (right) line.append(pad, ' ');
      line += cell;
      if (!right && i + 1 < widths.size()) line.append(pad, ' ');
      if (i + 1 < widths.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  };
  emit(header_, true);
  for (const auto& row : rows_) emit(row, false);
  return text;
}

Result<void> finish_stdout() {
  if (closed_stdout) return {};
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    int err = errno;
    if (err == EPIPE) {
      closed_stdout = true;
      return {};
    }
    return std::unexpected(
        environment_error(fmt::format("cannot write to standard output: {}", std::strerror(err ? err : EIO))));
  }
  return {};
}

std::string iso_utc(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string human_bytes(std::uint64_t bytes) {
  static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

Progress::Progress(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(stderr_is_terminal() && settings().verbosity >= 0 && !settings().json),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::uint64_t amount) {
  done_ += amount;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1)) return;
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void Progress::finish() {
  if (enabled_ && drawn_) draw(true);
  enabled_ = false;
}

void Progress::draw(bool final) {
  drawn_ = true;
  double fraction = total_ ? std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_)) : 1.0;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  auto line = fmt::format("\r{} [{}] {:3.0f}%", label_, bar, fraction * 100);
  if (final) line += "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace mlops::out
