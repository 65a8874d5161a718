#pragma once
// One streaming pass over a dataset's parts (CSV/TSV/JSONL, gzip or not) on every core, with the
// readers `drift check` uses (drift/records.hpp, csv.hpp, jsonl.hpp): each piece of the text is
// parsed on its own into one accumulator per column, and the pieces are merged in order, so an
// accumulator sees row numbers that count from the first row of the dataset.
//
// An accumulator (Acc) has:
//   void value(std::string_view text, bool json_string, std::uint64_t row);  // a present value
//   void null(std::uint64_t row);                          // a missing value (NA, empty, absent)
//   void nulls(std::uint64_t first_row, std::uint64_t n);  // n missing values from first_row on
//   void merge(Acc&& later, std::uint64_t row_offset);     // the next piece, its rows shifted
//   void piece_done();                                     // a piece is parsed (on its thread)
// Rows count from 0 (the first data row) inside the pass. Accumulators may keep views of the text:
// the parts and Scanned::arenas must outlive them.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/parallel.hpp"
#include "mlops/drift/csv.hpp"
#include "mlops/drift/jsonl.hpp"
#include "mlops/drift/records.hpp"
#include "mlops/drift/text.hpp"

namespace mlops::schema {

template <class Acc>
struct Scanned {
  std::uint64_t rows = 0;
  std::vector<std::string> names;  // CSV: the header; JSONL: keys in order of first appearance
  std::vector<Acc> columns;
  std::vector<std::deque<std::string>> arenas;  // unescaped text the accumulators may point into

  std::optional<std::size_t> index_of(std::string_view name) const {
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (names[j] == name) return j;
    }
    return std::nullopt;
  }
};

namespace scan_detail {

template <class Acc>
struct Piece {
  drift::Span span;
  std::uint64_t rows = 0;
  std::vector<std::string> names;
  std::vector<Acc> columns;
  std::optional<drift::ParseError> error;
  std::deque<std::string> arena;
};

// A field to its column: missing-value spellings (at most 4 bytes) are nulls.
template <class Acc>
inline void add_field(Acc& column, std::string_view v, std::uint64_t row) {
  if (v.size() <= 4 && drift::is_missing_value(v))
    column.null(row);
  else
    column.value(v, false, row);
}

// Delimited text without a quote character anywhere (the usual case): fields run to the next
// delimiter, records to the next line break, found with memchr; no list of fields is built.
template <class Acc>
void parse_plain_piece(std::string_view text, const drift::Table& table, Piece<Acc>& piece) {
  const std::size_t ncols = table.names.size();
  const char delim = table.delimiter;
  const char* base = text.data();
  const char* p = base + piece.span.begin;
  const char* end = base + piece.span.end;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!nl) nl = end;
    const char* line_end = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
    if (line_end == p) {
      p = nl + 1;
      continue;
    }
    const std::uint64_t row = piece.rows++;
    const char* f = p;
    std::size_t j = 0;
    for (;;) {
      const char* d = f;  // fields are short: a loop beats a call to memchr
      while (d < line_end && *d != delim) ++d;
      if (j < ncols) add_field(piece.columns[j], std::string_view(f, static_cast<std::size_t>(d - f)), row);
      ++j;
      if (d == line_end) break;
      f = d + 1;
    }
    if (j != ncols) {
      piece.error = drift::ragged_error(static_cast<std::size_t>(p - base), ncols, j);
      return;
    }
    p = nl + 1;
  }
}

template <class Acc>
void parse_csv_piece(std::string_view text, const drift::Table& table, Piece<Acc>& piece) {
  const std::size_t ncols = table.names.size();
  std::vector<drift::Field> fields;
  fields.reserve(ncols);
  const char* base = text.data();
  const char* p = base + piece.span.begin;
  const char* end = base + piece.span.end;
  drift::RecordStatus status;
  const char* at = nullptr;
  while (p < end) {
    const char* record = p;
    p = drift::parse_record(p, end, table.delimiter, fields, status, at);
    if (status != drift::RecordStatus::ok) {
      piece.error = drift::record_error(status, at, base);
      return;
    }
    if (drift::blank_record(fields)) continue;
    if (fields.size() != ncols) {
      piece.error = drift::ragged_error(static_cast<std::size_t>(record - base), ncols, fields.size());
      return;
    }
    const std::uint64_t row = piece.rows++;
    for (std::size_t j = 0; j < ncols; ++j) add_field(piece.columns[j], drift::field_text(fields[j], piece.arena), row);
  }
}

template <class Acc, class Make>
void parse_jsonl_piece(std::string_view text, Piece<Acc>& piece, const Make& make) {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::uint64_t> seen;  // per column: 1 + the last row that had it
  drift::for_each_line(text, piece.span.begin, piece.span.end, [&](std::size_t b, std::size_t e) {
    if (drift::blank(text.substr(b, e - b))) return true;
    const std::uint64_t row = piece.rows++;
    drift::JsonLine line(text.data() + b, text.data() + e, piece.arena);
    std::string why;
    const char* bad = line.members(
        [&](std::string_view key, const drift::JsonValue& v) {
          if (piece.error) return;
          auto [it, fresh] = index.try_emplace(std::string(key), piece.columns.size());
          if (fresh) {
            piece.names.emplace_back(key);
            piece.columns.push_back(make(key));
            if (row > 0) piece.columns.back().nulls(0, row);
            seen.push_back(0);
          }
          const std::size_t j = it->second;
          if (seen[j] == row + 1) {
            piece.error = drift::ParseError{b, fmt::format("duplicate key '{}'", key), "give each key once per line"};
            return;
          }
          seen[j] = row + 1;
          if (v.is_null || drift::is_missing_value(v.text))
            piece.columns[j].null(row);
          else
            piece.columns[j].value(v.text, v.is_string, row);
        },
        why);
    if (bad && !piece.error) {
      piece.error =
          drift::ParseError{static_cast<std::size_t>(bad - text.data()), why, "each line must be one flat JSON object"};
    }
    if (piece.error) return false;
    for (std::size_t j = 0; j < seen.size(); ++j) {
      if (seen[j] != row + 1) piece.columns[j].null(row);
    }
    return true;
  });
}

// Adds a column that earlier rows did not have (they count as missing there).
template <class Acc, class Make>
std::size_t add_column(Scanned<Acc>& into, std::string_view name, const Make& make) {
  into.names.emplace_back(name);
  into.columns.push_back(make(name));
  if (into.rows > 0) into.columns.back().nulls(0, into.rows);
  return into.columns.size() - 1;
}

}  // namespace scan_detail

// Reads one part into `into` (call it for each part of a dataset, in order). Bad input (exit 2)
// naming the part and the line for malformed text: bad quoting, ragged rows, invalid UTF-8, a
// line that is not a flat JSON object.
template <class Acc, class Make>
Result<void> scan_part(drift::Part& part, const drift::ReadOptions& options, const Make& make, Scanned<Acc>& into) {
  using scan_detail::Piece;
  auto table = drift::open_table(part, options);
  if (!table) return std::unexpected(table.error());
  const std::string_view text = table->text;
  const bool csv = table->format == drift::Format::csv;
  if (csv) {
    for (const auto& name : table->names) {
      if (!into.index_of(name)) scan_detail::add_column(into, name, make);
    }
  }
  // Quoted fields may hold line breaks: then pieces may only start where the quotes are balanced.
  const bool quotes = csv && std::memchr(text.data() + table->body, '"', text.size() - table->body) != nullptr;
  std::vector<Piece<Acc>> pieces;
  for (const drift::Span& s : drift::split_records(text, table->body, quotes)) {
    Piece<Acc> piece;
    piece.span = s;
    if (csv) {
      piece.names = table->names;
      for (const auto& name : table->names) piece.columns.push_back(make(name));
    }
    pieces.push_back(std::move(piece));
  }
  std::atomic<bool> failed{false};
  parallel_for(pieces.size(), [&](std::size_t k) {
    Piece<Acc>& piece = pieces[k];
    if (failed.load(std::memory_order_relaxed)) return;
    const std::string_view slice = text.substr(piece.span.begin, piece.span.end - piece.span.begin);
    if (std::size_t bad = drift::invalid_utf8(slice); bad != std::string_view::npos) {
      piece.error = drift::invalid_utf8_error(piece.span.begin + bad);
    } else if (csv && !quotes) {
      scan_detail::parse_plain_piece(text, *table, piece);
    } else if (csv) {
      scan_detail::parse_csv_piece(text, *table, piece);
    } else {
      scan_detail::parse_jsonl_piece(text, piece, make);
    }
    if (piece.error) {
      failed = true;
      return;
    }
    for (auto& column : piece.columns) column.piece_done();
  });
  for (const auto& piece : pieces) {
    if (piece.error) return std::unexpected(drift::error_at(part.name, text, *piece.error));
  }
  std::vector<std::size_t> global;
  std::vector<char> had;
  for (auto& piece : pieces) {
    global.clear();
    for (std::size_t l = 0; l < piece.names.size(); ++l) {
      const std::string& name = piece.names[l];
      if (l < into.names.size() && into.names[l] == name) {  // the usual case: the same columns in order
        global.push_back(l);
        continue;
      }
      auto j = into.index_of(name);
      global.push_back(j ? *j : scan_detail::add_column(into, name, make));
    }
    had.assign(into.columns.size(), 0);
    for (std::size_t l = 0; l < piece.columns.size(); ++l) {
      into.columns[global[l]].merge(std::move(piece.columns[l]), into.rows);
      had[global[l]] = 1;
    }
    for (std::size_t j = 0; j < into.columns.size(); ++j) {
      if (!had[j] && piece.rows > 0) into.columns[j].nulls(into.rows, piece.rows);
    }
    into.rows += piece.rows;
    into.arenas.push_back(std::move(piece.arena));
  }
  return {};
}

}  // namespace mlops::schema
