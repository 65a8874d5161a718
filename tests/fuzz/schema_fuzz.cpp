// Data contracts (`schema.yaml`), including the regular expressions users write in them.
#include "fuzz.hpp"
#include "mlops/schema/schema_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)mlops::schema::parse_schema(std::string(mlops::fuzz::text(data, size)), "schema.yaml");
  return 0;
}
