// `mlops remote list [--json]`: the remotes, their settings and where each value came from.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/remote_settings.hpp"

namespace mlops::cli {

namespace {

std::string shown_value(const std::string& key, const std::string& value) {
  const auto* spec = data::find_remote_key(key);
  return (spec && spec->secret) || data::looks_like_secret(value) ? "****" : value;
}

int run_remote_list() {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : config.remotes) {
      bool is_default = r.name == config.default_remote;
      nlohmann::ordered_json settings = nlohmann::ordered_json::object();
      for (const auto& [key, setting] : data::effective_settings(r)) {
        settings[key] = {{"value", shown_value(key, setting.value)}, {"source", setting.source}};
      }
      list.push_back(
          {{"name", r.name},
           {"url", shown_value("url", r.url)},
           {"kind", data::to_string(data::remote_kind(r.url))},
           {"default", is_default},
           {"sources",
            {{"url", r.url_source}, {"default", is_default ? nlohmann::ordered_json(config.default_source) : nullptr}}},
           {"settings", settings}});
    }
    out::print_json({{"remotes", list}});
    return 0;
  }
  for (const auto& r : config.remotes) {
    bool is_default = r.name == config.default_remote;
    out::println("{}\t{}{}", r.name, shown_value("url", r.url), is_default ? "\t(default)" : "");
    if (out::settings().verbosity < 0) continue;
    out::println("    url from {}{}", r.url_source, is_default ? ", default from " + config.default_source : "");
    for (const auto& [key, setting] : data::effective_settings(r)) {
      out::println("    {} = {}  ({})", key, shown_value(key, setting.value), setting.source);
    }
  }
  if (!config.default_remote.empty() && !config.find_remote(config.default_remote)) {
    out::warn(
        fmt::format("the default remote '{}' ({}) is not configured", config.default_remote, config.default_source));
  }
  return 0;
}

}  // namespace

void add_remote_list(CLI::App& group) {
  auto* command = add_command(group, "list", "List remotes, their settings and where each value comes from",
                              [] { return run_remote_list(); });
  add_json_flag(*command);
  command->footer("Example: mlops remote list --json");
}

}  // namespace mlops::cli
