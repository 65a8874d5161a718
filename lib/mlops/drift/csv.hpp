#pragma once
// Delimited text (RFC 4180) record by record: quoted fields may hold delimiters, "" and line
// breaks. The readers of `drift check` and `schema check` share this layer.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/drift/text.hpp"

namespace mlops::drift {

// One field of a record, pointing into the text.
struct Field {
  const char* begin;
  const char* end;
  bool quoted;
  bool escaped;  // contains "" that must be unescaped
};

enum class RecordStatus { ok, unterminated_quote, bad_quote };

// Reads one record starting at p into `fields`; returns the position after it (after its line
// break). On a quoting error, `status` says which and `error_at` where.
const char* parse_record(const char* p, const char* end, char delim, std::vector<Field>& fields, RecordStatus& status,
                         const char*& error_at);

// The field's text, unescaped into `arena` when it holds "" (else a view of the input).
std::string_view field_text(const Field& f, std::deque<std::string>& arena);

// A blank line: one empty, unquoted field.
bool blank_record(const std::vector<Field>& fields);

ParseError record_error(RecordStatus status, const char* at, const char* base);
ParseError ragged_error(std::size_t offset, std::size_t expected, std::size_t found);

// The most frequent of , \t ; | outside quotes in the header line (',' when none).
char detect_delimiter(std::string_view header);

// The delimiter of a part: `given` when set; tab for .tsv/.tab names (a trailing .gz ignored);
// else detected from the first line at `start`.
char choose_delimiter(char given, std::string_view name, std::string_view text, std::size_t start);

// The header row at `start` (blank lines before it skipped): the column names (checked for valid
// UTF-8 and duplicates) and the offset where the data rows begin.
struct Header {
  std::vector<std::string> names;
  std::size_t body = 0;
};
struct HeaderResult {
  Header header;
  std::optional<ParseError> error;
};
HeaderResult read_header(std::string_view text, std::size_t start, char delim);

}  // namespace mlops::drift
