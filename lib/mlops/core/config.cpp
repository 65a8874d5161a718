#include "mlops/core/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "mlops/core/config_text.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"

namespace mlops {

const Setting* RemoteConfig::get(std::string_view key) const {
  auto it = settings.find(std::string(key));
  return it == settings.end() ? nullptr : &it->second;
}

const RemoteConfig* Config::find_remote(std::string_view name) const {
  for (const auto& r : remotes) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

namespace {

Error config_error(const std::filesystem::path& file, const std::string& what, int line = -1) {
  std::string where = file.string();
  if (line >= 0) where += fmt::format(":{}", line + 1);
  return bad_input(fmt::format("malformed config '{}': {}", where, what),
                   "fix the file by hand, or restore it with 'git checkout .mlops/config.yaml'");
}

Error config_error(const Repo& repo, const std::string& what, int line = -1) {
  return config_error(repo.config_file(), what, line);
}

RemoteConfig& remote_entry(Config& config, const std::string& name) {
  for (auto& r : config.remotes) {
    if (r.name == name) return r;
  }
  config.remotes.push_back(RemoteConfig{name, {}, {}, {}});
  return config.remotes.back();
}

// Merges the `remotes:` mapping of one file into `config`; its values win over earlier files'.
Result<void> read_remotes(const YAML::Node& remotes, const std::filesystem::path& file, std::string_view label,
                          Config& config) {
  if (!remotes || remotes.IsNull()) return {};
  if (!remotes.IsMap()) return std::unexpected(config_error(file, "remotes must be a mapping", remotes.Mark().line));
  for (const auto& entry : remotes) {
    auto name = entry.first.as<std::string>();
    if (!entry.second.IsMap()) {
      return std::unexpected(
          config_error(file, fmt::format("remote '{}' must be a mapping (url: ...)", name), entry.second.Mark().line));
    }
    RemoteConfig& remote = remote_entry(config, name);
    for (const auto& value : entry.second) {
      auto key = value.first.as<std::string>();
      if (!value.second.IsScalar()) {
        return std::unexpected(config_error(file, fmt::format("remotes.{}.{} must be a single value", name, key),
                                            value.second.Mark().line));
      }
      if (key == "url") {
        remote.url = value.second.as<std::string>();
        remote.url_source = std::string(label);
      } else if (key == "default") {
        if (value.second.as<bool>()) {
          config.default_remote = name;
          config.default_source = std::string(label);
        }
      } else {
        remote.settings[key] = Setting{value.second.as<std::string>(), std::string(label)};
      }
    }
  }
  return {};
}

std::optional<std::string> env_value(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

}  // namespace

std::filesystem::path config_path(const Repo& repo, ConfigFile file) {
  return file == ConfigFile::committed ? repo.config_file() : repo.store() / "config.local.yaml";
}

std::string_view config_label(ConfigFile file) {
  return file == ConfigFile::committed ? ".mlops/config.yaml" : ".mlops/config.local.yaml";
}

std::string remote_env_name(std::string_view name, std::string_view key) {
  std::string var = "MLOPS_REMOTE_";
  for (std::string_view part : {name, std::string_view("_"), key}) {
    for (char c : part) {
      var += std::isalnum(static_cast<unsigned char>(c))
                 ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                 : '_';
    }
  }
  return var;
}

namespace {

// This machine's file, then the environment, over the committed remotes.
Result<void> apply_local_and_environment(const Repo& repo, Config& config) {
  auto local_file = config_path(repo, ConfigFile::local);
  if (auto text = read_file(local_file)) {
    try {
      YAML::Node root = YAML::Load(*text);
      if (root && root.IsMap()) {
        MLOPS_TRY(read_remotes(root["remotes"], local_file, config_label(ConfigFile::local), config));
      }
    } catch (const YAML::Exception& e) {
      return std::unexpected(config_error(local_file, e.msg, e.mark.is_null() ? -1 : e.mark.line));
    }
  } else if (text.error().exit != Exit::bad_input) {
    return std::unexpected(text.error());
  }
  for (auto& remote : config.remotes) {
    auto var = remote_env_name(remote.name, "url");
    if (auto url = env_value(var)) {
      remote.url = *url;
      remote.url_source = var;
    }
    if (remote.url.empty()) {
      return std::unexpected(config_error(
          config_path(repo, remote.url_source.empty() && !remote.settings.empty() &&
                                    remote.settings.begin()->second.source == config_label(ConfigFile::local)
                                ? ConfigFile::local
                                : ConfigFile::committed),
          fmt::format("remote '{}' has no url", remote.name)));
    }
  }
  if (auto name = env_value(std::string(kDefaultRemoteEnv))) {
    config.default_remote = *name;
    config.default_source = std::string(kDefaultRemoteEnv);
  }
  return {};
}

}  // namespace

Result<Config> load_config(const Repo& repo) {
  Config config;
  auto text = read_file(repo.config_file());
  if (!text) {
    if (text.error().exit == Exit::bad_input) return config;  // no config yet: the defaults
    return std::unexpected(text.error());
  }
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root || root.IsNull()) return config;
    if (!root.IsMap()) return std::unexpected(config_error(repo, "the top level must be a mapping"));
    MLOPS_TRY(read_remotes(root["remotes"], repo.config_file(), config_label(ConfigFile::committed), config));
  } catch (const YAML::Exception& e) {
    return std::unexpected(config_error(repo, e.msg, e.mark.is_null() ? -1 : e.mark.line));
  }
  MLOPS_TRY(apply_local_and_environment(repo, config));
  return config;
}

namespace {

constexpr std::string_view kLocalHeader =
    "# This machine's settings and secrets (git-ignored: never commit this file).\n"
    "# Values here win over .mlops/config.yaml; see docs/remotes.md.\n";

// Applies `edits` to the `remotes:` section of one file, atomically, under the config lock. The
// rest of the file stays as written (comments, order, block style: config_text.hpp). This
// machine's file may hold secrets: it is created readable by its owner only (0600).
Result<void> edit_config_file(const Repo& repo, ConfigFile which, const std::vector<RemoteEdit>& edits) {
  auto lock = FileLock::acquire(repo.store() / "config.lock");
  if (!lock) return std::unexpected(lock.error());
  auto file = config_path(repo, which);
  std::string text;
  if (auto read = read_file(file)) {
    text = std::move(*read);
  } else if (read.error().exit != Exit::bad_input) {
    return std::unexpected(read.error());
  } else {
    text = which == ConfigFile::local ? std::string(kLocalHeader) : "version: 1\n";
  }
  std::optional<EditedText> edited;
  try {
    YAML::Node root = YAML::Load(text);
    if (root && !root.IsNull() && !root.IsMap()) {
      return std::unexpected(config_error(file, "the top level must be a mapping"));
    }
    edited = edit_remotes_text(text, edits);
  } catch (const YAML::Exception& e) {
    return std::unexpected(config_error(file, e.msg, e.mark.is_null() ? -1 : e.mark.line));
  }
  if (!edited) return {};  // nothing changed
  if (edited->rewritten) {
    out::warn(
        fmt::format("'{}' was written again as a whole (its layout could not be edited in place): its "
                    "comments are gone",
                    config_label(which)));
  }
  if (which == ConfigFile::committed) return write_file_atomic(file, edited->text, repo.tmp());
  auto temp = AtomicFile::create(file, repo.tmp());
  if (!temp) return std::unexpected(temp.error());
  MLOPS_TRY(temp->set_mode(0600));
  MLOPS_TRY(temp->write(edited->text));
  return temp->commit();
}

}  // namespace

Result<void> set_remote_value(const Repo& repo, ConfigFile file, std::string_view name, std::string_view key,
                              const std::optional<std::string>& value) {
  RemoteEdit edit{value ? RemoteEdit::Op::set : RemoteEdit::Op::unset, std::string(name), std::string(key),
                  value.value_or("")};
  return edit_config_file(repo, file, {edit});
}

Result<bool> remove_remote_entry(const Repo& repo, std::string_view name) {
  bool found = false;
  for (auto which : {ConfigFile::committed, ConfigFile::local}) {
    if (!remote_in_file(repo, which, name)) continue;
    found = true;
    MLOPS_TRY(edit_config_file(repo, which, {{RemoteEdit::Op::remove_remote, std::string(name), {}, {}}}));
  }
  return found;
}

Result<void> set_default_remote(const Repo& repo, ConfigFile file, std::string_view name) {
  std::vector<RemoteEdit> edits;
  auto text = read_file(config_path(repo, file));
  if (text) {
    try {
      YAML::Node root = YAML::Load(*text);
      if (root.IsMap() && root["remotes"] && root["remotes"].IsMap()) {
        for (const auto& entry : root["remotes"]) {
          if (entry.second.IsMap() && entry.second["default"] && entry.first.Scalar() != name) {
            edits.push_back({RemoteEdit::Op::unset, entry.first.Scalar(), "default", {}});
          }
        }
      }
    } catch (const YAML::Exception&) {
      // edit_config_file names the line.
    }
  }
  if (!name.empty()) edits.push_back({RemoteEdit::Op::set, std::string(name), "default", "true"});
  return edit_config_file(repo, file, edits);
}

bool remote_in_file(const Repo& repo, ConfigFile file, std::string_view name) {
  auto text = read_file(config_path(repo, file));
  if (!text) return false;
  try {
    YAML::Node root = YAML::Load(*text);
    return root.IsMap() && root["remotes"] && root["remotes"].IsMap() && root["remotes"][std::string(name)];
  } catch (const YAML::Exception&) {
    return false;
  }
}

}  // namespace mlops
