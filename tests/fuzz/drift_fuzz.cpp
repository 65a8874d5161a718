// Drift's inputs besides datasets: the config file (`--config drift.yaml`) and a stored reference
// profile (`drift profile` output, read back by `drift check`), which may come from any clone.
#include "fuzz.hpp"
#include "mlops/drift/config.hpp"
#include "mlops/drift/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = std::string(mlops::fuzz::text(data, size));
  (void)mlops::drift::parse_drift_config(text, "drift.yaml");
  auto path = mlops::fuzz::write_scratch("profile.json", text).string();
  if (mlops::drift::is_profile(path)) (void)mlops::drift::read_profile(path);
  return 0;
}
