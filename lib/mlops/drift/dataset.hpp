#pragma once
// A dataset as `drift check` keeps it: per column, the numeric values (or, for text columns, the
// count of each distinct value) and what was missing. The file's text is not kept.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlops::drift {

struct Column {
  std::string name;
  bool numeric = true;             // every non-missing value parsed as a number
  bool integral = true;            // ... and each was written as an integer ("12", not "12.0")
  int decimals = -1;               // ... and each with at most this many digits after the point
                                   // (-1: not known; a hint for sorting)
  std::uint64_t missing = 0;       // empty, NA, N/A, NaN, null, None, <NA>; JSONL: absent or null
  std::uint64_t non_finite = 0;    // inf and -inf: numbers, but dropped before testing
  std::vector<double> values;      // numeric: the finite values, in no particular order
  std::vector<std::pair<std::string, std::uint64_t>> counts;  // text: each distinct value, its count
};

struct Dataset {
  std::string source;  // the name to show (a path, or PATH@REV)
  std::uint64_t rows = 0;
  std::vector<Column> columns;

  const Column* find(std::string_view name) const {
    for (const auto& c : columns) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
};

}  // namespace mlops::drift
