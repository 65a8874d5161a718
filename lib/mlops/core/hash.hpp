#pragma once
// XXH3-128 content hashes, written "xxh3:" + 32 lowercase hex digits (the canonical big-endian
// form that `xxhsum -H2` prints), so a hash in a pointer file can be checked with stock tools.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"

struct XXH3_state_s;

namespace mlops {

struct Hash {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

  std::string hex() const;  // 32 lowercase hex digits
  std::string str() const;  // "xxh3:" + hex()
  // Accepts "xxh3:<32 hex>"; anything else (other prefix, upper case, wrong length) is nullopt.
  static std::optional<Hash> parse(std::string_view text);
  // Accepts just the 32 hex digits (object file names).
  static std::optional<Hash> parse_hex(std::string_view hex);
  auto operator<=>(const Hash&) const = default;
};

struct HashLess {
  bool operator()(const Hash& a, const Hash& b) const { return a < b; }
};

// Streaming XXH3-128.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  Hash digest() const;

 private:
  XXH3_state_s* state_;
};

Hash hash_bytes(std::string_view data);
// Hashes a file's content.
Result<Hash> hash_file(const std::filesystem::path& path);
// Hashes what the open file `fd` holds from its offset to the end (`path` names it in errors).
Result<Hash> hash_fd(int fd, const std::filesystem::path& path);

}  // namespace mlops
