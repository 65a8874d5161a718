#include "mlops/drift/buffer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include "mlops/core/file.hpp"

namespace mlops::drift {

Result<Buffer> Buffer::map_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::unexpected(system_error("open", path, errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return std::unexpected(system_error("read", path, errno));
  if (S_ISDIR(st.st_mode)) {
    return std::unexpected(bad_input(fmt::format("'{}' is a folder, not a data file", path.string()),
                                     "give a CSV, TSV or JSONL file (a tracked folder as PATH@REV)"));
  }
  Buffer buffer;
  if (st.st_size == 0) return buffer;
  void* map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (map == MAP_FAILED) {
    // Not mappable (a pipe, /proc): read it whole instead.
    auto text = read_file(path);
    if (!text) return std::unexpected(text.error());
    return own(std::move(*text));
  }
  ::madvise(map, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
  buffer.data_ = static_cast<const char*>(map);
  buffer.size_ = static_cast<std::size_t>(st.st_size);
  buffer.mapped_ = true;
  return buffer;
}

Buffer Buffer::own(std::string bytes) {
  Buffer buffer;
  buffer.owned_ = std::move(bytes);
  buffer.data_ = buffer.owned_.data();
  buffer.size_ = buffer.owned_.size();
  return buffer;
}

Buffer::Buffer(Buffer&& other) noexcept { *this = std::move(other); }

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this == &other) return *this;
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
  mapped_ = other.mapped_;
  size_ = other.size_;
  if (mapped_) {
    data_ = other.data_;
  } else {
    owned_ = std::move(other.owned_);
    data_ = owned_.data();
  }
  other.mapped_ = false;
  other.data_ = nullptr;
  other.size_ = 0;
  return *this;
}

Buffer::~Buffer() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

void Buffer::release(std::size_t offset, std::size_t size) const {
  if (!mapped_ || size == 0) return;
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t begin = (offset + page - 1) / page * page;
  std::size_t end = (offset + size) / page * page;
  if (end > begin) ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
}

Result<std::string> gunzip(std::string_view bytes, std::string_view name) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return std::unexpected(environment_error("cannot start zlib"));
  std::string out;
  out.resize(std::max<std::size_t>(bytes.size() * 4, 1 << 16));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size(), UINT32_MAX));
  const auto* base = reinterpret_cast<const Bytef*>(bytes.data());
  std::size_t produced = 0;
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT32_MAX));
    std::size_t before_out = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    produced += before_out - zs.avail_out;
    const auto consumed = static_cast<std::size_t>(zs.next_in - base);
    if (zs.avail_in == 0 && consumed < bytes.size()) {
      zs.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size() - consumed, UINT32_MAX));
    }
    if (rc == Z_STREAM_END) {
      if (consumed >= bytes.size()) break;
      inflateReset(&zs);  // another gzip member follows (concatenated .gz files)
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && consumed >= bytes.size()) {
      inflateEnd(&zs);
      return std::unexpected(
          bad_input(fmt::format("'{}' is a truncated gzip file", name), "check the file was copied completely"));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string why = zs.msg ? zs.msg : "corrupt data";
      inflateEnd(&zs);
      return std::unexpected(bad_input(fmt::format("'{}' is not a valid gzip file: {}", name, why),
                                       "check the file, or give it uncompressed"));
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

}  // namespace mlops::drift
