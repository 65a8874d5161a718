#include "mlops/drift/dataset.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mlops::drift {

std::string number_label(double v) { return fmt::format("{}", v); }

bool names_contain(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace mlops::drift
