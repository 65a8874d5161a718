#pragma once
// The few digests S3 needs, on OpenSSL's libcrypto (loaded on first use: libraries.hpp):
// SHA-256 and HMAC-SHA-256 for SigV4, MD5 for DeleteObjects' required Content-MD5.
#include <array>
#include <string>
#include <string_view>

namespace mlops::s3 {

using Digest256 = std::array<unsigned char, 32>;

Digest256 sha256(std::string_view data);
Digest256 hmac_sha256(std::string_view key, std::string_view data);
std::string hex(const unsigned char* data, std::size_t size);
inline std::string hex(const Digest256& digest) { return hex(digest.data(), digest.size()); }
inline std::string sha256_hex(std::string_view data) { return hex(sha256(data)); }
// Base64 of the MD5 of `data` (the Content-MD5 header).
std::string md5_base64(std::string_view data);

}  // namespace mlops::s3
