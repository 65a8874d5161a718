#pragma once
// The settings a remote takes (`mlops remote modify NAME KEY VALUE`), how each is checked, which
// ones are secrets, and the values in effect once the environment has had its say. Storage of the
// values (committed file, this machine's file, MLOPS_REMOTE_<NAME>_URL) is core/config.hpp's.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/config.hpp"
#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::data {

enum class RemoteKind { path, s3 };
// s3://... is S3; anything else a path (check_remote_url says whether it is valid).
RemoteKind remote_kind(std::string_view url);
std::string_view to_string(RemoteKind kind);

struct RemoteKey {
  std::string_view name;
  std::string_view values;  // what it takes, for help and errors: "auto, path or virtual"
  bool secret = false;      // written only to .mlops/config.local.yaml, shown as ****
  bool s3 = false;          // S3 remotes only
  bool path = false;        // path remotes only
};
// Every key `remote modify` accepts, `url` first.
const std::vector<RemoteKey>& remote_keys();
const RemoteKey* find_remote_key(std::string_view name);

// Checks `value` for `key` and returns it as it is stored (sizes and booleans as written, a CA
// path made absolute). Exit 2 naming the key and what it takes.
Result<std::string> check_remote_value(std::string_view key, std::string_view value);

// True when `value` looks like a credential: an AWS access key id or secret key, a token, a URL
// with a password or a signed query. Such values never go into the committed config.
bool looks_like_secret(std::string_view value);

// Whether a Setting's source is an environment variable (not a config file, not the command line).
bool from_environment(std::string_view source);

// The error for a value in effect that the remote cannot use (an unknown key, a key of the other
// kind of remote, a malformed value), naming where it came from: the environment variable to
// correct or unset, or the file and the `remote modify` that fixes it. Exit 2; nullopt when fine.
// Secrets are not checked (only passed on) and never echoed.
std::optional<Error> check_remote_setting(const RemoteConfig& remote, std::string_view key, const Setting& setting,
                                          RemoteKind kind);
// `error` (from check_remote_url or parse_s3_url of the remote's url) with where the url came from.
Error bad_url_error(const RemoteConfig& remote, Error error);

// `remote`'s settings with MLOPS_REMOTE_<NAME>_<KEY> environment variables applied over them.
std::map<std::string, Setting> effective_settings(const RemoteConfig& remote);

// The value of `key` of remote `name` as written in one config file, not merged with the others
// (`remote modify --unset --local` asks whether the committed file has a url under the override);
// nullopt when that file does not set it. A malformed file is exit 2 naming it.
Result<std::optional<std::string>> remote_value_in(const Repo& repo, ConfigFile file, std::string_view name,
                                                   std::string_view key);

// "64MiB", "5MB", "1048576", "16k": bytes; nullopt when malformed.
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace mlops::data
