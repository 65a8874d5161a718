#pragma once
// Reading OTLP/JSON export files: the collector's file exporter (JSON lines of TracesData or
// LogsData, optionally gzip) and whole OTLP/JSON documents (one per file, or several in a row).
// JSON lines are read in pieces on every core; each piece feeds a sink of its own, which the
// caller merges. A malformed line is bad input naming the file and line, or, with SkipBad::yes,
// counted and skipped.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/otlp.hpp"

namespace mlops::trace {

enum class SkipBad { no, yes };

struct BadLine {
  std::string file;
  std::size_t line = 0;
  std::string why;
};

struct ReadSummary {
  std::size_t files = 0;
  std::size_t bytes = 0;                 // as read (inflated, for gzip)
  std::size_t documents = 0;             // JSON values read (lines of a JSON lines file)
  std::size_t bad = 0;                   // lines skipped with SkipBad::yes
  std::vector<BadLine> bad_examples;     // the first few of them, in file order
  std::vector<std::string> empty_files;  // files with nothing but blanks (a broken exporter?)
};

using SinkFactory = std::function<std::unique_ptr<RecordSink>()>;

struct ReadResult {
  std::vector<std::unique_ptr<RecordSink>> sinks;  // one per piece, in input order
  ReadSummary summary;
};

// Reads `files` in order. A missing or unreadable file is an error before any sink sees a record.
Result<ReadResult> read_exports(const std::vector<std::string>& files, SkipBad skip_bad, const SinkFactory& make_sink);

// Reads OTLP/JSON text already in memory (tests; JSON lines or documents) into one sink.
Result<ReadSummary> read_text(std::string_view text, std::string_view name, SkipBad skip_bad, RecordSink& sink);

}  // namespace mlops::trace
