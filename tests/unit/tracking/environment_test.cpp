#include "mlops/tracking/environment.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace mlops::tracking;

TEST_CASE("secret-looking variable names are recognised") {
  for (const char* name :
       {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "api_key", "MY_CREDENTIALS", "HF_AUTH", "PGPASSWD"}) {
    CHECK(is_secret_name(name));
  }
  for (const char* name : {"HOME", "PATH", "CUDA_VISIBLE_DEVICES", "PYTHONPATH"}) CHECK_FALSE(is_secret_name(name));
}

TEST_CASE("passwords in URLs are redacted") {
  CHECK(redact_url_password("postgres://me:pw@db:5432/x") == "postgres://me:[redacted]@db:5432/x");
  CHECK(redact_url_password("a https://u:p@h/ b http://h/x") == "a https://u:[redacted]@h/ b http://h/x");
  CHECK(redact_url_password("https://user@host/path") == "https://user@host/path");
  CHECK(redact_url_password("plain") == "plain");
}

TEST_CASE("environment variables are captured with secrets redacted") {
  ::setenv("MLOPS_TEST_SECRET_KEY", "value-that-must-not-appear", 1);
  ::setenv("MLOPS_TEST_PLAIN", "visible", 1);
  auto variables = environment_variables();
  CHECK(variables.at("MLOPS_TEST_SECRET_KEY") == kRedacted);
  CHECK(variables.at("MLOPS_TEST_PLAIN") == "visible");
  ::unsetenv("MLOPS_TEST_SECRET_KEY");
  ::unsetenv("MLOPS_TEST_PLAIN");
}
