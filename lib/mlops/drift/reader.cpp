#include "mlops/drift/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mlops/core/parallel.hpp"
#include "mlops/drift/columns.hpp"

namespace mlops::drift {

namespace {

// Parses every chunk of the part in parallel into chunk columns, releasing the text of each as it
// is done. Delimited text is first read on the fast path for text without quotes; a quote
// anywhere sends the whole part through the RFC 4180 path, split again where quotes allow.
std::vector<Chunk> parse_chunks(Part& part, const Table& table) {
  const std::string_view text = table.text;
  const std::size_t ncols = table.names.size();
  std::vector<Chunk> chunks;
  auto split = [&](bool quotes_matter) {
    chunks.clear();
    for (const Span& s : split_records(text, table.body, quotes_matter)) {
      Chunk c;
      c.begin = s.begin;
      c.end = s.end;
      chunks.push_back(std::move(c));
    }
  };
  split(false);
  std::vector<std::deque<std::string>> arenas;
  bool plain = table.format == Format::csv;
  std::atomic<bool> quoted{false};
  for (;;) {
    arenas.assign(chunks.size(), {});
    parallel_for(chunks.size(), [&](std::size_t k) {
      Chunk& chunk = chunks[k];
      if (plain) {
        if (parse_csv_chunk_plain(text, table.delimiter, ncols, chunk, arenas[k], quoted) == Plain::quoted) {
          quoted = true;
          return;
        }
      } else {
        std::string_view piece = text.substr(chunk.begin, chunk.end - chunk.begin);
        if (std::size_t bad = invalid_utf8(piece); bad != std::string_view::npos) {
          chunk.error = invalid_utf8_error(chunk.begin + bad);
          return;
        }
        if (table.format == Format::csv) {
          parse_csv_chunk(text, table.delimiter, ncols, chunk, arenas[k]);
        } else {
          parse_jsonl_chunk(text, chunk, arenas[k]);
        }
      }
      for (auto& c : chunk.columns) {
        if (!c.text) continue;
        c.counts.for_each([&](std::string_view key, std::uint64_t n) {
          if (is_missing_value(key))
            c.missing += n;  // the fast path counts them as text
          else
            c.owned.emplace_back(key, n);
        });
        c.counts.clear();
      }
      arenas[k].clear();
      part.bytes.release(chunk.begin, chunk.end - chunk.begin);
    });
    if (!plain || !quoted) break;
    plain = false;
    split(true);
  }
  return chunks;
}

// The part's column names (CSV: the header; JSONL: the keys in order of first appearance), and
// per chunk where each of them is among its columns (-1: not there).
std::vector<std::vector<int>> index_columns(const Table& table, const std::vector<Chunk>& chunks,
                                            std::vector<std::string>& names) {
  std::vector<std::vector<int>> chunk_index(chunks.size());
  names = table.names;
  if (table.format == Format::csv) {
    for (auto& idx : chunk_index) {
      idx.resize(names.size());
      for (std::size_t j = 0; j < names.size(); ++j) idx[j] = static_cast<int>(j);
    }
    return chunk_index;
  }
  for (const auto& chunk : chunks) {
    for (const auto& n : chunk.names) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    chunk_index[k].assign(names.size(), -1);
    for (std::size_t l = 0; l < chunks[k].names.size(); ++l) {
      auto it = std::find(names.begin(), names.end(), chunks[k].names[l]);
      chunk_index[k][static_cast<std::size_t>(it - names.begin())] = static_cast<int>(l);
    }
  }
  return chunk_index;
}

// Folds the chunks of one part into columns named `names`.
void merge_chunks(
    std::vector<Chunk>& chunks, const std::vector<std::string>& names, const std::vector<std::vector<int>>& chunk_index,
    Dataset& out,
    const std::function<void(std::size_t chunk, std::size_t local, Counter&, std::deque<std::string>&)>& rescan) {
  std::uint64_t rows = 0;
  for (const auto& c : chunks) rows += c.rows;
  out.rows = rows;
  out.columns.resize(names.size());
  parallel_for(names.size(), [&](std::size_t j) {
    Column& col = out.columns[j];
    col.name = names[j];
    bool any_text = false;
    std::size_t total = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      int local = chunk_index[k][j];
      if (local < 0) continue;
      const ChunkColumn& c = chunks[k].columns[static_cast<std::size_t>(local)];
      any_text = any_text || c.text;
      total += c.values.size();
    }
    std::uint64_t present = 0;
    std::unordered_map<std::string, std::uint64_t> counts;
    if (!any_text) col.values.reserve(total);
    col.decimals = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      int local = chunk_index[k][j];
      if (local < 0) continue;
      ChunkColumn& c = chunks[k].columns[static_cast<std::size_t>(local)];
      present += c.present;
      col.missing += c.missing;
      if (any_text && !c.text) {
        // This chunk saw only numbers in a column that is text elsewhere: read its text again.
        Counter again;
        std::deque<std::string> arena;
        rescan(k, static_cast<std::size_t>(local), again, arena);
        again.for_each([&](std::string_view key, std::uint64_t n) { counts[std::string(key)] += n; });
      } else if (any_text) {
        for (auto& [key, n] : c.owned) counts[key] += n;
      } else {
        col.non_finite += c.non_finite;
        col.integral = col.integral && c.integral;
        col.decimals = wider(col.decimals, c.decimals);
        col.values.insert(col.values.end(), c.values.begin(), c.values.end());
      }
      std::vector<double>().swap(c.values);
      c.owned.clear();
    }
    col.missing += rows - present;  // JSONL lines without this key
    col.numeric = !any_text;
    if (any_text) {
      col.integral = false;
      col.decimals = -1;
      col.counts.assign(counts.begin(), counts.end());
    }
  });
}

Result<Dataset> read_part(Part& part, const ReadOptions& options) {
  auto table = open_table(part, options);
  if (!table) return std::unexpected(table.error());
  if (table->format == Format::csv && no_records(*table)) {
    return std::unexpected(bad_input(fmt::format("'{}' has a header but no data rows", part.name),
                                     "drift needs at least one row on each side"));
  }
  std::vector<Chunk> chunks = parse_chunks(part, *table);
  for (const auto& chunk : chunks) {
    if (chunk.error) return std::unexpected(error_at(part.name, table->text, *chunk.error));
  }
  std::vector<std::string> names;
  const auto chunk_index = index_columns(*table, chunks, names);
  if (names.empty()) {
    return std::unexpected(bad_input(fmt::format("'{}' has no columns: every object is empty", part.name),
                                     "each line must be a JSON object with the columns as keys"));
  }
  const std::string_view text = table->text;
  const std::size_t ncols = table->names.size();
  Dataset ds;
  merge_chunks(chunks, names, chunk_index, ds,
               [&](std::size_t k, std::size_t local, Counter& counts, std::deque<std::string>& arena) {
                 if (table->format == Format::csv) {
                   rescan_csv(text, chunks[k].begin, chunks[k].end, table->delimiter, local, ncols, counts, arena);
                 } else {
                   rescan_jsonl(text, chunks[k].begin, chunks[k].end, chunks[k].names[local], counts, arena);
                 }
               });
  if (ds.rows == 0) {
    return std::unexpected(
        bad_input(fmt::format("'{}' has no data rows", part.name), "drift needs at least one row on each side"));
  }
  return ds;
}

// Text counts for a column that was read as numbers (when another part has text in it).
void numbers_to_text(Column& c) {
  std::unordered_map<std::string, std::uint64_t> counts;
  for (double v : c.values) ++counts[number_label(v)];
  if (c.non_finite) counts["inf"] += c.non_finite;
  std::vector<double>().swap(c.values);
  c.counts.assign(counts.begin(), counts.end());
  c.numeric = false;
  c.integral = false;
  c.non_finite = 0;
}

}  // namespace

Result<Dataset> read_dataset(std::string source, std::vector<Part>& parts, const ReadOptions& options) {
  Dataset all;
  all.source = std::move(source);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto ds = read_part(parts[i], options);
    if (!ds) return std::unexpected(ds.error());
    parts[i].bytes = Buffer::own({});  // done with its text
    if (i == 0) {
      all.columns = std::move(ds->columns);
      all.rows = ds->rows;
      continue;
    }
    // A folder of parts: the same columns in each; a column missing from one part is missing there.
    for (auto& col : ds->columns) {
      Column* into = nullptr;
      for (auto& c : all.columns) {
        if (c.name == col.name) into = &c;
      }
      if (!into) {
        Column fresh;
        fresh.name = col.name;
        fresh.missing = all.rows;
        fresh.decimals = 0;
        all.columns.push_back(std::move(fresh));
        into = &all.columns.back();
      }
      if (into->numeric != col.numeric) {
        if (into->numeric)
          numbers_to_text(*into);
        else
          numbers_to_text(col);
      }
      into->missing += col.missing;
      into->non_finite += col.non_finite;
      into->integral = into->integral && col.integral;
      into->decimals = wider(into->decimals, col.decimals);
      into->values.insert(into->values.end(), col.values.begin(), col.values.end());
      std::unordered_map<std::string, std::uint64_t> counts(into->counts.begin(), into->counts.end());
      for (auto& [k, n] : col.counts) counts[k] += n;
      into->counts.assign(counts.begin(), counts.end());
    }
    for (auto& c : all.columns) {
      if (!ds->find(c.name)) c.missing += ds->rows;
    }
    all.rows += ds->rows;
  }
  return all;
}

}  // namespace mlops::drift
