#include "mlops/cli/commands/eval_common.hpp"

namespace mlops::cli {

std::optional<Repo> optional_store() {
  auto repo = find_store();
  if (!repo) return std::nullopt;
  return std::move(*repo);
}

}  // namespace mlops::cli
