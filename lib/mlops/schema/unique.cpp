#include "mlops/schema/unique.hpp"

#include <xxhash.h>

#include <algorithm>
#include <functional>
#include <queue>

#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {
std::uint64_t hash_of(std::string_view v) { return XXH3_64bits(v.data(), v.size()); }
}  // namespace

void UniqueHashes::add(std::string_view value) { piece_.push_back(hash_of(value)); }

void UniqueHashes::piece_done() {
  if (piece_.empty()) return;
  std::sort(piece_.begin(), piece_.end());
  piece_.shrink_to_fit();  // a vector grown by doubling may hold twice what it needs
  runs_.push_back(std::move(piece_));
  piece_ = {};
}

void UniqueHashes::merge(UniqueHashes&& later) {
  for (auto& run : later.runs_) runs_.push_back(std::move(run));
  later.runs_.clear();
}

std::vector<std::uint64_t> UniqueHashes::repeated() const {
  // A k-way walk over the sorted runs (a min-heap of each run's next hash): equal hashes come
  // out one after the other, whichever runs hold them.
  struct Next {
    std::uint64_t hash;
    std::size_t run, at;
    bool operator>(const Next& o) const { return hash > o.hash; }
  };
  std::priority_queue<Next, std::vector<Next>, std::greater<>> heap;
  for (std::size_t r = 0; r < runs_.size(); ++r) heap.push(Next{runs_[r][0], r, 0});
  std::vector<std::uint64_t> hashes;
  bool any = false;
  std::uint64_t last = 0;
  while (!heap.empty()) {
    const Next n = heap.top();
    heap.pop();
    if (any && n.hash == last && (hashes.empty() || hashes.back() != n.hash)) hashes.push_back(n.hash);
    any = true;
    last = n.hash;
    if (n.at + 1 < runs_[n.run].size()) heap.push(Next{runs_[n.run][n.at + 1], n.run, n.at + 1});
  }
  return hashes;
}

void UniqueRecheck::value(std::string_view v, bool, std::uint64_t row) {
  if (repeated_ && std::binary_search(repeated_->begin(), repeated_->end(), hash_of(v)))
    values.push_back(Value{row, v});
}

void UniqueRecheck::merge(UniqueRecheck&& later, std::uint64_t offset) {
  for (auto& v : later.values) v.row += offset;
  values.insert(values.end(), later.values.begin(), later.values.end());
}

Duplicates find_duplicates(std::vector<UniqueRecheck::Value> values, std::size_t keep) {
  // By text, then row: each run of one text is a value and the rows that have it.
  std::sort(values.begin(), values.end(), [](const UniqueRecheck::Value& x, const UniqueRecheck::Value& y) {
    return x.text != y.text ? x.text < y.text : x.row < y.row;
  });
  Duplicates d;
  std::vector<Example> all;
  for (std::size_t g = 0; g < values.size();) {
    std::size_t h = g + 1;
    while (h < values.size() && values[h].text == values[g].text) ++h;
    if (h - g > 1) {
      d.rows += h - g;
      all.push_back(Example{clip(values[g].text), false, values[g + 1].row + 1, values[g].row + 1});
    }
    g = h;
  }
  std::sort(all.begin(), all.end(), [](const Example& x, const Example& y) { return x.row < y.row; });
  if (all.size() > keep) all.resize(keep);
  d.examples = std::move(all);
  return d;
}

}  // namespace mlops::schema
