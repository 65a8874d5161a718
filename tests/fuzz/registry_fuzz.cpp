// Registry tag messages and their trailers (any clone can push a tag), and references
// (`churn@v1.2.0`, `churn#production`) that users type.
#include "fuzz.hpp"
#include "mlops/registry/metadata.hpp"
#include "mlops/registry/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = mlops::fuzz::text(data, size);
  auto message = mlops::registry::parse_message(text);
  // What was parsed must format and parse back without trouble.
  (void)mlops::registry::parse_message(mlops::registry::format_message(message.subject, message.body, message.meta));
  (void)mlops::registry::parse_reference(text);
  return 0;
}
