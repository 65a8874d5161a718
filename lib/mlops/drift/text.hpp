#pragma once
// Field values as the readers see them: missing-value spellings, numbers (what pandas reads as a
// float, correctly rounded), UTF-8 validity, and line numbers for messages. Called for every
// field, so the hot ones are inline.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>

namespace mlops::drift {

namespace text_detail {
// The bytes of a short string as one little-endian integer, for comparisons without memcmp.
constexpr std::uint32_t pack(std::string_view t) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(t[i])) << (8 * i);
  return v;
}
}  // namespace text_detail

// Whether `text` is one of the spellings of a missing value: empty, NA, N/A, n/a, NaN, nan,
// -nan, -NaN, null, NULL, None, <NA>.
inline bool is_missing_value(std::string_view t) {
  using text_detail::pack;
  // Called for every field: decide on the length first, then compare whole integers.
  if (t.size() > 4) return false;
  if (t.empty()) return true;
  const std::uint32_t v = pack(t);
  switch (t.size()) {
    case 2:
      return v == pack("NA");
    case 3:
      return v == pack("N/A") || v == pack("n/a") || v == pack("NaN") || v == pack("nan");
    case 4:
      return v == pack("-nan") || v == pack("-NaN") || v == pack("null") || v == pack("NULL") || v == pack("None") ||
             v == pack("<NA>");
    default:
      return false;
  }
}

// The digits after the point of a number written with an exponent, once the exponent is applied:
// "5.4e-05" is 54 / 10^6, so 6 (-1 for more than 15 or a spelling without digits, like "inf").
int decimals_of(const char* p, const char* e);

// Parses a whole field as a number (what pandas reads as a float); `integral` tells whether it
// was written as an integer, `decimals` how many digits it has after the point (see decimals_of
// for exponents; a hint for sorting). Out-of-range magnitudes become infinities or zero, as in strtod.
inline bool parse_number(std::string_view v, double& out, bool& integral, int& decimals) {
  const char* b = v.data();
  const char* e = b + v.size();
  if (b < e && *b == '+') ++b;
  if (b == e) return false;
  // Fast path (Clinger): a plain decimal with at most 15 significant digits is m / 10^k with m
  // and 10^k exact doubles, so one division gives the correctly rounded value from_chars gives.
  {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = b;
    bool negative = false;
    if (*p == '-') {
      negative = true;
      ++p;
    }
    std::uint64_t mantissa = 0;
    int digits = 0, fraction = 0;
    const char* start = p;
    while (p < e && static_cast<unsigned>(*p - '0') < 10) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
      ++p;
    }
    digits = static_cast<int>(p - start);
    bool point = false;
    if (p < e && *p == '.') {
      point = true;
      ++p;
      const char* f = p;
      while (p < e && static_cast<unsigned>(*p - '0') < 10) {
        mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
        ++p;
      }
      fraction = static_cast<int>(p - f);
      digits += fraction;
    }
    if (p == e && digits > 0 && digits <= 15) {
      double m = static_cast<double>(mantissa);
      out = fraction ? m / kPow10[fraction] : m;
      if (negative) out = -out;
      integral = !point;
      decimals = fraction;
      return true;
    }
  }
  auto [ptr, ec] = std::from_chars(b, e, out);
  if (ptr != e) return false;
  if (ec == std::errc::result_out_of_range) {
    std::string copy(v);
    out = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return false;
  }
  integral = true;
  decimals = decimals_of(b, e);
  for (const char* p = (*b == '-' ? b + 1 : b); p < e; ++p) {
    if (*p < '0' || *p > '9') {
      integral = false;
      break;
    }
  }
  return true;
}

// The offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalid_utf8(std::string_view s);

// 1-based line of `offset` in `text`.
std::size_t line_of(std::string_view text, std::size_t offset);

// A reader's error inside a part's text, turned into a message with its line by error_at().
struct ParseError {
  std::size_t offset = 0;  // into the part's text
  std::string message;
  std::string hint;
};

ParseError invalid_utf8_error(std::size_t offset);

}  // namespace mlops::drift
