#pragma once
// How `data add` and `data checkout` put cached content into the workspace (`cache.link`).
#include <optional>
#include <string_view>

namespace mlops::data {

enum class LinkMode { copy, reflink, hardlink, symlink };
std::string_view to_string(LinkMode mode);
std::optional<LinkMode> parse_link_mode(std::string_view text);

}  // namespace mlops::data
