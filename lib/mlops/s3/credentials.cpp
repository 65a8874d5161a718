// The AWS CLI's configuration files are INI: `[section]` headers, `key = value` lines, comments
// starting with '#' or ';', and indented lines continuing a key's nested block (`s3 =` followed by
// `  max_concurrent_requests = 20`), which mlops does not need and skips.
#include "mlops/s3/credentials.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace mlops::s3 {

namespace {

using Section = std::map<std::string, std::string>;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The keys of section `wanted` in the INI file at `path`; nullopt when the file or the section is
// not there.
std::optional<Section> read_section(const std::string& path, std::string_view wanted) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::optional<Section> found;
  bool inside = false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) continue;  // a nested block
    std::string_view text = trim(line);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    if (text.front() == '[') {
      std::size_t end = text.find(']');
      inside = end != std::string_view::npos && trim(text.substr(1, end - 1)) == wanted;
      if (inside && !found) found.emplace();
      continue;
    }
    if (!inside) continue;
    std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    std::string key(trim(text.substr(0, equals)));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    (*found)[key] = std::string(trim(text.substr(equals + 1)));
  }
  return found;
}

std::string value_of(const std::optional<Section>& section, const std::string& key) {
  if (!section) return {};
  auto it = section->find(key);
  return it == section->end() ? std::string() : it->second;
}

std::string home_path(const Environment& environment, std::string_view rest) {
  std::string home = environment("HOME").value_or("");
  return home.empty() ? std::string(rest) : fmt::format("{}/{}", home, rest);
}

// "~/x" as the shell would expand it.
std::string expand_home(const Environment& environment, std::string path) {
  if (path.starts_with("~/")) return home_path(environment, path.substr(2));
  return path;
}

}  // namespace

std::optional<std::string> process_environment(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Result<Resolved> resolve(const Settings& settings, const Environment& environment) {
  Resolved resolved;
  std::string credentials_file = environment("AWS_SHARED_CREDENTIALS_FILE")
                                     .transform([&](std::string path) { return expand_home(environment, path); })
                                     .value_or(home_path(environment, ".aws/credentials"));
  std::string config_file = environment("AWS_CONFIG_FILE")
                                .transform([&](std::string path) { return expand_home(environment, path); })
                                .value_or(home_path(environment, ".aws/config"));
  bool profile_from_settings = !settings.profile.empty();
  std::string profile = profile_from_settings ? settings.profile : environment("AWS_PROFILE").value_or("default");
  std::string remote =
      settings.remote_name.empty() ? std::string("the S3 remote") : fmt::format("remote '{}'", settings.remote_name);

  std::optional<Section> in_credentials = read_section(credentials_file, profile);
  std::optional<Section> in_config =
      read_section(config_file, profile == "default" ? std::string("default") : "profile " + profile);
  if (!in_config && profile == "default") in_config = read_section(config_file, "profile default");

  auto access_key = environment("AWS_ACCESS_KEY_ID");
  auto secret_key = environment("AWS_SECRET_ACCESS_KEY");
  if (!settings.access_key_id.empty() && !settings.secret_access_key.empty()) {
    resolved.credentials = {settings.access_key_id, settings.secret_access_key, settings.session_token};
    resolved.source =
        settings.credentials_source.empty() ? std::string("the remote's settings") : settings.credentials_source;
  } else if (!profile_from_settings && access_key && secret_key) {
    resolved.credentials = {*access_key, *secret_key, environment("AWS_SESSION_TOKEN").value_or("")};
    resolved.source = "environment (AWS_ACCESS_KEY_ID)";
  } else {
    for (const auto& [section, file] :
         {std::pair{&in_credentials, &credentials_file}, std::pair{&in_config, &config_file}}) {
      std::string id = value_of(*section, "aws_access_key_id");
      std::string secret = value_of(*section, "aws_secret_access_key");
      if (id.empty() || secret.empty()) continue;
      resolved.credentials = {id, secret, value_of(*section, "aws_session_token")};
      resolved.source = fmt::format("profile '{}' in {}", profile, *file);
      break;
    }
    if (resolved.source.empty()) {
      std::string where = profile_from_settings || environment("AWS_PROFILE")
                              ? fmt::format("profile '{}' (from {})", profile,
                                            profile_from_settings ? "the remote's 'profile' setting" : "AWS_PROFILE")
                              : std::string("profile 'default'");
      if (!in_credentials && !in_config && profile != "default") {
        return std::unexpected(environment_error(
            fmt::format("no AWS credentials for {}: {} is in neither {} nor {}", remote, where, credentials_file,
                        config_file),
            fmt::format("add [{}] with aws_access_key_id and aws_secret_access_key to {} (or run 'aws configure "
                        "--profile {}')",
                        profile, credentials_file, profile)));
      }
      bool other = !value_of(in_config, "credential_process").empty() || !value_of(in_config, "role_arn").empty() ||
                   !value_of(in_config, "sso_session").empty() || !value_of(in_config, "sso_start_url").empty();
      return std::unexpected(environment_error(
          fmt::format("no AWS credentials for {}: tried its own access_key_id/secret_access_key (none set), the "
                      "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and {} in {} and {}",
                      remote, where, credentials_file, config_file),
          other ? std::string("this profile uses credential_process, a role or SSO, which mlops does not run; export "
                              "keys with 'eval \"$(aws configure export-credentials --format env)\"'")
                : fmt::format("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run 'aws configure', or keep keys "
                              "for this machine with 'mlops remote modify {} access_key_id ... --local' (and "
                              "secret_access_key)",
                              settings.remote_name.empty() ? std::string("NAME") : settings.remote_name)));
    }
  }

  auto pick = [&](std::string* value, std::string* source, const std::string& setting, std::string_view setting_name,
                  std::initializer_list<const char*> variables, const std::string& profile_key) {
    if (!setting.empty()) {
      *value = setting;
      *source = fmt::format("the remote's '{}' setting", setting_name);
      return;
    }
    for (const char* variable : variables) {
      if (auto found = environment(variable)) {
        *value = *found;
        *source = variable;
        return;
      }
    }
    for (const auto* section : {&in_config, &in_credentials}) {
      std::string found = value_of(*section, profile_key);
      if (!found.empty()) {
        *value = found;
        *source = fmt::format("profile '{}'", profile);
        return;
      }
    }
  };
  pick(&resolved.region, &resolved.region_source, settings.region, "region", {"AWS_REGION", "AWS_DEFAULT_REGION"},
       "region");
  if (resolved.region.empty()) {
    resolved.region = "us-east-1";
    resolved.region_source = "the default";
  }
  pick(&resolved.endpoint_url, &resolved.endpoint_source, settings.endpoint_url, "endpoint_url",
       {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, "endpoint_url");
  while (resolved.endpoint_url.ends_with('/')) resolved.endpoint_url.pop_back();
  return resolved;
}

}  // namespace mlops::s3
