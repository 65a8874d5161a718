#pragma once
// JSON Lines, one flat object per line: the members of a line as (key, value) pairs. The readers
// of `drift check` and `schema check` share this layer.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

#include "mlops/drift/text.hpp"

namespace mlops::drift {

// A member's value: numbers, true and false as written; strings unescaped.
struct JsonValue {
  std::string_view text;  // the literal (numbers, true/false) or the unescaped string
  bool is_string = false;
  bool is_null = false;
};

// The members of one line; unescaped strings are kept in `arena`.
class JsonLine {
 public:
  JsonLine(const char* p, const char* end, std::deque<std::string>& arena) : p_(p), end_(end), arena_(arena) {}

  // Calls f(key, value) per member; returns the position of an error, or nullptr.
  template <class F>
  const char* members(F&& f, std::string& why) {
    ws();
    if (p_ >= end_ || *p_ != '{') return fail("expected a JSON object", why);
    ++p_;
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return tail(why);
    }
    for (;;) {
      ws();
      std::string_view key;
      if (p_ >= end_ || *p_ != '"') return fail("expected a quoted key", why);
      if (!string(key)) return fail("bad string", why);
      ws();
      if (p_ >= end_ || *p_ != ':') return fail("expected ':' after a key", why);
      ++p_;
      ws();
      JsonValue value;
      if (p_ >= end_) return fail("expected a value", why);
      char c = *p_;
      if (c == '"') {
        if (!string(value.text)) return fail("bad string", why);
        value.is_string = true;
      } else if (c == '{' || c == '[') {
        return fail(fmt::format("nested value for key '{}' (only flat objects are supported)", key), why);
      } else {
        const char* s = p_;
        while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ' ' && *p_ != '\t' && *p_ != '\r') ++p_;
        value.text = {s, static_cast<std::size_t>(p_ - s)};
        if (value.text == "null") {
          value.is_null = true;
        } else if (value.text != "true" && value.text != "false") {
          double d;
          bool integral;
          int decimals;
          if (!parse_number(value.text, d, integral, decimals))
            return fail(fmt::format("bad value '{}'", value.text), why);
        }
      }
      f(key, value);
      ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return tail(why);
      }
      return fail("expected ',' or '}'", why);
    }
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }
  const char* fail(std::string message, std::string& why) {
    why = std::move(message);
    return p_ < end_ ? p_ : end_;
  }
  const char* tail(std::string& why) {
    ws();
    if (p_ < end_) return fail("text after the object", why);
    return nullptr;
  }
  bool string(std::string_view& out) {
    const char* s = ++p_;
    bool escaped = false;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') {
        escaped = true;
        ++p_;
      }
      ++p_;
    }
    if (p_ >= end_) return false;
    const char* e = p_++;
    if (!escaped) {
      out = {s, static_cast<std::size_t>(e - s)};
      return true;
    }
    std::string& buf = arena_.emplace_back();
    for (const char* q = s; q < e; ++q) {
      if (*q != '\\') {
        buf.push_back(*q);
        continue;
      }
      ++q;
      switch (*q) {
        case 'n':
          buf.push_back('\n');
          break;
        case 't':
          buf.push_back('\t');
          break;
        case 'r':
          buf.push_back('\r');
          break;
        case 'b':
          buf.push_back('\b');
          break;
        case 'f':
          buf.push_back('\f');
          break;
        case 'u': {
          if (e - q < 5) return false;
          unsigned cp = 0;
          auto [ptr, ec] = std::from_chars(q + 1, q + 5, cp, 16);
          if (ec != std::errc() || ptr != q + 5) return false;
          q += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && e - q >= 7 && q[1] == '\\' && q[2] == 'u') {
            unsigned lo = 0;
            auto [p2, ec2] = std::from_chars(q + 3, q + 7, lo, 16);
            if (ec2 == std::errc() && p2 == q + 7 && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              q += 6;
            }
          }
          if (cp < 0x80) {
            buf.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            buf.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            buf.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            buf.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            buf.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            buf.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            buf.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default:
          buf.push_back(*q);  // \" \\ \/
      }
    }
    out = buf;
    return true;
  }

  const char* p_;
  const char* end_;
  std::deque<std::string>& arena_;
};

// Calls f(begin, end) for each line of text[begin, end) (a trailing \r left out) while f returns true.
template <class F>
void for_each_line(std::string_view text, std::size_t begin, std::size_t end, F&& f) {
  std::size_t p = begin;
  while (p < end) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos || nl > end) nl = end;
    std::size_t e = nl;
    if (e > p && text[e - 1] == '\r') --e;
    if (!f(p, e)) return;
    p = nl + 1;
  }
}

// A line of spaces and tabs only (skipped by the readers).
inline bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace mlops::drift
