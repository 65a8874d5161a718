#include "mlops/core/yaml_quote.hpp"

#include <fmt/format.h>

namespace mlops {

namespace {

bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Words YAML 1.1 readers (PyYAML) resolve to booleans or null, and the names of the special
// floats, which some readers accept without their dot.
bool reserved_word(std::string_view text) {
  std::string lower;
  for (char c : text) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  for (std::string_view word :
       {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", ".inf", ".nan"}) {
    if (lower == word) return true;
  }
  return false;
}

}  // namespace

bool yaml_plain_safe(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!(ascii_letter(c) || ascii_digit(c) || c == '_' || c == '-' || c == '.' || c == '/')) return false;
  }
  // A digit, '-' or '+' first may read as a number, a date or a list item.
  char first = text.front();
  if (first == '.') {
    if (text.size() == 1 || text[1] == '.') return false;
    // PyYAML's float pattern includes `\.[0-9_]+([eE][-+][0-9]+)?` (so "._" is a float it cannot read).
    bool number_like = ascii_digit(text[1]) || text[1] == '_';
    for (char c : text.substr(1)) {
      if (!(ascii_digit(c) || c == '_' || c == 'e' || c == 'E' || c == '-' || c == '+')) number_like = false;
    }
    if (number_like) return false;
  } else if (!(ascii_letter(first) || first == '_' || first == '/')) {
    return false;
  }
  return !reserved_word(text);
}

std::string yaml_double_quoted(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string yaml_scalar(std::string_view text) {
  return yaml_plain_safe(text) ? std::string(text) : yaml_double_quoted(text);
}

}  // namespace mlops
