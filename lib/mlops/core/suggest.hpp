#pragma once
// "Did you mean" for mistyped names (commands, options, schema keys), the way git and ninja answer them.
#include <string>
#include <string_view>
#include <vector>

namespace mlops {
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word`: at most two edits away (one for words of up to four
// characters), or the only candidate that starts with `word`; "" when none is close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
}  // namespace mlops
