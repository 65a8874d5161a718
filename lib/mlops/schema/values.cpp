#include "mlops/schema/values.hpp"

#include <fmt/format.h>

#include <cmath>

#include "mlops/drift/text.hpp"

namespace mlops::schema {

namespace {

// Reads exactly `n` digits at text[at] into `out`.
bool digits(std::string_view text, std::size_t at, std::size_t n, int& out) {
  if (at + n > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    const unsigned d = static_cast<unsigned>(text[i] - '0');
    if (d > 9) return false;
    out = out * 10 + static_cast<int>(d);
  }
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

}  // namespace

bool parse_bool(std::string_view t, bool& value) {
  if (t == "true" || t == "True" || t == "TRUE") {
    value = true;
    return true;
  }
  if (t == "false" || t == "False" || t == "FALSE") {
    value = false;
    return true;
  }
  return false;
}

bool parse_date(std::string_view t, std::int64_t& days) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  int y, m, d;
  if (!digits(t, 0, 4, y) || !digits(t, 5, 2, m) || !digits(t, 8, 2, d)) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap(y))) return false;
  days = days_from_civil(y, m, d);
  return true;
}

bool parse_datetime(std::string_view t, double& seconds) {
  std::int64_t days;
  if (t.size() < 16 || !parse_date(t.substr(0, 10), days) || (t[10] != 'T' && t[10] != ' ')) return false;
  int h, mi, s = 0;
  if (!digits(t, 11, 2, h) || t[13] != ':' || !digits(t, 14, 2, mi) || h > 23 || mi > 59) return false;
  std::size_t at = 16;
  double fraction = 0;
  if (at < t.size() && t[at] == ':') {
    if (!digits(t, at + 1, 2, s) || s > 60) return false;  // 60: a leap second
    at += 3;
    if (at < t.size() && (t[at] == '.' || t[at] == ',')) {
      double scale = 0.1;
      std::size_t first = ++at;
      while (at < t.size() && static_cast<unsigned>(t[at] - '0') < 10) {
        fraction += (t[at] - '0') * scale;
        scale /= 10;
        ++at;
      }
      if (at == first) return false;
    }
  }
  int offset = 0;
  if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
    ++at;
  } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
    const int sign = t[at] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(t, at + 1, 2, oh)) return false;
    at += 3;
    if (at < t.size() && t[at] == ':') ++at;
    if (!digits(t, at, 2, om) || oh > 23 || om > 59) return false;
    at += 2;
    offset = sign * (oh * 3600 + om * 60);
  }
  if (at != t.size()) return false;
  seconds = static_cast<double>(days) * 86400 + h * 3600 + mi * 60 + s + fraction - offset;
  return true;
}

bool typed_key(Type type, std::string_view text, bool json_string, double& key) {
  switch (type) {
    case Type::integer:
    case Type::floating: {
      bool integral;
      int decimals;
      if (json_string || !drift::parse_number(text, key, integral, decimals)) return false;
      return type == Type::floating || (integral && std::isfinite(key));
    }
    case Type::boolean: {
      bool b;
      if (json_string || !parse_bool(text, b)) return false;
      key = b ? 1 : 0;
      return true;
    }
    case Type::date: {
      std::int64_t days;
      if (!parse_date(text, days)) return false;
      key = static_cast<double>(days);
      return true;
    }
    case Type::datetime:
      return parse_datetime(text, key);
    case Type::string:
      return false;
  }
  return false;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::string percent(double share) {
  const double rounded = std::round(share * 10000) / 100;
  if (share > 0 && rounded == 0) return "<0.01%";
  if (share < 1 && rounded == 100) return ">99.99%";
  return format_number(rounded) + "%";
}

std::string clip(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

}  // namespace mlops::schema
