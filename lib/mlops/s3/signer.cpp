// SigV4 as the S3 API reference describes it ("Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk").
#include "mlops/s3/signer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/s3/crypto.hpp"

namespace mlops::s3 {

namespace {

std::string ascii_lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// Header values are signed trimmed, with runs of spaces inside folded to one.
std::string trim_value(std::string_view value) {
  std::string result;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !result.empty();
      continue;
    }
    if (space) result += ' ';
    space = false;
    result += c;
  }
  return result;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string result;
  result.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      result += c;
    } else {
      result += '%';
      result += kDigits[byte >> 4];
      result += kDigits[byte & 15];
    }
  }
  return result;
}

std::string amz_date(std::time_t time) {
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

SignOutput sign(const SignInput& input, const Credentials& credentials, std::string_view region,
                std::string_view date) {
  SignOutput output;

  std::vector<Header> query;
  query.reserve(input.query.size());
  for (const auto& [name, value] : input.query)
    query.emplace_back(uri_encode(name, false), uri_encode(value, input.raw_slash_in_query));
  std::sort(query.begin(), query.end());
  std::string canonical_query;
  for (const auto& [name, value] : query) {
    if (!canonical_query.empty()) canonical_query += '&';
    canonical_query += name;
    canonical_query += '=';
    canonical_query += value;
  }
  std::string canonical_path = uri_encode(input.path.empty() ? "/" : input.path, true);
  output.target = canonical_query.empty() ? canonical_path : canonical_path + "?" + canonical_query;

  // Sorted by lower-case name, as the canonical request lists them.
  std::map<std::string, std::string> headers;
  headers["host"] = trim_value(input.host);
  headers["x-amz-date"] = std::string(date);
  headers["x-amz-content-sha256"] = input.payload_hash;
  if (!credentials.session_token.empty()) headers["x-amz-security-token"] = credentials.session_token;
  for (const auto& [name, value] : input.headers) {
    std::string trimmed = trim_value(value);
    if (!trimmed.empty()) headers[ascii_lower(name)] = std::move(trimmed);
  }

  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += fmt::format("{}:{}\n", name, value);
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += name;
  }
  output.canonical_request = fmt::format("{}\n{}\n{}\n{}\n{}\n{}", input.method, canonical_path, canonical_query,
                                         canonical_headers, signed_headers, input.payload_hash);

  std::string_view day = date.substr(0, 8);
  std::string scope = fmt::format("{}/{}/s3/aws4_request", day, region);
  output.string_to_sign =
      fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", date, scope, sha256_hex(output.canonical_request));

  auto as_view = [](const Digest256& digest) {
    return std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
  };
  Digest256 key = hmac_sha256("AWS4" + credentials.secret_access_key, day);
  key = hmac_sha256(as_view(key), region);
  key = hmac_sha256(as_view(key), "s3");
  key = hmac_sha256(as_view(key), "aws4_request");
  std::string signature = hex(hmac_sha256(as_view(key), output.string_to_sign));

  output.headers.assign(headers.begin(), headers.end());
  output.headers.emplace_back("authorization",
                              fmt::format("AWS4-HMAC-SHA256 Credential={}/{},SignedHeaders={},Signature={}",
                                          credentials.access_key_id, scope, signed_headers, signature));
  return output;
}

}  // namespace mlops::s3
