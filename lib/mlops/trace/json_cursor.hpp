#pragma once
// A pull reader over JSON text for the OTLP reader: the caller walks the structure it expects and
// skips the rest. Nothing is allocated unless a string has escapes (then it is unescaped into a
// scratch string the caller owns). Skipping a value scans its strings with memchr, which is most
// of the work on exports whose spans carry prompts and completions.
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mlops::trace {

class JsonCursor {
 public:
  JsonCursor(const char* begin, const char* end) : p_(begin), begin_(begin), end_(end) {}

  const char* position() const { return p_; }
  const char* begin() const { return begin_; }
  const char* end() const { return end_; }
  void seek(const char* p) { p_ = p; }
  bool failed() const { return error_ != nullptr; }
  const char* error() const { return error_; }
  const char* error_at() const { return error_at_; }
  // The failure is a well-formed value the reader refuses (reject()), not malformed text.
  bool refused() const { return refused_; }

  // Marks the cursor failed with `why` at the current position (the first failure is kept).
  bool fail(const char* why) {
    if (!error_) {
      error_ = why;
      error_at_ = p_ < end_ ? p_ : end_;
    }
    p_ = end_;
    return false;
  }
  // Fails the cursor on a value that is well-formed JSON but wrong (`why` says how).
  bool reject(const char* why) {
    if (!error_) refused_ = true;
    return fail(why);
  }

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool at_end() {
    ws();
    return p_ >= end_;
  }
  // The next significant character, or 0 at the end.
  char peek() {
    ws();
    return p_ < end_ ? *p_ : '\0';
  }
  bool consume(char c) {
    ws();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  // Walks an object: calls on_member(key) for each member, which must consume the value (or call
  // skip()). Returns false on malformed text. Keys are assumed to need no unescaping (OTLP's do not).
  template <class F>
  bool object(F&& on_member) {
    if (!consume('{')) return fail("expected '{'");
    if (consume('}')) return true;
    for (;;) {
      ws();
      if (p_ >= end_ || *p_ != '"') return fail("expected a quoted key");
      std::string_view key;
      if (!raw_string(key)) return false;
      if (!consume(':')) return fail("expected ':' after a key");
      if (!on_member(key)) return failed() ? false : fail("bad value");
      if (consume(',')) continue;
      if (consume('}')) return true;
      return fail("expected ',' or '}'");
    }
  }

  // Walks an array: calls on_element() for each element, which must consume it.
  template <class F>
  bool array(F&& on_element) {
    if (!consume('[')) return fail("expected '['");
    if (consume(']')) return true;
    for (;;) {
      if (!on_element()) return failed() ? false : fail("bad array element");
      if (consume(',')) continue;
      if (consume(']')) return true;
      return fail("expected ',' or ']'");
    }
  }

  // A string value: a view of the text when it has no escapes, else unescaped into `scratch`
  // (the view then points into scratch, valid until scratch changes).
  bool string(std::string_view& out, std::string& scratch) {
    ws();
    if (p_ >= end_ || *p_ != '"') return fail("expected a string");
    const char* s = p_ + 1;
    bool escaped = false;
    const char* e = find_string_end(s, escaped);
    if (!e) return fail("unterminated string");
    p_ = e + 1;
    std::string_view raw(s, static_cast<std::size_t>(e - s));
    if (!escaped) {
      out = raw;
      return true;
    }
    if (!unescape(raw, scratch)) return fail("bad escape in a string");
    out = scratch;
    return true;
  }

  // A string value without unescaping (ids, enum names, numbers written as strings).
  bool raw_string(std::string_view& out) {
    ws();
    if (p_ >= end_ || *p_ != '"') return fail("expected a string");
    const char* s = p_ + 1;
    const char* e = find_quote_end(s);
    if (!e) return fail("unterminated string");
    p_ = e + 1;
    out = {s, static_cast<std::size_t>(e - s)};
    return true;
  }

  // A string value without unescaping; `escaped` says whether its body has a backslash.
  bool raw_string(std::string_view& out, bool& escaped) {
    ws();
    if (p_ >= end_ || *p_ != '"') return fail("expected a string");
    const char* s = p_ + 1;
    escaped = false;
    const char* e = find_string_end(s, escaped);
    if (!e) return fail("unterminated string");
    p_ = e + 1;
    out = {s, static_cast<std::size_t>(e - s)};
    return true;
  }

  // A number literal's text (also accepts a quoted number, as OTLP/JSON writes 64-bit integers).
  bool number_text(std::string_view& out) {
    ws();
    if (p_ < end_ && *p_ == '"') return raw_string(out);
    const char* s = p_;
    while (p_ < end_ && (is_digit(*p_) || *p_ == '-' || *p_ == '+' || *p_ == '.' || *p_ == 'e' || *p_ == 'E')) ++p_;
    if (p_ == s) return fail("expected a number");
    out = {s, static_cast<std::size_t>(p_ - s)};
    return true;
  }
  bool uint64(std::uint64_t& out) {
    std::string_view text;
    if (!number_text(text)) return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      // A float form ("1.5e3"), in range: converting one outside it is undefined (found by fuzzing).
      double d;
      if (!to_double(text, d) || !(d >= 0 && d < 18446744073709551616.0)) return fail("expected an unsigned integer");
      out = static_cast<std::uint64_t>(d);
    }
    return true;
  }
  bool int64(std::int64_t& out) {
    std::string_view text;
    if (!number_text(text)) return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      double d;
      if (!to_double(text, d) || !(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return fail("expected an integer");
      out = static_cast<std::int64_t>(d);
    }
    return true;
  }
  bool real(double& out) {
    std::string_view text;
    if (!number_text(text)) return false;
    if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
      out = text == "NaN" ? __builtin_nan("") : (text[0] == '-' ? -__builtin_inf() : __builtin_inf());
      return true;
    }
    if (!to_double(text, out)) return fail("expected a number");
    return true;
  }
  bool boolean(bool& out) {
    ws();
    if (end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0) {
      p_ += 4;
      out = true;
      return true;
    }
    if (end_ - p_ >= 5 && std::memcmp(p_, "false", 5) == 0) {
      p_ += 5;
      out = false;
      return true;
    }
    return fail("expected true or false");
  }

  // Skips one value of any type; returns its text through `text` when given.
  bool skip(std::string_view* text = nullptr) {
    ws();
    const char* s = p_;
    if (!skip_value()) return false;
    if (text) *text = {s, static_cast<std::size_t>(p_ - s)};
    return true;
  }

  static bool to_double(std::string_view text, double& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
  }

  // Unescapes the body of a JSON string (without its quotes) into `out`.
  static bool unescape(std::string_view raw, std::string& out);

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // The closing quote of the string whose body starts at s, or nullptr; `escaped` set when the
  // body has a backslash. Eight bytes at a time: a quote or a backslash in a word is found with
  // the has-zero-byte trick (the lowest flagged byte is always a true match).
  const char* find_quote_end(const char* s) const {
    bool escaped = false;
    return find_string_end(s, escaped);
  }
  const char* find_string_end(const char* s, bool& escaped) const {
    static_assert(std::endian::native == std::endian::little, "the word scan reads the lowest byte first");
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const char* p = s;
    for (;;) {
      while (end_ - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        std::uint64_t q = w ^ (ones * '"');
        std::uint64_t b = w ^ (ones * '\\');
        std::uint64_t m = ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs);
        if (m) {
          p += __builtin_ctzll(m) / 8;  // little-endian: the lowest byte comes first
          break;
        }
        p += 8;
      }
      while (p < end_ && *p != '"' && *p != '\\') ++p;
      if (p >= end_) return nullptr;
      if (*p == '"') return p;
      escaped = true;
      p += 2;  // the backslash and the character it escapes
      if (p > end_) return nullptr;
    }
  }

  bool skip_value() {
    if (p_ >= end_) return fail("expected a value");
    char c = *p_;
    if (c == '"') {
      const char* e = find_quote_end(p_ + 1);
      if (!e) return fail("unterminated string");
      p_ = e + 1;
      return true;
    }
    if (c == '{' || c == '[') return skip_container();
    if (c == 't' || c == 'f') {
      bool b;
      return boolean(b);
    }
    if (c == 'n') {
      if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
        p_ += 4;
        return true;
      }
      return fail("expected a value");
    }
    if (is_digit(c) || c == '-') {
      std::string_view t;
      return number_text(t);
    }
    return fail("expected a value");
  }

  // Skips an object or array by bracket depth, strings scanned whole. Structure inside is checked
  // only for balance: a skipped value is not used, and a torn line still fails at its end.
  bool skip_container() {
    int depth = 0;
    while (p_ < end_) {
      char c = *p_;
      if (c == '"') {
        const char* e = find_quote_end(p_ + 1);
        if (!e) return fail("unterminated string");
        p_ = e + 1;
        continue;
      }
      ++p_;
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return true;
      }
    }
    return fail("unterminated object or array");
  }

  const char* p_;
  const char* begin_;
  const char* end_;
  const char* error_ = nullptr;
  const char* error_at_ = nullptr;
  bool refused_ = false;
};

}  // namespace mlops::trace
