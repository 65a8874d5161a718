#pragma once
// `mlops schema diff OLD NEW`: what changed between two schemas, in words, for reviewing a data
// contract's change in a pull request.
#include <string>
#include <vector>

#include "mlops/schema/schema.hpp"

namespace mlops::schema {

enum class ChangeKind {
  added,      // a column or a check is new
  removed,    // a column or a check is gone
  loosened,   // more data passes: a range or length widened, values added, nulls allowed, ...
  tightened,  // less data passes
  changed,    // neither (a type, a regex, a range moved)
};
std::string_view to_string(ChangeKind k);

struct Change {
  std::string column;  // empty for the table's rules
  std::string check;   // empty when a whole column was added or removed
  ChangeKind kind = ChangeKind::changed;
  std::string text;  // "range widened from [18, 95] to [0, 120]"
};

// The changes from `before` to `after`: table rules first, then columns in the new schema's
// order, then the removed columns.
std::vector<Change> diff_schemas(const Schema& before, const Schema& after);

}  // namespace mlops::schema
