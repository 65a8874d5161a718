#pragma once
// Text made safe inside HTML elements and quoted attributes, for every page mlops writes (drift,
// schema and trace reports, `runs report`, `mlops ui`): & < > " ' become entities, NUL and bytes
// that are not valid UTF-8 become U+FFFD.
#include <string>
#include <string_view>

namespace mlops {

std::string html_escape(std::string_view text);

}  // namespace mlops
