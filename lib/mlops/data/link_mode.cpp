#include "mlops/data/link_mode.hpp"

namespace mlops::data {

std::string_view to_string(LinkMode mode) {
  switch (mode) {
    case LinkMode::copy:
      return "copy";
    case LinkMode::reflink:
      return "reflink";
    case LinkMode::hardlink:
      return "hardlink";
    case LinkMode::symlink:
      return "symlink";
  }
  return "copy";
}

std::optional<LinkMode> parse_link_mode(std::string_view text) {
  for (auto mode : {LinkMode::copy, LinkMode::reflink, LinkMode::hardlink, LinkMode::symlink}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

}  // namespace mlops::data
