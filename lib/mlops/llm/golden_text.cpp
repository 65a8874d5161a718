// What eval check looks for in a golden set's text: valid UTF-8, and personal data (emails, card
// numbers) that should not sit in a versioned file.
#include "mlops/llm/golden_text.hpp"

#include <fmt/format.h>

#include <cctype>

#include "mlops/llm/golden.hpp"

namespace mlops::llm {

namespace {

bool email_local_char(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool email_domain_char(unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; }

// The email address around the '@' at `at`, or "" when it is not one: a local part, a domain
// with a dot, and a top-level domain of two letters or more.
std::string_view email_at(std::string_view text, std::size_t at) {
  std::size_t begin = at;
  while (begin > 0 && email_local_char(static_cast<unsigned char>(text[begin - 1]))) --begin;
  std::size_t end = at + 1;
  while (end < text.size() && email_domain_char(static_cast<unsigned char>(text[end]))) ++end;
  while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;  // "a@b.io." ends a sentence
  if (begin == at) return {};
  std::string_view domain = text.substr(at + 1, end - at - 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string_view top = domain.substr(dot + 1);
  if (top.size() < 2) return {};
  for (char c : top) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return {};
  }
  return text.substr(begin, end - begin);
}

}  // namespace

bool valid_utf8(std::string_view text, std::size_t* bad_offset) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80                   ? 1
                         : (c >= 0xc2 && c <= 0xdf) ? 2
                         : (c >= 0xe0 && c <= 0xef) ? 3
                         : (c >= 0xf0 && c <= 0xf4) ? 4
                                                    : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t j = 1; valid && j < length; ++j) valid = (static_cast<unsigned char>(text[i + j]) & 0xc0) == 0x80;
    if (valid && length >= 3) {
      auto second = static_cast<unsigned char>(text[i + 1]);
      // No overlong forms, no UTF-16 surrogates, nothing above U+10FFFF.
      if (c == 0xe0 && second < 0xa0) valid = false;
      if (c == 0xed && second > 0x9f) valid = false;
      if (c == 0xf0 && second < 0x90) valid = false;
      if (c == 0xf4 && second > 0x8f) valid = false;
    }
    if (!valid) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

std::string with_valid_utf8(std::string_view text) {
  std::string result;
  std::size_t bad = 0;
  while (!valid_utf8(text, &bad)) {
    result.append(text.substr(0, bad));
    result.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
    text.remove_prefix(bad + 1);
  }
  result.append(text);
  return result;
}

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::optional<std::string> find_personal_data(std::string_view text) {
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    auto email = email_at(text, at);
    if (!email.empty()) return fmt::format("an email address '{}'", email);
  }
  // Card numbers: runs of digits with single spaces or dashes between groups, not part of a
  // longer number or word.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) {
      while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
      continue;
    }
    std::string digits;
    std::size_t end = i;
    while (end < text.size()) {
      if (std::isdigit(static_cast<unsigned char>(text[end]))) {
        digits.push_back(text[end]);
        ++end;
      } else if ((text[end] == ' ' || text[end] == '-') && end + 1 < text.size() &&
                 std::isdigit(static_cast<unsigned char>(text[end + 1])) && digits.size() < 19) {
        ++end;
      } else {
        break;
      }
    }
    bool word_after = end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]));
    if (!word_after && digits.size() >= 13 && digits.size() <= 19 && luhn_valid(digits)) {
      std::string shown = digits.substr(0, 4) + std::string(digits.size() - 8, '*') + digits.substr(digits.size() - 4);
      return fmt::format("a card number '{}'", shown);
    }
    i = end;
  }
  return std::nullopt;
}

}  // namespace mlops::llm
