#pragma once
// Versions of a registered model: "v" + Semantic Versioning 2.0.0 (https://semver.org), the form
// GTO accepts in tag names ("v1.2.3", "v1.0.0-rc.1", "v1.0.0+build.5").
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace mlops::registry {

struct SemVer {
  unsigned long long major = 0;
  unsigned long long minor = 0;
  unsigned long long patch = 0;
  std::string prerelease;  // "rc.1"; empty for a release
  std::string build;       // "build.5"; ignored for ordering, as SemVer says

  // Accepts exactly "v" + a SemVer ("v1.2.3-rc.1+b7"); anything else is nullopt.
  static std::optional<SemVer> parse(std::string_view text);
  std::string str() const;  // with the leading "v"

  enum class Part { major, minor, patch };
  // The next release: bumping a part zeroes the parts below it and drops pre-release and build.
  SemVer bump(Part part) const;
};

// SemVer precedence (build metadata ignored): 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0.
std::strong_ordering compare(const SemVer& a, const SemVer& b);
inline bool operator<(const SemVer& a, const SemVer& b) { return compare(a, b) < 0; }

}  // namespace mlops::registry
