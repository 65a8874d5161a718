#pragma once
// Sorting large arrays of doubles (radix sort; NaN must be absent).
#include <vector>

namespace mlops::drift {
// `decimals`: a hint that every value was written with at most that many decimal places (from
// the text it was parsed from; -1 when not known), which lets it sort as scaled integers. The
// hint only chooses the method: the result is the same whatever it says.
void sort_values(std::vector<double>& values, int decimals = -1);
}  // namespace mlops::drift
