// `mlops ui [--port N] [--host ADDRESS] [--open]`: a read-only local web view of the runs.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spawn.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/subprocess.hpp"
#include "mlops/view/ui_app.hpp"
#include "mlops/view/ui_hosts.hpp"
#include "mlops/view/ui_server.hpp"

extern char** environ;

namespace mlops::cli {

namespace {

struct UiOptions {
  std::string host = "127.0.0.1";
  int port = 8931;
  std::vector<std::string> allow_hosts;
  bool open = false;
};

// Opens `url` in the desktop's browser, without waiting for it.
void open_browser(const std::string& url) {
  auto opener = find_program("xdg-open");
  if (!opener) {
    out::warn("cannot open a browser: xdg-open is not installed");
    return;
  }
  std::string program = opener->string();
  char* argv[] = {program.data(), const_cast<char*>(url.c_str()), nullptr};
  pid_t pid = 0;
  if (::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv, environ) != 0) {
    out::warn(fmt::format("cannot open a browser with {}", program));
  }
}

int run_ui(const UiOptions& options) {
  if (options.port < 0 || options.port > 65535) {
    throw Failure(
        bad_input(fmt::format("--port {} is not a port", options.port), "give 1 to 65535, or 0 for any free port"));
  }
  Repo repo = require_store();
  view::UiApp app(repo, {});
  view::ServeSettings settings{options.host, options.port, options.allow_hosts};
  unwrap(view::serve_ui(app, settings, [&](int port) {
    bool loopback = view::is_loopback_host(options.host);
    auto machine = loopback ? view::MachineNames{} : view::this_machine();
    std::string url = view::reachable_url(options.host, port, machine);
    // The address on stdout (scripts and tests read it), the rest on stderr.
    out::println("{}", url);
    unwrap(out::finish_stdout());
    if (!loopback) {
      out::warn(
          fmt::format("serving on {}: anyone who can reach this address can read every run of this repository "
                      "(there is no login)",
                      options.host));
      // What a colleague may type: any other Host is refused (DNS rebinding, docs/ui.md).
      out::note(fmt::format("answering to Host {} (more with --allow-host NAME)",
                            fmt::join(view::allowed_hosts(options.host, port, machine, options.allow_hosts), ", ")));
    }
    out::note("serving the runs read-only; stop with Ctrl-C");
    if (options.open) open_browser(url);
  }));
  return 0;
}

}  // namespace

void register_ui(CLI::App& app) {
  auto options = std::make_shared<UiOptions>();
  auto* command =
      add_command(app, "ui", "Serve a read-only web view of this repository's runs, models and drift reports",
                  [options] { return run_ui(*options); });
  command->add_option("--port", options->port, "The port (default 8931; 0: any free port)")->option_text("N");
  command
      ->add_option("--host", options->host,
                   "The address to listen on (default 127.0.0.1; any other is reachable by others, with a warning)")
      ->option_text("ADDRESS");
  command
      ->add_option("--allow-host", options->allow_hosts,
                   "Also answer requests for this Host name, e.g. a DNS name or a reverse proxy's (repeatable)")
      ->option_text("NAME[:PORT]");
  command->add_flag("--open", options->open, "Open the page in the desktop's browser");
  command->footer(
      "Pages: Runs (the filter language of 'runs list', sortable and chosen columns, select runs to compare),\n"
      "Compare (curves, final values, params against a metric, parallel coordinates, differences), Run,\n"
      "Models (stages, versions, lineage, gates, history) and Drift (the reports of 'drift check --keep').\n"
      "Nothing is loaded from the network; requests for a Host that is not this machine's are refused\n"
      "(on 0.0.0.0: its addresses and host name; add others with --allow-host).\n"
      "Example: mlops ui --port 0 --open");
}

}  // namespace mlops::cli
