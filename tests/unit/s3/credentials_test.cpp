#include "mlops/s3/credentials.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace {

namespace fs = std::filesystem;

// A fake HOME with ~/.aws files, and an environment that is only the map (never the process's).
struct AwsHome {
  fs::path home;
  std::map<std::string, std::string> variables;
  AwsHome() {
    char pattern[] = "/tmp/mlops-s3-credentials.XXXXXX";
    home = ::mkdtemp(pattern);
    fs::create_directories(home / ".aws");
    variables["HOME"] = home.string();
  }
  ~AwsHome() { fs::remove_all(home); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(home / ".aws" / name) << text; }
  mlops::s3::Environment environment() const {
    return [this](std::string_view name) -> std::optional<std::string> {
      auto it = variables.find(std::string(name));
      if (it == variables.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
  }
};

}  // namespace

TEST_CASE("s3 credentials: the environment's keys come first, with the session token", "[s3][credentials]") {
  AwsHome aws;
  aws.write("credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n");
  aws.variables["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  aws.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  aws.variables["AWS_SESSION_TOKEN"] = "envtoken";
  auto resolved = mlops::s3::resolve({}, aws.environment());
  REQUIRE(resolved);
  CHECK(resolved->credentials.access_key_id == "ENVKEY");
  CHECK(resolved->credentials.secret_access_key == "envsecret");
  CHECK(resolved->credentials.session_token == "envtoken");
  CHECK(resolved->source == "environment (AWS_ACCESS_KEY_ID)");
  CHECK(resolved->region == "us-east-1");
  CHECK(resolved->endpoint_url.empty());
}

TEST_CASE("s3 credentials: a remote's profile beats the environment's keys", "[s3][credentials]") {
  AwsHome aws;
  aws.write("credentials",
            "# comment\n[default]\naws_access_key_id = DEF\naws_secret_access_key = d\n\n"
            "[team]\naws_access_key_id = TEAMKEY \naws_secret_access_key=teamsecret\r\naws_session_token = tok\n");
  aws.write("config",
            "[profile team]\nregion = eu-central-1\ns3 =\n  endpoint_url = http://nested.invalid\n"
            "endpoint_url = http://127.0.0.1:9000/\n");
  aws.variables["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  aws.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  mlops::s3::Settings settings;
  settings.profile = "team";
  auto resolved = mlops::s3::resolve(settings, aws.environment());
  REQUIRE(resolved);
  CHECK(resolved->credentials.access_key_id == "TEAMKEY");
  CHECK(resolved->credentials.secret_access_key == "teamsecret");
  CHECK(resolved->credentials.session_token == "tok");
  CHECK(resolved->source == "profile 'team' in " + (aws.home / ".aws/credentials").string());
  CHECK(resolved->region == "eu-central-1");
  CHECK(resolved->endpoint_url == "http://127.0.0.1:9000");
}

TEST_CASE("s3 credentials: AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE", "[s3][credentials]") {
  AwsHome aws;
  aws.write("elsewhere", "[ci]\naws_access_key_id = CIKEY\naws_secret_access_key = cisecret\n");
  aws.write("other-config", "[profile ci]\nregion = ap-south-1\n");
  aws.variables["AWS_PROFILE"] = "ci";
  aws.variables["AWS_SHARED_CREDENTIALS_FILE"] = (aws.home / ".aws/elsewhere").string();
  aws.variables["AWS_CONFIG_FILE"] = (aws.home / ".aws/other-config").string();
  auto resolved = mlops::s3::resolve({}, aws.environment());
  REQUIRE(resolved);
  CHECK(resolved->credentials.access_key_id == "CIKEY");
  CHECK(resolved->region == "ap-south-1");
  CHECK(resolved->region_source == "profile 'ci'");

  SECTION("AWS_REGION and AWS_ENDPOINT_URL_S3 beat the profile; the remote's settings beat both") {
    aws.variables["AWS_DEFAULT_REGION"] = "us-west-1";
    aws.variables["AWS_ENDPOINT_URL"] = "http://generic:1";
    aws.variables["AWS_ENDPOINT_URL_S3"] = "http://s3only:2";
    auto second = mlops::s3::resolve({}, aws.environment());
    REQUIRE(second);
    CHECK(second->region == "us-west-1");
    CHECK(second->endpoint_url == "http://s3only:2");
    aws.variables["AWS_REGION"] = "us-west-2";
    mlops::s3::Settings settings;
    settings.endpoint_url = "http://mine:3";
    auto third = mlops::s3::resolve(settings, aws.environment());
    REQUIRE(third);
    CHECK(third->region == "us-west-2");
    CHECK(third->endpoint_url == "http://mine:3");
    settings.region = "eu-north-1";
    CHECK(mlops::s3::resolve(settings, aws.environment())->region == "eu-north-1");
  }
}

TEST_CASE("s3 credentials: keys in ~/.aws/config's [default] are found too", "[s3][credentials]") {
  AwsHome aws;
  aws.write("config", "[default]\naws_access_key_id = CFG\naws_secret_access_key = cfgsecret\nregion = sa-east-1\n");
  auto resolved = mlops::s3::resolve({}, aws.environment());
  REQUIRE(resolved);
  CHECK(resolved->credentials.access_key_id == "CFG");
  CHECK(resolved->source == "profile 'default' in " + (aws.home / ".aws/config").string());
  CHECK(resolved->region == "sa-east-1");
}

TEST_CASE("s3 credentials: nothing found is exit 3 naming what was tried, never a secret", "[s3][credentials]") {
  AwsHome aws;
  mlops::s3::Settings settings;
  settings.remote_name = "store";
  aws.variables["AWS_SECRET_ACCESS_KEY"] = "lonely-secret";  // without an id: not usable
  auto missing = mlops::s3::resolve(settings, aws.environment());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == mlops::Exit::environment);
  CHECK(missing.error().message.find("remote 'store'") != std::string::npos);
  CHECK(missing.error().message.find("AWS_ACCESS_KEY_ID") != std::string::npos);
  CHECK(missing.error().message.find("profile 'default'") != std::string::npos);
  CHECK(missing.error().message.find("lonely-secret") == std::string::npos);

  settings.profile = "nosuch";
  auto unknown = mlops::s3::resolve(settings, aws.environment());
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("profile 'nosuch' (from the remote's 'profile' setting) is in neither") !=
        std::string::npos);

  aws.write("config", "[profile sso]\nsso_session = corp\n");
  settings.profile = "sso";
  auto sso = mlops::s3::resolve(settings, aws.environment());
  REQUIRE_FALSE(sso);
  CHECK(sso.error().hint.find("export-credentials") != std::string::npos);
}
