#include "mlops/drift/source.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace mlops::drift {

Result<std::vector<Part>> open_source(const std::string& spec) {
  std::error_code ec;
  const auto at = spec.rfind('@');
  if (at == std::string::npos || std::filesystem::exists(spec, ec)) {
    auto buffer = Buffer::map_file(spec);
    if (!buffer) return std::unexpected(buffer.error());
    std::vector<Part> parts;
    parts.push_back(Part{spec, std::move(*buffer)});
    return parts;
  }
  return std::unexpected(bad_input(fmt::format("'{}' does not exist, and reading PATH@REV needs the data module", spec),
                                   "give a file path"));
}

}  // namespace mlops::drift
