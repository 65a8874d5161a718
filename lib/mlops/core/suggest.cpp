#include "mlops/core/suggest.hpp"

#include <algorithm>

namespace mlops {

// Optimal string alignment: insertions, deletions, substitutions and swaps of two neighbours
// (`--nmae` is one edit from `--name`), each costing one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string_view bare = word.substr(std::min(word.find_first_not_of('-'), word.size()));
  const std::size_t limit = bare.size() <= 4 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty()) return best;
  // A prefix (`--lim` for `--limit`) names its option when no other starts the same way.
  if (bare.size() < 2) return {};
  std::string only;
  for (const auto& candidate : candidates) {
    if (!candidate.starts_with(word)) continue;
    if (!only.empty()) return {};
    only = candidate;
  }
  return only;
}

}  // namespace mlops
