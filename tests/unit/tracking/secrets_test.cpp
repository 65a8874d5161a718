#include "mlops/tracking/secrets.hpp"

#include <catch2/catch.hpp>

using namespace mlops::tracking;

namespace {

std::string redacted(std::string_view text) { return redact_text(text); }

}  // namespace

TEST_CASE("secret-looking variable names are recognised") {
  for (const char* name :
       {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "api_key", "MY_CREDENTIALS", "HF_AUTH", "PGPASSWD"}) {
    CHECK(is_secret_name(name));
  }
  for (const char* name : {"HOME", "PATH", "CUDA_VISIBLE_DEVICES", "PYTHONPATH"}) CHECK_FALSE(is_secret_name(name));
}

TEST_CASE("secret keys are told by their last words, not by letters inside a word") {
  for (const char* name : {"password", "db_password", "DB.PASSWD", "client_secret", "hf_token", "access-token",
                           "accessToken", "api_key", "apiKey", "api-key", "AWS_SECRET_ACCESS_KEY", "private_key", "KEY",
                           "STRIPE_KEY", "credentials", "apikey", "passphrase"}) {
    CHECK(is_secret_key(name));
  }
  for (const char* name : {"tokenizer", "max_tokens", "pad_token", "eos_token", "sort_key", "key", "primary_key",
                           "password_file", "token_limit", "secrets_dir", "lr", "monkey", "keyboard"}) {
    CHECK_FALSE(is_secret_key(name));
  }
}

TEST_CASE("credential-looking values are redacted in text") {
  CHECK(redacted("id AKIAIOSFODNN7EXAMPLE here") == "id [redacted] here");
  CHECK(redacted("AKIAIOSFODNN7EXAMPL") == "AKIAIOSFODNN7EXAMPL");  // too short to be one
  CHECK(redacted("key sk-proj-abcdefghijklmnopqrstuvwx1234") == "key [redacted]");
  CHECK(redacted("sk-short") == "sk-short");
  CHECK(redacted("ghp_abcdefghijklmnopqrstuvwxyz0123456789") == "[redacted]");
  CHECK(redacted("xoxb-1234567890-abcdef") == "[redacted]");
  CHECK(redacted("hf_abcdefghijklmnopqrstuvwxyzABCDEF") == "[redacted]");
  CHECK(redacted("postgres://me:pw@db:5432/x") == "postgres://me:[redacted]@db:5432/x");
  CHECK(redacted("a https://u:p@h/ b http://h/x") == "a https://u:[redacted]@h/ b http://h/x");
  CHECK(redacted("https://user@host/path") == "https://user@host/path");
  CHECK(redacted("Authorization: Bearer abcdef123456789") == "Authorization: Bearer [redacted]");
  CHECK(redacted("plain text, nothing here") == "plain text, nothing here");
}

TEST_CASE("assignments and flags of secret keys lose their values") {
  CHECK(redacted("OPENAI_API_KEY=abc123") == "OPENAI_API_KEY=[redacted]");
  CHECK(redacted("export KEY=hunter") == "export KEY=[redacted]");
  CHECK(redacted("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") ==
        "aws_secret_access_key = [redacted]");
  CHECK(redacted("password: hunter2") == "password: [redacted]");
  CHECK(redacted(R"({"client_secret": "abc", "name": "x"})") == R"({"client_secret": "[redacted]", "name": "x"})");
  CHECK(redacted("curl --token abc123 --api-key=def456 x") == "curl --token [redacted] --api-key=[redacted] x");
  CHECK(redacted("api_key = 'k3y'") == "api_key = '[redacted]'");
  // Code and references stay: they are not the secret, and a patch must still make sense.
  CHECK(redacted("token = self.token") == "token = self.token");
  CHECK(redacted("password = os.environ['PW']") == "password = os.environ['PW']");
  CHECK(redacted("token = get_token()") == "token = get_token()");
  CHECK(redacted("API_KEY=$OPENAI_KEY") == "API_KEY=$OPENAI_KEY");
  CHECK(redacted("if password == 'x':") == "if password == 'x':");
  CHECK(redacted("sorted(xs, key=lambda x: x)") == "sorted(xs, key=lambda x: x)");
  CHECK(redacted("tokenizer=bert max_tokens=100") == "tokenizer=bert max_tokens=100");
  CHECK(redacted("password: \"\"") == "password: \"\"");
}

TEST_CASE("private-key blocks keep their lines, each redacted") {
  std::size_t count = 0;
  CHECK(redact_text("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAbCd\n-----END RSA PRIVATE KEY-----\n", &count) ==
        "-----BEGIN RSA PRIVATE KEY-----\n[redacted]\n[redacted]\n-----END RSA PRIVATE KEY-----\n");
  CHECK(count == 2);
  CHECK(redacted(R"("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")") ==
        R"("-----BEGIN PRIVATE KEY-----[redacted]-----END PRIVATE KEY-----\n")");
  CHECK(redacted("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----") ==
        "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----");
}

TEST_CASE("a command loses the values of secret flags") {
  std::vector<std::string> argv{"python", "train.py",      "--api-key",   "sk-notashape", "--lr",
                                "0.1",    "--password=pw", "--tokenizer", "bert"};
  CHECK(redact_command(argv) == 2);
  CHECK(argv == std::vector<std::string>{"python", "train.py", "--api-key", "[redacted]", "--lr", "0.1",
                                         "--password=[redacted]", "--tokenizer", "bert"});
}

TEST_CASE("params and tags are redacted by key and by value") {
  std::map<std::string, std::string> pairs{
      {"api_key", "plain"}, {"db", "postgres://u:p@h/d"}, {"lr", "0.1"}, {"note", "AKIAIOSFODNN7EXAMPLE"}};
  CHECK(redact_pairs(pairs) == std::vector<std::string>{"api_key", "db", "note"});
  CHECK(pairs.at("api_key") == "[redacted]");
  CHECK(pairs.at("db") == "postgres://u:[redacted]@h/d");
  CHECK(pairs.at("lr") == "0.1");
  CHECK(pairs.at("note") == "[redacted]");
}

TEST_CASE("a patch is redacted in its added lines only, so that it still applies") {
  std::string patch =
      "diff --git a/config.ini b/config.ini\n"
      "--- a/config.ini\n"
      "+++ b/config.ini\n"
      "@@ -1,2 +1,5 @@\n"
      " password = oldcommitted\n"
      "-x = 1\n"
      "+password: hunter2\n"
      "+-----BEGIN OPENSSH PRIVATE KEY-----\n"
      "+b3BlbnNzaC1rZXk\n"
      "+-----END OPENSSH PRIVATE KEY-----\n"
      "+++ not a header\n";
  CHECK(redact_patch(patch) == 2);
  CHECK(patch ==
        "diff --git a/config.ini b/config.ini\n"
        "--- a/config.ini\n"
        "+++ b/config.ini\n"
        "@@ -1,2 +1,5 @@\n"
        " password = oldcommitted\n"
        "-x = 1\n"
        "+password: [redacted]\n"
        "+-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "+[redacted]\n"
        "+-----END OPENSSH PRIVATE KEY-----\n"
        "+++ not a header\n");
}

TEST_CASE("credential files are known by name, at any depth") {
  const auto& patterns = default_credential_files();
  for (const char* path : {".env", "app/.env.production", "certs/server.pem", "id_rsa", "home/.netrc", ".pypirc",
                           "aws/credentials", "store.p12", "prod.env"}) {
    CHECK(is_credential_file(path, patterns));
  }
  for (const char* path : {"train.py", "environment.yml", "keys.txt", "data/env/x.csv"}) {
    CHECK_FALSE(is_credential_file(path, patterns));
  }
  CHECK(is_credential_file("conf/app.secret", {"conf/*.secret"}));
  CHECK_FALSE(is_credential_file("other/app.secret", {"conf/*.secret"}));
}
