#pragma once
// The unique check in little memory: the pass keeps 8 bytes per value (its 64-bit hash), not
// the value or its row; values whose hashes repeat are read again in a second pass, only when
// some hash does repeat, and compared by their text, so a hash collision never counts as a
// duplicate. docs/schema.md ("Speed and memory") has the figures.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mlops/schema/check.hpp"

namespace mlops::schema {

// The first pass's part (inside a scan.hpp accumulator): every value's hash, 8 bytes a value.
// Each piece's hashes are sorted on its thread and kept as a run of their own: merging moves runs
// and copies nothing, and repeated() walks all runs at once in hash order.
class UniqueHashes {
 public:
  void add(std::string_view value);
  void piece_done();  // sorts this piece's hashes (on its thread) into a run
  void merge(UniqueHashes&& later);
  // The hashes that more than one value has, sorted: the values to read again.
  std::vector<std::uint64_t> repeated() const;

 private:
  std::vector<std::uint64_t> piece_;              // this piece's hashes, until piece_done
  std::vector<std::vector<std::uint64_t>> runs_;  // sorted runs
};

// The second pass's accumulator (scan.hpp) for one column: the values whose hash is one of
// `repeated`, with their text (views into the pass's data and arenas).
class UniqueRecheck {
 public:
  explicit UniqueRecheck(const std::vector<std::uint64_t>* repeated) : repeated_(repeated) {}
  void value(std::string_view v, bool json_string, std::uint64_t row);
  void null(std::uint64_t) {}
  void nulls(std::uint64_t, std::uint64_t) {}
  void merge(UniqueRecheck&& later, std::uint64_t offset);
  void piece_done() {}

  struct Value {
    std::uint64_t row = 0;
    std::string_view text;
  };
  std::vector<Value> values;  // in row order

 private:
  const std::vector<std::uint64_t>* repeated_;  // null: this column is not read again
};

// The values that more than one row has: `rows` counts every row holding such a value (the first
// too), and `examples` name, for the first `keep` such values in the order they repeat, the
// first row that repeats each (Example::row) and the row it first appeared in (first_row), from 1.
struct Duplicates {
  std::uint64_t rows = 0;
  std::vector<Example> examples;
};
Duplicates find_duplicates(std::vector<UniqueRecheck::Value> values, std::size_t keep);

}  // namespace mlops::schema
