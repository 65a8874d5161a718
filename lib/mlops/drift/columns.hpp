#pragma once
// How `drift check` reads a part into columns, chunk by chunk (reader.cpp puts the chunks
// together): per column the numbers, or the count of each text value, and what was missing.
// The formats: reader_csv.cpp (RFC 4180), reader_plain.cpp (delimited text without quotes, the
// fast path), reader_jsonl.cpp.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mlops/drift/text.hpp"

namespace mlops::drift {

// Counts distinct text values with keys that point into the input (or an arena): a small
// open-addressing table while there are few, a hash map beyond.
class Counter {
 public:
  void add(std::string_view v, std::uint64_t n = 1) { add_with_prefix(v, prefix(v), n); }
  // `p` must be prefix(v) (a caller that has the bytes in a register already passes them).
  void add_with_prefix(std::string_view v, std::uint64_t p, std::uint64_t n = 1) {
    if (big_.empty()) {
      std::size_t h = static_cast<std::size_t>(((p ^ v.size()) * 0x9E3779B97F4A7C15ULL) >> 58);
      for (;; h = (h + 1) & (kSlots - 1)) {
        Entry& e = table_[h];
        if (e.count == 0) {
          if (used_ == kMaxSmall) break;
          e = {p, v, n};
          ++used_;
          return;
        }
        if (e.prefix == p && e.key.size() == v.size() &&
            (v.size() <= 8 || std::memcmp(e.key.data() + 8, v.data() + 8, v.size() - 8) == 0)) {
          e.count += n;
          return;
        }
      }
      for (auto& e : table_) {
        if (e.count) big_.emplace(e.key, e.count);
        e = Entry{};
      }
      used_ = 0;
    }
    big_[v] += n;
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& e : table_) {
      if (e.count) f(e.key, e.count);
    }
    for (const auto& [k, c] : big_) f(k, c);
  }
  void clear() {
    for (auto& e : table_) e = Entry{};
    used_ = 0;
    big_.clear();
  }

  // The first 8 bytes, zero-padded: most keys differ there, so most comparisons are one integer.
  static std::uint64_t prefix(std::string_view v) {
    std::uint64_t p = 0;
    const std::size_t n = std::min<std::size_t>(v.size(), 8);
    for (std::size_t i = 0; i < n; ++i) p |= static_cast<std::uint64_t>(static_cast<unsigned char>(v[i])) << (8 * i);
    return p;
  }

 private:
  struct Entry {
    std::uint64_t prefix = 0;
    std::string_view key;
    std::uint64_t count = 0;  // 0: free slot (every counted value has a count of at least 1)
  };
  static constexpr std::size_t kSlots = 64, kMaxSmall = 32;  // at most half full
  std::array<Entry, kSlots> table_{};
  std::size_t used_ = 0;
  std::unordered_map<std::string_view, std::uint64_t> big_;
};

// The most digits after the point of values a and b (-1: some value is not a plain decimal).
inline int wider(int a, int b) { return (a < 0 || b < 0) ? -1 : std::max(a, b); }

// One column as seen in one chunk of the input.
struct ChunkColumn {
  bool text = false;
  bool integral = true;
  int decimals = 0;
  std::uint64_t present = 0;  // fields seen (JSONL: the key was there)
  std::uint64_t missing = 0;
  std::uint64_t non_finite = 0;
  std::vector<double> values;
  Counter counts;                                            // while parsing
  std::vector<std::pair<std::string, std::uint64_t>> owned;  // after: the counts, owning keys
};

enum class Add { ok, needs_text };

// Adds one field; `force_text` for JSON strings, which are text even when they look numeric.
inline Add add_value(ChunkColumn& c, std::string_view v, bool force_text) {
  if (v.size() <= 4 && is_missing_value(v)) {  // longer text is never missing: skip the call
    ++c.missing;
    return Add::ok;
  }
  if (!c.text) {
    double d;
    bool integral;
    int decimals;
    if (force_text || !parse_number(v, d, integral, decimals)) return Add::needs_text;
    if (std::isnan(d)) {
      ++c.missing;
    } else if (std::isinf(d)) {
      ++c.non_finite;
    } else {
      c.values.push_back(d + 0.0);  // -0.0 counts as 0
      c.integral = c.integral && integral;
      c.decimals = wider(c.decimals, decimals);
    }
    return Add::ok;
  }
  c.counts.add(v);
  return Add::ok;
}

inline void switch_to_text(ChunkColumn& c) {
  c.text = true;
  c.values.clear();
  c.values.shrink_to_fit();
  c.non_finite = 0;
}

// One piece of a part, parsed on its own (in parallel with the others).
struct Chunk {
  std::size_t begin = 0, end = 0;  // offsets into the part's text
  std::uint64_t rows = 0;
  std::vector<ChunkColumn> columns;
  std::vector<std::string> names;  // JSONL: the keys of `columns`, in order of appearance
  std::optional<ParseError> error;
};

// Delimited text, RFC 4180 (reader_csv.cpp). `rescan_csv` re-reads column `col` of the records
// in [begin, stop) as text (a column that looked numeric until a non-number appeared).
void parse_csv_chunk(std::string_view text, char delim, std::size_t ncols, Chunk& chunk,
                     std::deque<std::string>& arena);
void rescan_csv(std::string_view text, std::size_t begin, std::size_t stop, char delim, std::size_t col,
                std::size_t ncols, Counter& counts, std::deque<std::string>& arena);

// The fast path for delimited text without quote characters (reader_plain.cpp). It returns
// `quoted` when it met a quote (the chunk may then not start at a record boundary, and the part
// is read again on the RFC 4180 path), or when another chunk did (`quoted` is polled).
enum class Plain { parsed, quoted };
Plain parse_csv_chunk_plain(std::string_view text, char delim, std::size_t ncols, Chunk& chunk,
                            std::deque<std::string>& arena, const std::atomic<bool>& quoted);

// JSON Lines (reader_jsonl.cpp): columns in order of first appearance in the chunk.
void parse_jsonl_chunk(std::string_view text, Chunk& chunk, std::deque<std::string>& arena);
void rescan_jsonl(std::string_view text, std::size_t begin, std::size_t stop, std::string_view name, Counter& counts,
                  std::deque<std::string>& arena);

}  // namespace mlops::drift
