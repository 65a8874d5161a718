// Pointer files (`PATH.mlops`) and directory manifests: both are read from clones, merges and
// remotes that someone else wrote.
#include "fuzz.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/pointer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = mlops::fuzz::text(data, size);
  (void)mlops::data::parse_pointer(text, "fuzz.mlops");
  (void)mlops::data::parse_manifest(text, "fuzz.manifest");
  return 0;
}
