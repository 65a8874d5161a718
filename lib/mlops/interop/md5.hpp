#pragma once
// Streaming MD5 (RFC 1321): DVC names its cache objects by the MD5 of their bytes, so an import
// verifies every object with it while the bytes stream into the mlops cache (one read per file).
// Written from the RFC: libcrypto is loaded only for S3 (s3/libraries.hpp), and interop must not
// depend on it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlops::interop {

class Md5 {
 public:
  Md5();
  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // The 32 lowercase hex digits. Finishes a copy, so update() may go on afterwards.
  std::string hex() const;

 private:
  void block(const unsigned char* chunk);
  std::array<std::uint32_t, 4> state_;
  std::uint64_t length_ = 0;  // bytes seen
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
};

std::string md5_hex(std::string_view data);
// Whether `text` is 32 lowercase hex digits (the form DVC writes).
bool is_md5_hex(std::string_view text);

// DVC 2 hashed a file it took for text after turning CRLF into LF ("dos2unix"); DVC 3 does not.
// Feeds an Md5 the bytes with every "\r\n" as "\n", across calls to update().
class Dos2UnixMd5 {
 public:
  void update(const char* data, std::size_t size);
  std::string hex() const;

 private:
  Md5 md5_;
  bool pending_cr_ = false;  // the last byte seen was '\r', not yet passed on
};

}  // namespace mlops::interop
