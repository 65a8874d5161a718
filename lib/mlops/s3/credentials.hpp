#pragma once
// Credentials, region and endpoint the way the AWS CLI finds them, so that a machine set up for
// `aws s3` works with mlops unchanged, and nothing secret is ever in the repository:
//
//   credentials: the remote's own access_key_id + secret_access_key (+ session_token), kept in
//                .mlops/config.local.yaml or MLOPS_REMOTE_<NAME>_*, else
//                a remote's `profile` setting (only that profile), else AWS_ACCESS_KEY_ID +
//                AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the profile AWS_PROFILE names
//                (or "default") in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials), then in
//                AWS_CONFIG_FILE (~/.aws/config, sections `[profile NAME]`, `[default]`)
//   region:      the remote's setting, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, us-east-1
//   endpoint:    the remote's setting, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's
//                `endpoint_url`, else AWS itself
//
// The result names where the credentials came from, for error messages; secrets never appear in
// a message.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/s3/client.hpp"
#include "mlops/s3/signer.hpp"

namespace mlops::s3 {

// Reads an environment variable; unset and empty are both nullopt (as the AWS CLI treats them).
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
std::optional<std::string> process_environment(std::string_view name);

struct Resolved {
  Credentials credentials;
  std::string source;        // "environment", "profile 'ci' in /home/u/.aws/credentials"
  std::string region;        // never empty
  std::string endpoint_url;  // empty: AWS (https://s3.REGION.amazonaws.com)
  std::string region_source;
  std::string endpoint_source;
};

// Missing credentials, a named profile that is in neither file, or a profile without keys: exit 3,
// naming every place that was looked at.
Result<Resolved> resolve(const Settings& settings, const Environment& environment = process_environment);

}  // namespace mlops::s3
