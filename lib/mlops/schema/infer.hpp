#pragma once
// `mlops schema infer`: a schema from a dataset, by the conservative rules of docs/schema.md
// ("Inference rules"): structure and nullability are errors; observed ranges, value sets, lengths
// and uniqueness are warnings, so the first real difference is seen without breaking a build.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/buffer.hpp"
#include "mlops/drift/records.hpp"
#include "mlops/schema/schema.hpp"

namespace mlops::schema {

// none: no ranges, lengths or row bounds; observed: the smallest and largest values seen;
// padded: those widened by a tenth of their span (never below 0 for data that has no negatives).
enum class Ranges { none, observed, padded };
std::optional<Ranges> parse_ranges(std::string_view text);

struct InferOptions {
  drift::ReadOptions read;
  std::size_t max_values = 20;  // the most distinct values a string column's value set may list (0: none)
  Ranges ranges = Ranges::observed;
};

struct Inferred {
  Schema schema;
  std::uint64_t rows = 0;  // rows read
};

// Bad input (exit 2) for malformed data or data without rows.
Result<Inferred> infer_schema(std::vector<drift::Part>& parts, const InferOptions& options);

}  // namespace mlops::schema
