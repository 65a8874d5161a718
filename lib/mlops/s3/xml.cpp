#include "mlops/s3/xml.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::s3 {

namespace {

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

std::vector<std::string_view> xml_elements(std::string_view document, std::string_view tag) {
  std::vector<std::string_view> found;
  std::string open = "<" + std::string(tag);
  std::string close = "</" + std::string(tag) + ">";
  std::size_t at = 0;
  while ((at = document.find(open, at)) != std::string_view::npos) {
    std::size_t after = at + open.size();
    if (after >= document.size()) break;
    char next = document[after];
    if (next != '>' && next != ' ' && next != '/' && next != '\t' && next != '\n' && next != '\r') {
      at = after;  // a longer name that starts the same (<Key> vs <KeyCount>)
      continue;
    }
    std::size_t end_of_tag = document.find('>', after);
    if (end_of_tag == std::string_view::npos) break;
    if (document[end_of_tag - 1] == '/') {  // <tag/>
      found.emplace_back();
      at = end_of_tag + 1;
      continue;
    }
    std::size_t end = document.find(close, end_of_tag + 1);
    if (end == std::string_view::npos) break;
    found.push_back(document.substr(end_of_tag + 1, end - end_of_tag - 1));
    at = end + close.size();
  }
  return found;
}

std::optional<std::string> xml_text(std::string_view document, std::string_view tag) {
  auto elements = xml_elements(document, tag);
  if (elements.empty()) return std::nullopt;
  return xml_decode(elements.front());
}

std::string xml_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos) {
      out += text[i];
      continue;
    }
    std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      bool hexadecimal = entity[1] == 'x' || entity[1] == 'X';
      std::string_view digits = entity.substr(hexadecimal ? 2 : 1);
      std::uint32_t code = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code, hexadecimal ? 16 : 10);
      if (error != std::errc() || end != digits.data() + digits.size()) {
        out += text[i];
        continue;
      }
      append_utf8(out, code);
    } else {
      out += text[i];
      continue;
    }
    i = semicolon;
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace mlops::s3
