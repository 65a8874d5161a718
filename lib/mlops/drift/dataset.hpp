#pragma once
// A dataset as `drift check` keeps it: per column, the numeric values (or, for text columns, the
// count of each distinct value) and what was missing. The file's text is not kept.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlops::drift {

// The reference bins of a numeric column read from a saved profile (`mlops drift profile`) whose
// values were too many to keep: what PSI and Jensen-Shannon need, and nothing more.
struct ProfileBins {
  std::vector<double> inner;   // reference_bin_edges()
  std::vector<double> counts;  // reference values per bin
  std::uint64_t values = 0;    // finite values binned
  std::uint64_t distinct = 0;  // distinct finite values
};

struct Column {
  std::string name;
  bool numeric = true;           // every non-missing value parsed as a number
  bool integral = true;          // ... and each was written as an integer ("12", not "12.0")
  int decimals = -1;             // ... and each with at most this many digits after the point
                                 // (-1: not known; a hint for sorting)
  std::uint64_t missing = 0;     // empty, NA, N/A, NaN, null, None, <NA>; JSONL: absent or null
  std::uint64_t non_finite = 0;  // inf and -inf: numbers, but dropped before testing
  std::vector<double> values;    // numeric: the finite values, in no particular order
  std::vector<std::pair<std::string, std::uint64_t>> counts;  // text: each distinct value, its count
  bool from_profile = false;                                  // read from a saved profile: no KS or Wasserstein
  std::optional<ProfileBins> bins;  // a profile's numeric column kept as bins (values then empty)
  int forced_type = 0;              // a profile made with --numeric (1) or --categorical (2) for it
};

// The category label of a number when a numeric column is compared as categories: the shortest
// text that reads back as the same double. The reader and the check must agree on it.
std::string number_label(double v);

// Whether `name` is one of `names` (the columns of --numeric, --categorical, --columns, ...).
bool names_contain(const std::vector<std::string>& names, std::string_view name);

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
