#include "mlops/drift/records.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mlops/core/parallel.hpp"
#include "mlops/drift/csv.hpp"

namespace mlops::drift {

Format detect_format(std::string_view name, std::string_view text) {
  std::string_view n = name;
  if (n.ends_with(".gz")) n.remove_suffix(3);
  if (n.ends_with(".jsonl") || n.ends_with(".ndjson") || n.ends_with(".json")) return Format::jsonl;
  if (n.ends_with(".csv") || n.ends_with(".tsv") || n.ends_with(".tab") || n.ends_with(".txt")) return Format::csv;
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  return i < text.size() && text[i] == '{' ? Format::jsonl : Format::csv;
}

Result<Table> open_table(Part& part, const ReadOptions& options) {
  std::string_view text = part.bytes.view();
  if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1f && static_cast<unsigned char>(text[1]) == 0x8b) {
    auto inflated = gunzip(text, part.name);
    if (!inflated) return std::unexpected(inflated.error());
    part.bytes = Buffer::own(std::move(*inflated));
    text = part.bytes.view();
  }
  Table table;
  table.text = text;
  if (text.starts_with("\xEF\xBB\xBF")) table.start = 3;  // a UTF-8 byte order mark
  if (std::all_of(text.begin() + static_cast<std::ptrdiff_t>(table.start), text.end(),
                  [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; })) {
    return std::unexpected(
        bad_input(fmt::format("'{}' is empty", part.name),
                  "give a CSV or TSV file with a header row and data, or JSONL with one object per line"));
  }
  table.format = detect_format(part.name, text.substr(table.start));
  if (table.format == Format::jsonl) {
    table.body = table.start;
    return table;
  }
  table.delimiter = choose_delimiter(options.delimiter, part.name, text, table.start);
  auto header = read_header(text, table.start, table.delimiter);
  if (header.error) return std::unexpected(error_at(part.name, text, *header.error));
  table.names = std::move(header.header.names);
  table.body = header.header.body;
  return table;
}

bool no_records(const Table& table) {
  return std::all_of(table.text.begin() + static_cast<std::ptrdiff_t>(table.body), table.text.end(),
                     [](char c) { return c == '\n' || c == '\r'; });
}

std::vector<Span> split_records(std::string_view text, std::size_t begin, bool quotes_matter) {
  const std::size_t total = text.size() - begin;
  const std::size_t target = std::max<std::size_t>(total / (worker_count() * 8) + 1, 1 << 20);
  std::vector<std::size_t> cuts{begin};
  if (!quotes_matter) {
    for (std::size_t at = begin + target; at < text.size();) {
      std::size_t nl = text.find('\n', at);
      if (nl == std::string_view::npos || nl + 1 >= text.size()) break;
      cuts.push_back(nl + 1);
      at = nl + 1 + target;
    }
  } else {
    std::vector<std::size_t> starts;
    for (std::size_t at = begin; at < text.size(); at += target) starts.push_back(at);
    std::vector<std::size_t> quotes(starts.size());
    parallel_for(starts.size(), [&](std::size_t i) {
      std::size_t e = std::min(starts[i] + target, text.size());
      quotes[i] = static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(starts[i]),
                                                      text.begin() + static_cast<std::ptrdiff_t>(e), '"'));
    });
    std::size_t parity = 0;
    for (std::size_t i = 1; i < starts.size(); ++i) {
      parity += quotes[i - 1];
      std::size_t local = parity;
      for (std::size_t p = starts[i]; p < text.size(); ++p) {
        if (text[p] == '"')
          ++local;
        else if (text[p] == '\n' && local % 2 == 0) {
          if (p + 1 > cuts.back() && p + 1 < text.size()) cuts.push_back(p + 1);
          break;
        }
      }
    }
  }
  cuts.push_back(text.size());
  std::vector<Span> spans;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (cuts[i + 1] > cuts[i]) {
      spans.push_back(Span{cuts[i], cuts[i + 1]});
    }
  }
  return spans;
}

Error error_at(std::string_view part, std::string_view text, const ParseError& e) {
  return bad_input(fmt::format("'{}' line {}: {}", part, line_of(text, e.offset), e.message), e.hint);
}

}  // namespace mlops::drift
