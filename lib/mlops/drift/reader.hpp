#pragma once
// Reading CSV, TSV and JSONL (each optionally gzip-compressed) into a Dataset, in parallel:
// the bytes are memory-mapped, split at record boundaries, parsed without per-field allocation,
// and released as soon as each piece is parsed.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/drift/dataset.hpp"

namespace mlops::drift {

// The bytes of one input: a read-only memory map of a file, or owned memory.
class Buffer {
 public:
  static Result<Buffer> map_file(const std::filesystem::path& path);
  static Buffer own(std::string bytes);
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  ~Buffer();

  std::string_view view() const { return {data_, size_}; }
  // Tells the kernel the pages of [offset, offset+size) are not needed now (a mapped file's pages
  // are read again on demand); a no-op for owned memory.
  void release(std::size_t offset, std::size_t size) const;

 private:
  Buffer() = default;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::string owned_;
};

// One file of a dataset; a directory version has several, read as their concatenation.
struct Part {
  std::string name;  // for messages ("data/train.csv", "data/train.csv@v1:part-1.csv")
  Buffer bytes;
};

struct ReadOptions {
  char delimiter = 0;  // CSV/TSV field separator; 0: detect from the header line
};

enum class Format { csv, jsonl };

// The format of a part: JSONL for .jsonl/.ndjson/.json names or text starting with '{', else
// delimited text. A trailing .gz is ignored (compression is detected from the bytes).
Format detect_format(std::string_view name, std::string_view text);

// Reads every part; the parts must share their columns (CSV: the same header). Errors are bad
// input (exit 2) naming the part and the line.
Result<Dataset> read_dataset(std::string source, std::vector<Part>& parts, const ReadOptions& options);

// Gzip (or zlib) bytes inflated; an error names `name`.
Result<std::string> gunzip(std::string_view bytes, std::string_view name);

// Whether `text` is one of the spellings of a missing value.
bool is_missing_value(std::string_view text);

}  // namespace mlops::drift
