#pragma once
// The YAML form of a schema (docs/schema.md, "The schema file"). Writing is canonical: one key
// order, one quoting rule, the short form of a check whenever it has the default severity and
// `mostly`, so that infer → parse → write gives the same bytes.
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/schema/schema.hpp"

namespace mlops::schema {

// Parses schema text; `name` is the file for messages. Bad input (exit 2) naming the file and
// the line for bad YAML, an unknown key, a wrong value, a check that does not fit the column's
// type, or a regex RE2 does not accept.
Result<Schema> parse_schema(const std::string& text, const std::string& name);

// Reads and parses a schema file.
Result<Schema> load_schema(const std::string& path);

// The canonical YAML text of a schema.
std::string write_schema(const Schema& schema);

}  // namespace mlops::schema

namespace mlops::schema {

// A schema as committed: PATH (relative to the current folder) in git revision REV (a commit,
// branch or tag). Bad input when REV names no commit or the file is not in it.
Result<Schema> load_schema_at(const std::string& path, const std::string& rev);

}  // namespace mlops::schema
