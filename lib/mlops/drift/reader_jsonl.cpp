// JSON Lines into drift's columns: one flat object per line, columns in order of first appearance.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mlops/drift/columns.hpp"
#include "mlops/drift/jsonl.hpp"

namespace mlops::drift {

void rescan_jsonl(std::string_view text, std::size_t begin, std::size_t stop, std::string_view name, Counter& counts,
                  std::deque<std::string>& arena) {
  for_each_line(text, begin, stop, [&](std::size_t b, std::size_t e) {
    if (blank(text.substr(b, e - b))) return true;
    JsonLine line(text.data() + b, text.data() + e, arena);
    std::string why;
    line.members(
        [&](std::string_view key, const JsonValue& v) {
          if (key == name && !v.is_null && !is_missing_value(v.text)) counts.add(v.text);
        },
        why);
    return true;
  });
}

void parse_jsonl_chunk(std::string_view text, Chunk& chunk, std::deque<std::string>& arena) {
  std::unordered_map<std::string, std::size_t> index;
  // The previous line's columns, usually the same keys in the same order. Indexes, not views of
  // chunk.names: a view dangles when names grows and moves its (short, inline) strings.
  std::vector<std::size_t> last_columns;
  std::vector<std::uint64_t> seen_in_row;
  for_each_line(text, chunk.begin, chunk.end, [&](std::size_t b, std::size_t e) {
    if (blank(text.substr(b, e - b))) return true;
    ++chunk.rows;
    JsonLine line(text.data() + b, text.data() + e, arena);
    std::string why;
    std::size_t position = 0;
    const char* bad = line.members(
        [&](std::string_view key, const JsonValue& v) {
          std::size_t j;
          if (position < last_columns.size() && chunk.names[last_columns[position]] == key) {
            j = last_columns[position];
          } else {
            auto [it, fresh] = index.try_emplace(std::string(key), chunk.columns.size());
            if (fresh) {
              chunk.columns.emplace_back();
              chunk.names.emplace_back(key);
              seen_in_row.push_back(0);
            }
            j = it->second;
            if (position < last_columns.size())
              last_columns[position] = j;
            else
              last_columns.push_back(j);
          }
          ++position;
          if (seen_in_row[j] == chunk.rows) {
            if (!chunk.error)
              chunk.error = ParseError{b, fmt::format("duplicate key '{}'", key), "give each key once per line"};
            return;
          }
          seen_in_row[j] = chunk.rows;
          ChunkColumn& c = chunk.columns[j];
          ++c.present;
          if (v.is_null) {
            ++c.missing;
            return;
          }
          if (add_value(c, v.text, v.is_string) == Add::needs_text) {
            switch_to_text(c);
            rescan_jsonl(text, chunk.begin, b, chunk.names[j], c.counts, arena);
            c.counts.add(v.text);
          }
        },
        why);
    if (bad && !chunk.error) {
      chunk.error =
          ParseError{static_cast<std::size_t>(bad - text.data()), why, "each line must be one flat JSON object"};
    }
    last_columns.resize(std::min(last_columns.size(), position));
    return !chunk.error;
  });
}

}  // namespace mlops::drift
