#include "mlops/core/json_output.hpp"

#include "mlops/core/output.hpp"

namespace mlops::out {
void print_json(const nlohmann::ordered_json& document) {
  print(document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}
}  // namespace mlops::out
