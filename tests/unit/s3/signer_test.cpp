#include "mlops/s3/signer.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "mlops/s3/crypto.hpp"
#include "mlops/s3/libraries.hpp"

// The four examples of the S3 API reference, "Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk (AWS Signature Version 4)", with its example key pair.
namespace {

const mlops::s3::Credentials kExampleKey{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
constexpr const char* kDate = "20130524T000000Z";
constexpr const char* kHost = "examplebucket.s3.amazonaws.com";

std::string header(const mlops::s3::SignOutput& output, const std::string& name) {
  for (const auto& [key, value] : output.headers)
    if (key == name) return value;
  return "(absent)";
}

}  // namespace

TEST_CASE("s3 signer: AWS's GET Object example with a Range", "[s3][signer]") {
  REQUIRE(mlops::s3::load_libraries());
  mlops::s3::SignInput input{
      "GET", kHost, "/test.txt", {}, {{"Range", "bytes=0-9"}}, std::string(mlops::s3::kEmptySha256)};
  auto output = mlops::s3::sign(input, kExampleKey, "us-east-1", kDate);
  CHECK(output.canonical_request ==
        "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
        "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(output.string_to_sign ==
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  CHECK(header(output, "authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  CHECK(output.target == "/test.txt");
}

TEST_CASE("s3 signer: AWS's PUT Object example encodes '$' in the path and signs every header", "[s3][signer]") {
  REQUIRE(mlops::s3::load_libraries());
  std::string body = "Welcome to Amazon S3.";
  std::string hash = mlops::s3::sha256_hex(body);
  CHECK(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  mlops::s3::SignInput input{"PUT",
                             kHost,
                             "/test$file.text",
                             {},
                             {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                             hash};
  auto output = mlops::s3::sign(input, kExampleKey, "us-east-1", kDate);
  CHECK(output.target == "/test%24file.text");
  CHECK(header(output, "authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
        "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST_CASE("s3 signer: AWS's GET Bucket Lifecycle example signs a query name without a value", "[s3][signer]") {
  REQUIRE(mlops::s3::load_libraries());
  mlops::s3::SignInput input{"GET", kHost, "/", {{"lifecycle", ""}}, {}, std::string(mlops::s3::kEmptySha256)};
  auto output = mlops::s3::sign(input, kExampleKey, "us-east-1", kDate);
  CHECK(output.target == "/?lifecycle=");
  CHECK(header(output, "authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
        "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST_CASE("s3 signer: AWS's List Objects example sorts the query", "[s3][signer]") {
  REQUIRE(mlops::s3::load_libraries());
  mlops::s3::SignInput input{
      "GET", kHost, "/", {{"prefix", "J"}, {"max-keys", "2"}}, {}, std::string(mlops::s3::kEmptySha256)};
  auto output = mlops::s3::sign(input, kExampleKey, "us-east-1", kDate);
  CHECK(output.target == "/?max-keys=2&prefix=J");
  CHECK(output.string_to_sign ==
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
  CHECK(header(output, "authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
        "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST_CASE("s3 signer: a session token is sent and signed, and empty headers are dropped", "[s3][signer]") {
  REQUIRE(mlops::s3::load_libraries());
  mlops::s3::Credentials temporary = kExampleKey;
  temporary.session_token = "token/with+chars";
  mlops::s3::SignInput input{"HEAD", "127.0.0.1:9000",    "/bucket/a b/c",
                             {},     {{"x-amz-acl", ""}}, std::string(mlops::s3::kUnsignedPayload)};
  auto output = mlops::s3::sign(input, temporary, "eu-west-1", kDate);
  CHECK(header(output, "x-amz-security-token") == "token/with+chars");
  CHECK(header(output, "x-amz-acl") == "(absent)");
  CHECK(output.target == "/bucket/a%20b/c");
  CHECK(header(output, "authorization")
            .find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") != std::string::npos);
  CHECK(header(output, "authorization").find(temporary.secret_access_key) == std::string::npos);
}

TEST_CASE("s3 signer: URI encoding keeps unreserved characters and encodes the rest in upper-case hex",
          "[s3][signer]") {
  CHECK(mlops::s3::uri_encode("aZ09-_.~", false) == "aZ09-_.~");
  CHECK(mlops::s3::uri_encode("a/b c+=&", false) == "a%2Fb%20c%2B%3D%26");
  CHECK(mlops::s3::uri_encode("a/b", true) == "a/b");
  CHECK(mlops::s3::uri_encode("\xc3\xa9", true) == "%C3%A9");
  CHECK(mlops::s3::amz_date(1369353600) == "20130524T000000Z");
}

TEST_CASE("s3 crypto: MD5 in base64 for Content-MD5", "[s3][signer]") {
  REQUIRE(mlops::s3::load_libraries());
  // MD5("") is d41d8cd98f00b204e9800998ecf8427e.
  CHECK(mlops::s3::md5_base64("") == "1B2M2Y8AsgTpgAmY7PhCfg==");
  CHECK(mlops::s3::md5_base64("<Delete></Delete>").size() == 24);
}
