#pragma once
// The stage every reader starts with: one part's text made ready to be read record by record
// (inflated, its format known, a CSV header read), and split into pieces that start at record
// boundaries so that both cores can read them. Shared by `drift check` and `schema check`.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/buffer.hpp"
#include "mlops/drift/text.hpp"

namespace mlops::drift {

struct ReadOptions {
  char delimiter = 0;  // CSV/TSV field separator; 0: detect from the header line
};

enum class Format { csv, jsonl };

// The format of a part: JSONL for .jsonl/.ndjson/.json names or text starting with '{', else
// delimited text. A trailing .gz is ignored (compression is detected from the bytes).
Format detect_format(std::string_view name, std::string_view text);

// A part ready to be read. `text` stays valid while the part's bytes do.
struct Table {
  std::string_view text;
  Format format = Format::csv;
  std::size_t start = 0;           // after a UTF-8 byte order mark
  char delimiter = 0;              // CSV
  std::vector<std::string> names;  // CSV: the header's column names
  std::size_t body = 0;            // where the records start (CSV: after the header)
};

// Inflates gzip bytes in place (part.bytes then owns the text), skips a BOM, detects the format
// and reads a CSV header. Bad input (exit 2) for empty text, bad quoting, invalid UTF-8 or
// duplicate names in the header, naming the part and the line. A header without rows is fine here.
Result<Table> open_table(Part& part, const ReadOptions& options);

// Whether the records after the header are all blank lines.
bool no_records(const Table& table);

// A piece of a part's text: [begin, end).
struct Span {
  std::size_t begin = 0, end = 0;
};

// Splits text[begin, end of text) into pieces of about 1 MiB or more (several per core) that
// start at record boundaries. With `quotes_matter`, a newline ends a record only when it follows
// an even number of quote characters (RFC 4180 quoted fields may hold line breaks).
std::vector<Span> split_records(std::string_view text, std::size_t begin, bool quotes_matter);

// Bad input naming the part and the line of the error's offset.
Error error_at(std::string_view part, std::string_view text, const ParseError& e);

}  // namespace mlops::drift
