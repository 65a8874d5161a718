// Delimited text into drift's columns on the RFC 4180 path (quoted fields, escaped quotes, line
// breaks inside quotes).
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/drift/columns.hpp"
#include "mlops/drift/csv.hpp"

namespace mlops::drift {

void rescan_csv(std::string_view text, std::size_t begin, std::size_t stop, char delim, std::size_t col,
                std::size_t ncols, Counter& counts, std::deque<std::string>& arena) {
  std::vector<Field> fields;
  const char* p = text.data() + begin;
  const char* end = text.data() + stop;
  RecordStatus status;
  const char* at;
  while (p < end) {
    p = parse_record(p, end, delim, fields, status, at);
    if (status != RecordStatus::ok || blank_record(fields) || fields.size() != ncols) continue;
    std::string_view v = field_text(fields[col], arena);
    if (!is_missing_value(v)) counts.add(v);
  }
}

void parse_csv_chunk(std::string_view text, char delim, std::size_t ncols, Chunk& chunk,
                     std::deque<std::string>& arena) {
  chunk.columns.resize(ncols);
  std::vector<Field> fields;
  fields.reserve(ncols);
  const char* base = text.data();
  const char* p = base + chunk.begin;
  const char* end = base + chunk.end;
  RecordStatus status;
  const char* at = nullptr;
  while (p < end) {
    const char* record = p;
    p = parse_record(p, end, delim, fields, status, at);
    if (status != RecordStatus::ok) {
      chunk.error = record_error(status, at, base);
      return;
    }
    if (blank_record(fields)) continue;
    if (fields.size() != ncols) {
      chunk.error = ragged_error(static_cast<std::size_t>(record - base), ncols, fields.size());
      return;
    }
    ++chunk.rows;
    for (std::size_t j = 0; j < ncols; ++j) {
      ChunkColumn& c = chunk.columns[j];
      ++c.present;
      std::string_view v = field_text(fields[j], arena);
      if (add_value(c, v, false) == Add::needs_text) {
        switch_to_text(c);
        rescan_csv(text, chunk.begin, static_cast<std::size_t>(record - base), delim, j, ncols, c.counts, arena);
        c.counts.add(v);
      }
    }
  }
}

}  // namespace mlops::drift
