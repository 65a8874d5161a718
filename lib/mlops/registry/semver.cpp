#include "mlops/registry/semver.hpp"

#include <fmt/format.h>

#include <charconv>
#include <vector>

namespace mlops::registry {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }
bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

// A numeric part: digits, no leading zero (unless it is "0").
std::optional<unsigned long long> parse_number(std::string_view s) {
  if (!all_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto dot = s.find('.');
    parts.push_back(s.substr(0, dot));
    if (dot == std::string_view::npos) return parts;
    s.remove_prefix(dot + 1);
  }
}

// Dot-separated identifiers of [0-9A-Za-z-]; in a pre-release, numeric ones have no leading zero.
bool valid_identifiers(std::string_view s, bool prerelease) {
  for (auto part : split_dots(s)) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!is_ident_char(c)) return false;
    }
    if (prerelease && all_digits(part) && part.size() > 1 && part[0] == '0') return false;
  }
  return true;
}

}  // namespace

std::optional<SemVer> SemVer::parse(std::string_view text) {
  if (text.size() < 2 || text[0] != 'v') return std::nullopt;
  text.remove_prefix(1);
  SemVer v;
  if (auto plus = text.find('+'); plus != std::string_view::npos) {
    v.build = std::string(text.substr(plus + 1));
    if (!valid_identifiers(v.build, false)) return std::nullopt;
    text = text.substr(0, plus);
  }
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    v.prerelease = std::string(text.substr(dash + 1));
    if (!valid_identifiers(v.prerelease, true)) return std::nullopt;
    text = text.substr(0, dash);
  }
  auto core = split_dots(text);
  if (core.size() != 3) return std::nullopt;
  auto major = parse_number(core[0]), minor = parse_number(core[1]), patch = parse_number(core[2]);
  if (!major || !minor || !patch) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  v.patch = *patch;
  return v;
}

std::string SemVer::str() const {
  std::string s = fmt::format("v{}.{}.{}", major, minor, patch);
  if (!prerelease.empty()) s += "-" + prerelease;
  if (!build.empty()) s += "+" + build;
  return s;
}

SemVer SemVer::bump(Part part) const {
  SemVer next{major, minor, patch, {}, {}};  // as GTO (python-semver) bumps
  switch (part) {
    case Part::major:
      next = {major + 1, 0, 0, {}, {}};
      break;
    case Part::minor:
      next = {major, minor + 1, 0, {}, {}};
      break;
    case Part::patch:
      next.patch = patch + 1;
      break;
  }
  return next;
}

std::strong_ordering compare(const SemVer& a, const SemVer& b) {
  if (auto c = a.major <=> b.major; c != 0) return c;
  if (auto c = a.minor <=> b.minor; c != 0) return c;
  if (auto c = a.patch <=> b.patch; c != 0) return c;
  // A release ranks above its pre-releases.
  if (a.prerelease.empty() || b.prerelease.empty()) {
    return a.prerelease.empty() <=> b.prerelease.empty();
  }
  auto pa = split_dots(a.prerelease), pb = split_dots(b.prerelease);
  for (std::size_t i = 0; i < pa.size() && i < pb.size(); ++i) {
    bool na = all_digits(pa[i]), nb = all_digits(pb[i]);
    if (na && nb) {
      // Compare numerically without overflow: longer digit strings (no leading zeros) are larger.
      if (auto c = pa[i].size() <=> pb[i].size(); c != 0) return c;
      if (auto c = pa[i].compare(pb[i]) <=> 0; c != 0) return c;
    } else if (na != nb) {
      return na ? std::strong_ordering::less : std::strong_ordering::greater;  // numeric < text
    } else if (auto c = pa[i].compare(pb[i]) <=> 0; c != 0) {
      return c;
    }
  }
  return pa.size() <=> pb.size();
}

}  // namespace mlops::registry
