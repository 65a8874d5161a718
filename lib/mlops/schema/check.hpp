#pragma once
// `mlops schema check`: every check of a schema over a dataset in one streaming pass (scan.hpp),
// with Great Expectations' counts: per check the values looked at, the missing, the unexpected
// count and share, and the first distinct bad values with their row numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/buffer.hpp"
#include "mlops/drift/records.hpp"
#include "mlops/schema/schema.hpp"

namespace mlops::schema {

struct Example {
  std::string value;  // clipped to 80 bytes; empty for a missing value or a table check's row count
  bool missing = false;
  std::uint64_t row = 0;  // 1 = the first data row; 0 for a table check (a column name)
  // unique: the row where the value first appeared (`row` is the first row that repeats it).
  std::uint64_t first_row = 0;
};

enum class Status { passed, failed, skipped };
std::string_view to_string(Status s);

struct CheckResult {
  std::string column;    // empty for a table check
  std::string check;     // type, nullable, present, unique, values, range, length, regex; rows, columns
  std::string expected;  // in words: "int", "from 0 to 120", "one of basic, pro"
  Severity severity = Severity::error;
  double mostly = 1;
  Status status = Status::passed;
  // The counts are coherent for every check (docs/schema.md, "JSON output"): unexpected is a
  // part of elements, and unexpected_share = unexpected / elements (0 when elements is 0).
  std::string note;               // why skipped; the observed value of a table check
  std::uint64_t elements = 0;     // what was judged: the non-missing values of the column (rows for
                                  // nullable and present; 1, the table, for rows; the columns of the
                                  // data and the schema together for columns)
  std::uint64_t missing = 0;      // missing values in the column
  std::uint64_t unexpected = 0;   // what failed
  double unexpected_share = 0;    // unexpected / elements (0 when there were none)
  std::vector<Example> examples;  // the first distinct failing values, in row order; none when passed
};

struct CheckReport {
  std::string data;    // as the user named it
  std::string schema;  // the schema file
  std::uint64_t rows = 0;
  std::vector<CheckResult> checks;

  std::size_t failed_count(Severity severity) const;
  // Any failed error-level check, or (strict) any failed check at all.
  bool failed(bool strict) const;
};

struct CheckOptions {
  drift::ReadOptions read;
  std::size_t examples = 5;  // distinct failing values kept per check
};

// Checks the data in `parts` (a dataset's files, read in order) against `schema`. Bad input
// (exit 2) for malformed data, naming the part and the line.
Result<CheckReport> check_schema(const Schema& schema, std::vector<drift::Part>& parts, const CheckOptions& options);

}  // namespace mlops::schema
