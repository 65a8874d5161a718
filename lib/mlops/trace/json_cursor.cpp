// Unescaping JSON strings (the rare path of JsonCursor::string).
#include "mlops/trace/json_cursor.hpp"

namespace mlops::trace {

namespace {

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool hex4(const char* p, unsigned& out) {
  auto [ptr, ec] = std::from_chars(p, p + 4, out, 16);
  return ec == std::errc() && ptr == p + 4;
}

}  // namespace

bool JsonCursor::unescape(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  const char* e = raw.data() + raw.size();
  for (const char* q = raw.data(); q < e; ++q) {
    if (*q != '\\') {
      out.push_back(*q);
      continue;
    }
    if (++q >= e) return false;
    switch (*q) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case '"':
      case '\\':
      case '/':
        out.push_back(*q);
        break;
      case 'u': {
        unsigned cp = 0;
        if (e - q < 5 || !hex4(q + 1, cp)) return false;
        q += 4;
        unsigned lo = 0;
        if (cp >= 0xD800 && cp <= 0xDBFF && e - q >= 7 && q[1] == '\\' && q[2] == 'u' && hex4(q + 3, lo) &&
            lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          q += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace mlops::trace
