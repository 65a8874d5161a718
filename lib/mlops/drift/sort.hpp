#pragma once
// Sorting large arrays of doubles (radix sort on the IEEE bit patterns; NaN must be absent).
#include <vector>

namespace mlops::drift {
void sort_values(std::vector<double>& values);
}
