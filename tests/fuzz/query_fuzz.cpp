// The filter language of `runs list --where` and `--sort` (what users type, and scripts build).
#include "fuzz.hpp"
#include "mlops/tracking/query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = mlops::fuzz::text(data, size);
  (void)mlops::tracking::parse_query(text);
  (void)mlops::tracking::parse_sort_key(text);
  return 0;
}
