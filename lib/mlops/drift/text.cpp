#include "mlops/drift/text.hpp"

#include <algorithm>
#include <cstring>

namespace mlops::drift {

int decimals_of(const char* p, const char* e) {
  int fraction = 0, digits = 0;
  for (bool point = false; p < e && *p != 'e' && *p != 'E'; ++p) {
    if (*p == '.') point = true;
    if (static_cast<unsigned>(*p - '0') < 10) {
      ++digits;
      fraction += point;
    }
  }
  int exponent = 0;
  if (p + 1 < e) std::from_chars(p[1] == '+' ? p + 2 : p + 1, e, exponent);
  const int decimals = std::max(0, fraction - exponent);
  return digits == 0 || decimals > 15 ? -1 : decimals;
}

std::size_t invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
}

ParseError invalid_utf8_error(std::size_t offset) {
  return {offset, "invalid UTF-8", "convert the file to UTF-8 (iconv -f latin1 -t utf-8)"};
}

}  // namespace mlops::drift
