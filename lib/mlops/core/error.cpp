#include "mlops/core/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace mlops {

Error bad_input(std::string message, std::string hint) {
  return Error{Exit::bad_input, std::move(message), std::move(hint)};
}

Error environment_error(std::string message, std::string hint) {
  return Error{Exit::environment, std::move(message), std::move(hint)};
}

Error system_error(std::string_view action, const std::filesystem::path& path, int err) {
  auto message = fmt::format("cannot {} '{}': {}", action, path.string(), std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
      return bad_input(std::move(message));
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return environment_error(std::move(message), "free some disk space and run the command again");
    case EACCES:
    case EPERM:
    case EROFS:
      return environment_error(std::move(message), "check the permissions of that path");
    default:
      return environment_error(std::move(message));
  }
}

}  // namespace mlops
