#pragma once
#include <string_view>

namespace mlops {
// The release version ("0.1.0") and the git commit the binary was built from
// ("1a2b3c4d5e6f", with "-dirty" when the source tree had uncommitted changes).
std::string_view version();
std::string_view build_commit();
}  // namespace mlops
