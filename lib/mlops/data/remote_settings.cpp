#include "mlops/data/remote_settings.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "mlops/core/file.hpp"
#include "mlops/data/remote.hpp"

namespace mlops::data {

namespace {

bool only_chars(std::string_view text, std::string_view allowed_punctuation) {
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && allowed_punctuation.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return !text.empty();
}

std::optional<long> parse_setting_int(std::string_view text) {
  long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::optional<double> parse_setting_seconds(std::string_view text) {
  if (text.ends_with('s')) text.remove_suffix(1);
  double x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return x;
}

// "scheme://user:password@host" (a password in the authority part).
bool url_has_password(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find('/'));
  auto at = authority.rfind('@');
  return at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos;
}

}  // namespace

RemoteKind remote_kind(std::string_view url) { return url.starts_with("s3://") ? RemoteKind::s3 : RemoteKind::path; }

std::string_view to_string(RemoteKind kind) { return kind == RemoteKind::s3 ? "s3" : "path"; }

const std::vector<RemoteKey>& remote_keys() {
  static const std::vector<RemoteKey> keys = {
      {"url", "a path, file://PATH or s3://BUCKET[/PREFIX]", false, false, false},
      {"endpoint_url", "an http:// or https:// URL (MinIO, Ceph, R2, ...)", false, true, false},
      {"region", "a region name such as eu-west-1", false, true, false},
      {"profile", "a profile name in ~/.aws/credentials or ~/.aws/config", false, true, false},
      {"addressing", "auto, path or virtual", false, true, false},
      {"ssl_verify", "true, false, or the path of a CA bundle", false, true, false},
      {"jobs", "transfers in flight at once, 1 to 512", false, false, false},
      {"multipart_threshold", "a size such as 64MiB (larger objects go in parts)", false, true, false},
      {"multipart_chunksize", "a part size from 5MiB to 5GiB", false, true, false},
      {"max_retries", "retries after the first attempt, 0 to 50", false, true, false},
      {"connect_timeout", "seconds, such as 10 or 2.5", false, true, false},
      {"sse", "AES256, aws:kms or aws:kms:dsse", false, true, false},
      {"sse_kms_key_id", "a KMS key id or ARN", false, true, false},
      {"acl", "a canned ACL such as bucket-owner-full-control", false, true, false},
      {"shared", "group (folders and objects group-writable) or false", false, false, true},
      {"access_key_id", "an access key id (this machine only: --local)", true, true, false},
      {"secret_access_key", "a secret access key (this machine only: --local)", true, true, false},
      {"session_token", "a session token (this machine only: --local)", true, true, false},
  };
  return keys;
}

const RemoteKey* find_remote_key(std::string_view name) {
  for (const auto& key : remote_keys()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string unit(end, text.data() + text.size());
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, std::uint64_t> units[] = {
      {"", 1},
      {"b", 1},
      {"k", 1ull << 10},
      {"kb", 1000},
      {"kib", 1ull << 10},
      {"m", 1ull << 20},
      {"mb", 1000000},
      {"mib", 1ull << 20},
      {"g", 1ull << 30},
      {"gb", 1000000000},
      {"gib", 1ull << 30},
  };
  for (const auto& [name, factor] : units) {
    if (unit == name) {
      if (n > UINT64_MAX / factor) return std::nullopt;
      return n * factor;
    }
  }
  return std::nullopt;
}

bool looks_like_secret(std::string_view value) {
  if (url_has_password(value)) return true;
  for (std::string_view signed_query : {"X-Amz-Signature=", "X-Amz-Credential=", "X-Amz-Security-Token=", "token="}) {
    if (value.find(signed_query) != std::string_view::npos) return true;
  }
  // AWS access key ids: AKIA (long-term) or ASIA (temporary) and 16 more capitals or digits.
  for (std::size_t i = 0; i + 20 <= value.size(); ++i) {
    auto id = value.substr(i, 20);
    if ((id.starts_with("AKIA") || id.starts_with("ASIA")) && only_chars(id, "") &&
        std::none_of(id.begin(), id.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); })) {
      return true;
    }
  }
  // A long run of base64 with upper case, lower case and digits (secret keys, session tokens).
  std::size_t run = 0;
  bool upper = false, lower = false, digit = false;
  for (char c : value) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=') {
      ++run;
      upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
      lower |= std::islower(static_cast<unsigned char>(c)) != 0;
      digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
      if (run >= 32 && upper && lower && digit) return true;
    } else {
      run = 0;
      upper = lower = digit = false;
    }
  }
  return false;
}

Result<std::string> check_remote_value(std::string_view key, std::string_view value) {
  const RemoteKey* spec = find_remote_key(key);
  if (!spec) return std::unexpected(bad_input(fmt::format("unknown remote setting '{}'", key)));
  auto invalid = [&](std::string_view why = {}) {
    return std::unexpected(bad_input(fmt::format("invalid value '{}' for remote setting '{}'{}{}",
                                                 spec->secret ? "****" : value, key, why.empty() ? "" : ": ", why),
                                     fmt::format("{} takes {}", key, spec->values)));
  };
  std::string text(value);
  if (key == "url") {
    MLOPS_TRY(check_remote_url(value));
  } else if (key == "endpoint_url") {
    if (!(value.starts_with("http://") || value.starts_with("https://")) || value.find("://") + 3 >= value.size()) {
      return invalid();
    }
    if (url_has_password(value)) return invalid("it holds a password");
    while (text.ends_with('/')) text.pop_back();
  } else if (key == "region") {
    if (!only_chars(value, "-")) return invalid();
  } else if (key == "profile") {
    if (!only_chars(value, "-_.@+")) return invalid();
  } else if (key == "addressing") {
    if (value != "auto" && value != "path" && value != "virtual") return invalid();
  } else if (key == "ssl_verify") {
    if (value != "true" && value != "false") {
      std::error_code ec;
      auto path = std::filesystem::absolute(std::filesystem::path(text), ec);
      if (ec || !std::filesystem::is_regular_file(path, ec)) return invalid("no such CA bundle file");
      text = path.string();
    }
  } else if (key == "jobs") {
    auto n = parse_setting_int(value);
    if (!n || *n < 1 || *n > 512) return invalid();
  } else if (key == "multipart_threshold") {
    auto n = parse_size(value);
    if (!n || *n < 1) return invalid();
  } else if (key == "multipart_chunksize") {
    auto n = parse_size(value);
    if (!n || *n < (5ull << 20) || *n > (5ull << 30)) return invalid();
  } else if (key == "max_retries") {
    auto n = parse_setting_int(value);
    if (!n || *n < 0 || *n > 50) return invalid();
  } else if (key == "connect_timeout") {
    auto s = parse_setting_seconds(value);
    if (!s || *s <= 0 || *s > 3600) return invalid();
  } else if (key == "sse") {
    if (value != "AES256" && value != "aws:kms" && value != "aws:kms:dsse") return invalid();
  } else if (key == "sse_kms_key_id") {
    if (!only_chars(value, "-_:/")) return invalid();
  } else if (key == "acl") {
    static constexpr std::string_view canned[] = {
        "private",       "public-read",       "public-read-write",        "authenticated-read",
        "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"};
    if (std::find(std::begin(canned), std::end(canned), value) == std::end(canned)) return invalid();
  } else if (key == "shared") {
    if (value != "group" && value != "false") return invalid();
  } else if (spec->secret) {
    if (value.empty() || value.find_first_of(" \t\n") != std::string_view::npos) return invalid();
  }
  return text;
}

bool from_environment(std::string_view source) { return source.starts_with("MLOPS_"); }

std::optional<Error> check_remote_setting(const RemoteConfig& remote, std::string_view key, const Setting& setting,
                                          RemoteKind kind) {
  const RemoteKey* spec = find_remote_key(key);
  bool env = from_environment(setting.source);
  std::string shown = spec && spec->secret ? "****" : setting.value;
  if (spec && ((spec->s3 && kind != RemoteKind::s3) || (spec->path && kind != RemoteKind::path))) {
    std::string what =
        fmt::format("{} is a setting of {} remotes, and '{}' is {} {} remote", key, spec->s3 ? "S3" : "path",
                    remote.name, kind == RemoteKind::s3 ? "an" : "a", to_string(kind));
    if (env)
      return bad_input(fmt::format("remote '{}': {} is set, but {}", remote.name, setting.source, what),
                       fmt::format("unset {}", setting.source));
    return bad_input(fmt::format("remote '{}': {} (in {})", remote.name, what, setting.source),
                     fmt::format("remove it: mlops remote modify {} {} --unset{}", remote.name, key,
                                 setting.source == config_label(ConfigFile::local) ? " --local" : ""));
  }
  if (!spec) {
    return bad_input(fmt::format("remote '{}': unknown setting '{}' in {}", remote.name, key, setting.source),
                     "remove it from the file by hand (docs/remotes.md lists the settings)");
  }
  if (spec->secret || check_remote_value(key, setting.value)) return std::nullopt;
  if (env) {
    return bad_input(
        fmt::format("remote '{}': {}='{}' is not a valid {} value", remote.name, setting.source, shown, key),
        fmt::format("{} takes {}: correct or unset {}", key, spec->values, setting.source));
  }
  return bad_input(fmt::format("remote '{}': invalid value '{}' for {} in {}", remote.name, shown, key, setting.source),
                   fmt::format("{} takes {}: mlops remote modify {} {} VALUE{}", key, spec->values, remote.name, key,
                               setting.source == config_label(ConfigFile::local) ? " --local" : ""));
}

Error bad_url_error(const RemoteConfig& remote, Error error) {
  if (from_environment(remote.url_source)) {
    error.message += fmt::format(" (the url of remote '{}', from {})", remote.name, remote.url_source);
    error.hint = fmt::format("correct or unset {}{}", remote.url_source, error.hint.empty() ? "" : "; " + error.hint);
  } else {
    error.message += fmt::format(" (the url of remote '{}', in {})", remote.name, remote.url_source);
  }
  return error;
}

std::map<std::string, Setting> effective_settings(const RemoteConfig& remote) {
  auto settings = remote.settings;
  for (const auto& key : remote_keys()) {
    if (key.name == "url") continue;
    auto var = remote_env_name(remote.name, key.name);
    const char* value = std::getenv(var.c_str());
    if (value && *value) settings[std::string(key.name)] = Setting{value, var};
  }
  return settings;
}

Result<std::optional<std::string>> remote_value_in(const Repo& repo, ConfigFile file, std::string_view name,
                                                   std::string_view key) {
  auto path = config_path(repo, file);
  auto text = read_file(path);
  if (!text) {
    if (text.error().exit == Exit::bad_input) return std::optional<std::string>();  // no such file
    return std::unexpected(text.error());
  }
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root || !root.IsMap() || !root["remotes"] || !root["remotes"].IsMap()) return std::optional<std::string>();
    YAML::Node remote = root["remotes"][std::string(name)];
    if (!remote || !remote.IsMap() || !remote[std::string(key)] || !remote[std::string(key)].IsScalar()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(remote[std::string(key)].as<std::string>());
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("cannot read '{}': {}", path.string(), e.msg),
                                     "fix the YAML (docs/remotes.md shows the shape)"));
  }
}

}  // namespace mlops::data
