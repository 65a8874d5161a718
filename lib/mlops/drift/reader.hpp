#pragma once
// Reading CSV, TSV and JSONL (each optionally gzip-compressed) into a Dataset, in parallel:
// the bytes are memory-mapped, split at record boundaries, parsed without per-field allocation,
// and released as soon as each piece is parsed. The stages live apart: buffer.hpp (the bytes),
// records.hpp (format, header, splitting), csv.hpp and jsonl.hpp (records), text.hpp (values),
// columns.hpp (drift's columns per chunk); this file puts them together.
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/buffer.hpp"
#include "mlops/drift/dataset.hpp"
#include "mlops/drift/records.hpp"
#include "mlops/drift/text.hpp"

namespace mlops::drift {

// Reads every part; the parts must share their columns (CSV: the same header). Errors are bad
// input (exit 2) naming the part and the line.
Result<Dataset> read_dataset(std::string source, std::vector<Part>& parts, const ReadOptions& options);

}  // namespace mlops::drift
