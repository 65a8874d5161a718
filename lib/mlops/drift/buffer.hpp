#pragma once
// The input stage of the readers: the bytes of one input, memory-mapped or owned, and gzip.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"

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

// Gzip (or zlib) bytes inflated; an error names `name`.
Result<std::string> gunzip(std::string_view bytes, std::string_view name);

}  // namespace mlops::drift
