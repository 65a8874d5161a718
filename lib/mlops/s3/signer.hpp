#pragma once
// AWS Signature Version 4 for S3 (header-based authentication). Every request the client sends is
// built here: the canonical request (URI-encoded path, sorted and encoded query, lower-case sorted
// signed headers, the payload hash), the string to sign, and the Authorization header. Checked
// against the examples AWS publishes (tests/unit/s3/signer_test.cpp).
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlops::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

using Header = std::pair<std::string, std::string>;

// The parts of a request that are signed.
struct SignInput {
  std::string method;           // "GET", "PUT", ...
  std::string host;             // the Host header: "bucket.s3.amazonaws.com", "127.0.0.1:9000"
  std::string path;             // decoded, starting with '/': "/bucket/dir/key"
  std::vector<Header> query;    // decoded names and values, in any order
  std::vector<Header> headers;  // further headers to send and sign (Range, Content-MD5, x-amz-acl, ...)
  std::string payload_hash;     // lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
  // Leaves '/' in query values unencoded, in the URL and the canonical request alike. Real S3
  // wants %2F; moto's signature checker computes its canonical request with '/' (engine.cpp).
  bool raw_slash_in_query = false;
};

struct SignOutput {
  std::string target;             // encoded path and query, as the request line carries them
  std::vector<Header> headers;    // every header to send, Host and Authorization included
  std::string canonical_request;  // for tests and -v diagnostics (no secret in it)
  std::string string_to_sign;
};

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is encoded
// (upper-case hex); '/' is kept when `keep_slash` (paths) and encoded otherwise (query parts).
std::string uri_encode(std::string_view text, bool keep_slash);
// "20130524T000000Z" for `time` (UTC).
std::string amz_date(std::time_t time);

// Signs `input` for service s3 in `region` at `date` (amz_date()). Adds x-amz-date,
// x-amz-content-sha256 and, with a session token, x-amz-security-token; headers with empty
// values are dropped (S3 and curl disagree about sending them).
SignOutput sign(const SignInput& input, const Credentials& credentials, std::string_view region, std::string_view date);

}  // namespace mlops::s3
