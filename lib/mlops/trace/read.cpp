// The input stage of the OTLP reader: files mapped (or inflated as they stream), JSON lines split
// into pieces at line ends for the cores, whole documents read in one go.
#include "mlops/trace/read.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>

#include "mlops/core/parallel.hpp"
#include "mlops/drift/buffer.hpp"
#include "mlops/trace/json_cursor.hpp"

namespace mlops::trace {

namespace {

constexpr std::size_t kPieceBytes = std::size_t{32} << 20;    // a task's share of a JSON lines file
constexpr std::size_t kReleaseBytes = std::size_t{8} << 20;   // mapped pages handed back this often
constexpr std::size_t kInflateBytes = std::size_t{16} << 20;  // gzip is inflated this much at a time
constexpr std::size_t kBadExamples = 5;

const char* kBadHint = "fix or remove the line, or pass --skip-bad to count bad lines and read the rest";

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::size_t count_lines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Why a line (or document) failed, in words: a value cut off at the end is "truncated".
std::string describe(const JsonCursor& c) {
  if (c.refused()) return fmt::format("{} (column {})", c.error(), c.error_at() - c.begin() + 1);
  if (c.error_at() >= c.end() || std::string_view(c.error()).starts_with("unterminated"))
    return fmt::format("truncated JSON ({})", c.error());
  return fmt::format("malformed JSON at column {}: {}", c.error_at() - c.begin() + 1, c.error());
}

std::optional<std::string> parse_one(std::string_view line, OtlpParser& parser) {
  JsonCursor c(line.data(), line.data() + line.size());
  if (!parser.document(c)) return describe(c);
  if (!c.at_end()) return fmt::format("text after the JSON value at column {}", c.position() - line.data() + 1);
  return std::nullopt;
}

// Parses one line as one OTLP/JSON value; the reason when it is not one (and the sink then
// forgets what the line gave it).
std::optional<std::string> parse_line(std::string_view line, OtlpParser& parser, RecordSink& sink) {
  sink.begin_line();
  auto why = parse_one(line, parser);
  if (why) sink.drop_line();
  return why;
}

// A bad line found in a piece: its line number within the piece, counted from 0.
struct PieceBad {
  std::size_t line = 0;
  std::string why;
};

struct PieceResult {
  std::size_t documents = 0;
  std::size_t bad = 0;
  std::vector<PieceBad> bad_examples;
  bool stopped = false;  // a bad line without SkipBad: the rest of the piece was not read
};

// Reads the JSON lines of text[begin, end), releasing mapped pages behind it.
void read_lines(const drift::Buffer* buffer, std::string_view text, std::size_t begin, std::size_t end,
                SkipBad skip_bad, OtlpParser& parser, RecordSink& sink, PieceResult& result,
                const std::atomic<bool>& stop) {
  std::size_t p = begin;
  std::size_t released = begin;
  std::size_t line = 0;
  while (p < end) {
    if (stop.load(std::memory_order_relaxed)) {
      result.stopped = true;
      return;
    }
    const void* nl = std::memchr(text.data() + p, '\n', end - p);
    std::size_t e = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : end;
    std::string_view l = text.substr(p, e - p);
    if (!blank(l)) {
      ++result.documents;
      if (auto why = parse_line(l, parser, sink)) {
        ++result.bad;
        if (result.bad_examples.size() < kBadExamples) result.bad_examples.push_back({line, std::move(*why)});
        if (skip_bad == SkipBad::no) {
          result.stopped = true;
          return;
        }
      }
    }
    ++line;
    p = e + 1;
    if (buffer && p - released >= kReleaseBytes) {
      buffer->release(released, p - released);
      released = p;
    }
  }
  if (buffer && end > released) buffer->release(released, end - released);
}

// Whether a file holds JSON lines: one of its first non-blank lines is a whole JSON object with
// members (a torn first line must not turn the file into a document). Otherwise it is read as
// OTLP/JSON documents, whose pretty-printed lines are never whole objects with members.
bool is_json_lines(std::string_view text) {
  std::size_t p = 0;
  int looked = 0;
  bool any = false;
  while (p < text.size() && looked < 8) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(p, nl - p);
    if (!blank(l)) {
      any = true;
      ++looked;
      JsonCursor c(l.data(), l.data() + l.size());
      if (c.peek() == '{') {
        c.consume('{');
        if (c.peek() == '"') {
          c.seek(l.data());
          if (c.skip() && c.at_end()) return true;
        }
      }
    }
    p = nl + 1;
  }
  return !any;
}

// Whole OTLP/JSON documents, one after another; a bad one ends the file (there is no line to resync at).
Result<void> read_documents(std::string_view text, std::string_view name, OtlpParser& parser, ReadSummary& summary) {
  JsonCursor c(text.data(), text.data() + text.size());
  while (!c.at_end()) {
    ++summary.documents;
    if (!parser.document(c)) {
      std::size_t at = static_cast<std::size_t>(c.error_at() - text.data());
      std::size_t line = count_lines(text.substr(0, at)) + 1;
      std::string why = c.refused()               ? std::string(c.error())
                        : c.error_at() >= c.end() ? fmt::format("truncated JSON ({})", c.error())
                                                  : fmt::format("malformed JSON: {}", c.error());
      return std::unexpected(bad_input(fmt::format("'{}', line {}: {}", name, line, why),
                                       "check the file is OTLP/JSON (TracesData or LogsData)"));
    }
  }
  return {};
}

struct Piece {
  std::size_t file = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Inflates a gzip file and reads its JSON lines as they come, in kInflateBytes at a time, so that a
// large export never sits inflated in memory. A gzip file of whole documents is inflated whole.
Result<void> read_gzip(std::string_view bytes, const std::string& name, SkipBad skip_bad, OtlpParser& parser,
                       RecordSink& sink, ReadSummary& summary, std::vector<BadLine>& bads) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return std::unexpected(environment_error("cannot start zlib"));
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end_guard{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  std::string buffer;
  std::size_t line_number = 0;
  bool first = true;
  bool finished = false;
  std::string whole;  // a file of documents
  bool documents = false;
  while (!finished) {
    std::size_t kept = buffer.size();
    buffer.resize(kept + kInflateBytes);
    zs.next_out = reinterpret_cast<Bytef*>(buffer.data() + kept);
    zs.avail_out = static_cast<uInt>(kInflateBytes);
    int rc = inflate(&zs, Z_NO_FLUSH);
    buffer.resize(kept + (kInflateBytes - zs.avail_out));
    summary.bytes += kInflateBytes - zs.avail_out;
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) {
        finished = true;
      } else {
        inflateReset(&zs);  // another gzip member follows
      }
    } else if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      return std::unexpected(
          bad_input(fmt::format("'{}' is a truncated gzip file", name), "check the file was copied completely"));
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return std::unexpected(
          bad_input(fmt::format("'{}' is not a valid gzip file: {}", name, zs.msg ? zs.msg : "corrupt data"),
                    "check the file, or give it uncompressed"));
    }
    if (first) {
      std::size_t nl = buffer.find('\n');
      if (nl == std::string::npos && !finished) continue;  // the first line is not complete yet
      first = false;
      documents = !is_json_lines(buffer);
    }
    if (documents) {
      whole += buffer;
      buffer.clear();
      continue;
    }
    std::size_t last_nl = buffer.rfind('\n');
    std::size_t upto = finished ? buffer.size() : (last_nl == std::string::npos ? 0 : last_nl + 1);
    if (upto == 0) continue;
    PieceResult result;
    std::atomic<bool> stop{false};
    read_lines(nullptr, buffer, 0, upto, skip_bad, parser, sink, result, stop);
    summary.documents += result.documents;
    summary.bad += result.bad;
    for (auto& b : result.bad_examples) bads.push_back({name, line_number + b.line + 1, std::move(b.why)});
    if (result.stopped) {
      const auto& b = bads.back();
      return std::unexpected(bad_input(fmt::format("'{}', line {}: {}", b.file, b.line, b.why), kBadHint));
    }
    line_number += count_lines(std::string_view(buffer).substr(0, upto));
    buffer.erase(0, upto);
  }
  if (documents) return read_documents(whole, name, parser, summary);
  return {};
}

}  // namespace

Result<ReadSummary> read_text(std::string_view text, std::string_view name, SkipBad skip_bad, RecordSink& sink) {
  ReadSummary summary;
  summary.files = 1;
  summary.bytes = text.size();
  OtlpParser parser(sink);
  if (!is_json_lines(text)) {
    MLOPS_TRY(read_documents(text, name, parser, summary));
    return summary;
  }
  PieceResult result;
  std::atomic<bool> stop{false};
  read_lines(nullptr, text, 0, text.size(), skip_bad, parser, sink, result, stop);
  summary.documents = result.documents;
  summary.bad = result.bad;
  for (auto& b : result.bad_examples) summary.bad_examples.push_back({std::string(name), b.line + 1, b.why});
  if (result.stopped) {
    const auto& b = summary.bad_examples.back();
    return std::unexpected(bad_input(fmt::format("'{}', line {}: {}", b.file, b.line, b.why), kBadHint));
  }
  return summary;
}

Result<ReadResult> read_exports(const std::vector<std::string>& files, SkipBad skip_bad, const SinkFactory& make_sink) {
  // Open every file first: a missing one is reported before any work is done.
  std::vector<drift::Buffer> buffers;
  for (const auto& f : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(f, ec)) {
      std::string folder = f;
      while (folder.size() > 1 && folder.ends_with('/')) folder.pop_back();
      return std::unexpected(bad_input(fmt::format("'{}' is a folder, not a trace export", f),
                                       fmt::format("give its files: {}/*.jsonl", folder)));
    }
    auto mapped = drift::Buffer::map_file(f);
    if (!mapped) {
      Error e = mapped.error();
      if (e.hint.empty()) e.hint = "give the trace exports that exist (the shell expands traces/*.jsonl)";
      return std::unexpected(std::move(e));
    }
    buffers.push_back(std::move(*mapped));
  }
  ReadResult out;
  out.summary.files = files.size();
  // The pieces: JSON lines files split at line ends; a gzip file or a file of documents is one piece.
  std::vector<Piece> pieces;
  std::vector<char> gzip(files.size(), 0), lines(files.size(), 0);
  // A UTF-8 byte order mark (PowerShell writes one) is skipped, as a CR before a line end is.
  std::vector<std::size_t> bom(files.size(), 0);
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string_view text = buffers[i].view();
    if (text.starts_with("\xEF\xBB\xBF")) {
      bom[i] = 3;
      text.remove_prefix(3);
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) out.summary.empty_files.push_back(files[i]);
    gzip[i] =
        text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1f && static_cast<unsigned char>(text[1]) == 0x8b;
    lines[i] = !gzip[i] && is_json_lines(text);
    if (!lines[i]) {
      pieces.push_back({i, 0, text.size()});
      continue;
    }
    // Pieces of a JSON lines file are offsets into the whole file (the mark included).
    text = buffers[i].view();
    std::size_t begin = bom[i];
    do {
      std::size_t end = std::min(text.size(), begin + kPieceBytes);
      if (end < text.size()) {
        std::size_t nl = text.find('\n', end);
        end = nl == std::string_view::npos ? text.size() : nl + 1;
      }
      pieces.push_back({i, begin, end});
      begin = end;
    } while (begin < text.size());
  }
  std::vector<std::unique_ptr<RecordSink>> sinks(pieces.size());
  for (auto& s : sinks) s = make_sink();
  std::vector<PieceResult> results(pieces.size());
  std::vector<std::optional<Error>> errors(pieces.size());
  std::vector<ReadSummary> piece_summaries(pieces.size());
  std::vector<std::vector<BadLine>> piece_bads(pieces.size());
  std::atomic<bool> stop{false};
  parallel_for(pieces.size(), [&](std::size_t k) {
    const Piece& piece = pieces[k];
    OtlpParser parser(*sinks[k]);
    std::string_view text = buffers[piece.file].view();
    const std::string& name = files[piece.file];
    if (!lines[piece.file]) text.remove_prefix(bom[piece.file]);
    if (lines[piece.file]) {
      read_lines(&buffers[piece.file], text, piece.begin, piece.end, skip_bad, parser, *sinks[k], results[k], stop);
      if (results[k].stopped && !results[k].bad_examples.empty()) stop = true;
      return;
    }
    Result<void> r = gzip[piece.file]
                         ? read_gzip(text, name, skip_bad, parser, *sinks[k], piece_summaries[k], piece_bads[k])
                         : read_documents(text, name, parser, piece_summaries[k]);
    if (!gzip[piece.file]) piece_summaries[k].bytes = text.size();
    if (!r) {
      errors[k] = r.error();
      stop = true;
    }
  });
  // Report in input order: the first bad piece's first bad line.
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const Piece& piece = pieces[k];
    const std::string& name = files[piece.file];
    if (errors[k]) return std::unexpected(*errors[k]);
    auto& summary = out.summary;
    if (!lines[piece.file]) {
      summary.documents += piece_summaries[k].documents;
      summary.bytes += piece_summaries[k].bytes;
      summary.bad += piece_summaries[k].bad;
      for (auto& b : piece_bads[k])
        if (summary.bad_examples.size() < kBadExamples) summary.bad_examples.push_back(std::move(b));
      continue;
    }
    const PieceResult& r = results[k];
    summary.documents += r.documents;
    summary.bytes += piece.end - piece.begin;
    summary.bad += r.bad;
    if (r.bad_examples.empty()) continue;
    // Line numbers of a piece count from the file's start: only worked out when something was bad.
    std::size_t first_line = count_lines(buffers[piece.file].view().substr(0, piece.begin));
    for (const auto& b : r.bad_examples) {
      if (summary.bad_examples.size() < kBadExamples)
        summary.bad_examples.push_back({name, first_line + b.line + 1, b.why});
    }
    if (skip_bad == SkipBad::no) {
      return std::unexpected(
          bad_input(fmt::format("'{}', line {}: {}", name, first_line + r.bad_examples.front().line + 1,
                                r.bad_examples.front().why),
                    kBadHint));
    }
  }
  out.sinks = std::move(sinks);
  return out;
}

}  // namespace mlops::trace
