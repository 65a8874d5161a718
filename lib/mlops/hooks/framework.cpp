#include "mlops/hooks/framework.hpp"

#include <cstdlib>

namespace mlops::hooks {

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

bool framework_pushing() { return env_set("PRE_COMMIT") && env_set("PRE_COMMIT_REMOTE_NAME"); }

bool framework_not_committing() {
  return env_set("PRE_COMMIT") && (env_set("PRE_COMMIT_REMOTE_NAME") || env_set("PRE_COMMIT_CHECKOUT_TYPE") ||
                                   env_set("PRE_COMMIT_IS_SQUASH_MERGE"));
}

}  // namespace mlops::hooks
