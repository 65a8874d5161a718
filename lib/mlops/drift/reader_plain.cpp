// The fast path for delimited text without quote characters, the usual case, which the parser
// finds out as it goes: fields are read straight from the text, plain decimals parsed while they
// are scanned, and no list of fields is built. UTF-8 is validated only when a byte outside ASCII
// was seen. A quote character anywhere means the chunk may not start at a record boundary (a
// quoted field can hold a line break), so the caller then starts over on the RFC 4180 path.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/drift/columns.hpp"
#include "mlops/drift/csv.hpp"

namespace mlops::drift {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;

// The lowest flagged byte is the first zero byte of x (bytes above it may be flagged wrongly).
inline std::uint64_t zero_bytes(std::uint64_t x) { return (x - kOnes) & ~x & kHigh; }

// The end of an unquoted field starting at p: the first delimiter, line break or quote, or `end`.
// Every byte looked at is ORed into `seen`, which tells whether any was outside ASCII.
inline const char* field_end(const char* p, const char* end, char delim, std::uint64_t& seen) {
  const std::uint64_t d = kOnes * static_cast<unsigned char>(delim);
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    seen |= w;
    const std::uint64_t hit = zero_bytes(w ^ d) | zero_bytes(w ^ (kOnes * '\n')) | zero_bytes(w ^ (kOnes * '\r')) |
                              zero_bytes(w ^ (kOnes * '"'));
    if (hit) return p + __builtin_ctzll(hit) / 8;
    p += 8;
  }
  for (; p < end; ++p) {
    const char c = *p;
    seen |= static_cast<unsigned char>(c);
    if (c == delim || c == '\n' || c == '\r' || c == '"') break;
  }
  return p;
}

// How many of the bytes of w (first byte lowest) are ASCII digits before the first that is not.
inline int leading_digits(std::uint64_t w) {
  // A byte is a digit when its high half is 3 and adding 6 keeps it so (no carry leaves a digit).
  const std::uint64_t other =
      ((w & 0xF0F0F0F0F0F0F0F0ULL) ^ (kOnes * 0x30)) | (((w + kOnes * 6) & 0xF0F0F0F0F0F0F0F0ULL) ^ (kOnes * 0x30));
  return other ? __builtin_ctzll(other) / 8 : 8;
}

// The value of the first n (1 to 8) digits of w: they are moved to the top, behind zeros, and
// combined pairwise (two digits, then four, then eight) with three multiplications.
inline std::uint64_t digits_value(std::uint64_t w, int n) {
  std::uint64_t v = (w - kOnes * '0') << (8 * (8 - n));
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32;
  return v;
}

// Reads a run of digits at p into `mantissa` (which may overflow past 19 digits: the caller
// rejects those); eight at a time while 8 bytes can be read below `limit`.
inline const char* digit_run(const char* p, const char* limit, std::uint64_t& mantissa) {
  static constexpr std::uint64_t kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  while (limit - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const int n = leading_digits(w);
    if (n == 0) return p;
    mantissa = mantissa * kScale[n] + digits_value(w, n);
    p += n;
    if (n < 8) return p;
  }
  while (p < limit && static_cast<unsigned>(*p - '0') < 10)
    mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
  return p;
}

// A plain decimal field at p ([-]digits[.digits] with 1 to 15 digits, then a delimiter, a line
// break or `end`): sets `out` to what parse_number gives for it (the same exact division) and
// returns the field's end. nullptr for any other field, which then takes the general path.
// Bytes up to `limit` (the end of the text; no digit run passes the line break that ends a chunk)
// may be read.
inline const char* plain_number(const char* p, const char* end, const char* limit, char delim, double& out,
                                bool& integral, int& decimals) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = p < end && *p == '-';
  p += negative;
  std::uint64_t mantissa = 0;
  const char* first = p;
  p = digit_run(p, limit, mantissa);
  std::ptrdiff_t digits = p - first, fraction = 0;
  const bool point = p < end && *p == '.';
  if (point) {
    const char* f = ++p;
    p = digit_run(p, limit, mantissa);
    fraction = p - f;
    digits += fraction;
  }
  if (digits == 0 || digits > 15) return nullptr;
  if (p < end && *p != delim && *p != '\n' && *p != '\r') return nullptr;
  const double m = static_cast<double>(mantissa);
  const double v = m / kPow10[fraction];  // exact for fraction 0 (a division by 1)
  // The sign set without a branch: signs in data are as good as random.
  out = std::bit_cast<double>(std::bit_cast<std::uint64_t>(v) | (static_cast<std::uint64_t>(negative) << 63));
  integral = !point;
  decimals = static_cast<int>(fraction);
  return p;
}

}  // namespace

// Parses a chunk on the fast path; `quoted` is polled to stop early when another chunk met a quote.
Plain parse_csv_chunk_plain(std::string_view text, char delim, std::size_t ncols, Chunk& chunk,
                            std::deque<std::string>& arena, const std::atomic<bool>& quoted) {
  chunk.columns.resize(ncols);
  const char* base = text.data();
  const char* p = base + chunk.begin;
  const char* end = base + chunk.end;
  const char* limit = base + text.size();
  std::uint64_t seen = 0;
  // A row with too few or too many fields: the general parser counts them for the message (and
  // decides when the row has quotes).
  auto ragged = [&](const char* record) {
    std::vector<Field> fields;
    RecordStatus status;
    const char* at = nullptr;
    parse_record(record, end, delim, fields, status, at);
    if (status != RecordStatus::ok ||
        std::any_of(fields.begin(), fields.end(), [](const Field& f) { return f.quoted; })) {
      return Plain::quoted;
    }
    chunk.error = ragged_error(static_cast<std::size_t>(record - base), ncols, fields.size());
    return Plain::parsed;
  };
  auto finish = [&] {
    if (chunk.error || (seen & kHigh)) {
      // The general path checks the whole chunk before parsing it: invalid UTF-8 wins over a
      // ragged row in the same chunk there, so it does here.
      const std::string_view piece = text.substr(chunk.begin, chunk.end - chunk.begin);
      if (std::size_t bad = invalid_utf8(piece); bad != std::string_view::npos) {
        chunk.error = invalid_utf8_error(chunk.begin + bad);
      }
    }
    return Plain::parsed;
  };
  while (p < end) {
    if (*p == '\n' || *p == '\r') {  // a blank line
      p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
      continue;
    }
    const char* record = p;
    if ((++chunk.rows & 4095) == 0 && quoted.load(std::memory_order_relaxed)) return Plain::quoted;
    if (chunk.rows == 33) {
      // Room for the chunk's numbers at the rate of its first rows: a growing vector copies itself.
      const auto per_row = std::max<std::size_t>(static_cast<std::size_t>(record - (base + chunk.begin)) / 32, 1);
      const std::size_t rows = (chunk.end - chunk.begin) / per_row * 9 / 8 + 64;
      for (auto& c : chunk.columns) {
        if (!c.text) c.values.reserve(rows);
      }
    }
    std::size_t j = 0;
    for (;; ++p) {
      ChunkColumn& c = chunk.columns[j];
      ++c.present;
      const char* s = p;
      double d;
      bool integral;
      int decimals;
      if (const char* e = c.text ? nullptr : plain_number(p, end, limit, delim, d, integral, decimals)) {
        c.values.push_back(d + 0.0);  // -0.0 counts as 0
        c.integral = c.integral && integral;
        c.decimals = wider(c.decimals, decimals);
        p = e;
      } else {
        p = field_end(s, end, delim, seen);
        if (p < end && *p == '"') return Plain::quoted;
        const std::string_view v(s, static_cast<std::size_t>(p - s));
        if (!c.text) {
          if (add_value(c, v, false) == Add::needs_text) {
            switch_to_text(c);
            rescan_csv(text, chunk.begin, static_cast<std::size_t>(record - base), delim, j, ncols, c.counts, arena);
            c.counts.add(v);
          }
        } else if (limit - s >= 8) {
          // Missing spellings are counted like any text here and moved to `missing` at the end.
          std::uint64_t w;
          std::memcpy(&w, s, 8);
          c.counts.add_with_prefix(v, v.size() >= 8 ? w : w & ((std::uint64_t{1} << (8 * v.size())) - 1));
        } else {
          c.counts.add(v);
        }
      }
      if (++j == ncols) break;
      if (p == end || *p != delim) return ragged(record) == Plain::quoted ? Plain::quoted : finish();
    }
    if (p < end) {
      if (*p == '\n') {
        ++p;
      } else if (*p == '\r') {
        ++p;
        if (p < end && *p == '\n') ++p;
      } else {
        return ragged(record) == Plain::quoted ? Plain::quoted : finish();
      }
    }
  }
  return finish();
}

}  // namespace mlops::drift
