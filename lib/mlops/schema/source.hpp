#pragma once
// What DATA names for `schema infer` and `schema check`: a file, a folder in the work tree, or
// PATH@REV (drift/source.hpp: the data version PATH.mlops pointed to at REV, from the cache).
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/buffer.hpp"

namespace mlops::schema {

// The parts to read: one for a file; a folder's CSV/TSV or JSONL files (optionally .gz) in path
// order. Bad input when nothing by that name exists or a folder has no data files.
Result<std::vector<drift::Part>> open_data(const std::string& spec);

// The schema that belongs to DATA: DATA.schema.yaml beside the data (and its pointer), with an
// @REV suffix left out: data/train.csv@v1 → data/train.csv.schema.yaml.
std::string default_schema_path(const std::string& spec);

}  // namespace mlops::schema
