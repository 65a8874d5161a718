#include "mlops/data/remote_settings.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "mlops/data/remote.hpp"

using namespace mlops;

TEST_CASE("sizes of remote settings") {
  CHECK(data::parse_size("1048576") == 1048576u);
  CHECK(data::parse_size("64MiB") == 64u << 20);
  CHECK(data::parse_size("8mb") == 8000000u);
  CHECK(data::parse_size("16k") == 16u << 10);
  CHECK(data::parse_size("2GiB") == 2ull << 30);
  CHECK(!data::parse_size(""));
  CHECK(!data::parse_size("MiB"));
  CHECK(!data::parse_size("5 parsecs"));
  CHECK(!data::parse_size("99999999999999999999"));
}

TEST_CASE("what looks like a secret") {
  CHECK(data::looks_like_secret("AKIAIOSFODNN7EXAMPLE"));
  CHECK(data::looks_like_secret("ASIAIOSFODNN7EXAMPLE"));
  CHECK(data::looks_like_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  CHECK(data::looks_like_secret("https://user:password@minio.example.com"));
  CHECK(data::looks_like_secret("s3://bucket/x?X-Amz-Signature=abc"));
  CHECK(!data::looks_like_secret("s3://team-bucket/mlops/data"));
  CHECK(!data::looks_like_secret("https://user@minio.example.com:9000"));
  CHECK(!data::looks_like_secret("/mnt/shared/mlops-store"));
  CHECK(!data::looks_like_secret("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
  CHECK(!data::looks_like_secret("bucket-owner-full-control"));
}

TEST_CASE("remote setting values are checked and normalised") {
  CHECK(data::check_remote_value("endpoint_url", "http://127.0.0.1:9000/") == "http://127.0.0.1:9000");
  CHECK(data::check_remote_value("addressing", "virtual") == "virtual");
  CHECK(data::check_remote_value("multipart_threshold", "8MiB") == "8MiB");
  CHECK(data::check_remote_value("ssl_verify", "true") == "true");
  for (auto [key, value] : {std::pair{"addressing", "both"},
                            {"jobs", "0"},
                            {"jobs", "513"},
                            {"jobs", "4x"},
                            {"multipart_chunksize", "4MiB"},
                            {"connect_timeout", "0"},
                            {"endpoint_url", "127.0.0.1"},
                            {"acl", "public"},
                            {"nope", "x"}}) {
    INFO(key << " " << value);
    auto r = data::check_remote_value(key, value);
    REQUIRE(!r);
    CHECK(r.error().exit == Exit::bad_input);
  }
  // A secret's value never appears in the message.
  auto r = data::check_remote_value("secret_access_key", "has space");
  REQUIRE(!r);
  CHECK(r.error().message.find("has space") == std::string::npos);
}

TEST_CASE("S3 URLs") {
  auto a = data::parse_s3_url("s3://team-bucket/mlops/data/");
  REQUIRE(a);
  CHECK(a->bucket == "team-bucket");
  CHECK(a->prefix == "mlops/data");
  auto b = data::parse_s3_url("s3://team.bucket");
  REQUIRE(b);
  CHECK(b->prefix.empty());
  for (const char* bad :
       {"s3://", "s3://ab", "s3://Bucket", "s3://-bucket", "s3://bucket//x", "s3://b:k@bucket", "s3://bucket:9000/x"}) {
    INFO(bad);
    CHECK(!data::parse_s3_url(bad));
  }
}

TEST_CASE("environment overrides of remote settings") {
  RemoteConfig remote{"ci-store", "s3://bucket", ".mlops/config.yaml", {{"jobs", {"8", ".mlops/config.yaml"}}}};
  CHECK(remote_env_name("ci-store", "url") == "MLOPS_REMOTE_CI_STORE_URL");
  ::setenv("MLOPS_REMOTE_CI_STORE_JOBS", "16", 1);
  auto settings = data::effective_settings(remote);
  ::unsetenv("MLOPS_REMOTE_CI_STORE_JOBS");
  CHECK(settings["jobs"].value == "16");
  CHECK(settings["jobs"].source == "MLOPS_REMOTE_CI_STORE_JOBS");
  CHECK(data::effective_settings(remote)["jobs"].value == "8");
}
