#include "mlops/cli/app.hpp"

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>

#include "mlops/cli/arguments.hpp"
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/examples.hpp"
#include "mlops/cli/parse_error.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/version.hpp"

namespace mlops::cli {

namespace {

struct GlobalOptions {
  std::string directory;
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
};

void build(CLI::App& app, GlobalOptions& global) {
  app.description(
      "mlops: data versioning, run logging, a model registry and drift checks for a git repository.\n"
      "Run 'mlops COMMAND --help' for the options of a command.");
  app.set_version_flag("--version", std::string(version()), "Print the version and the commit it was built from");
  app.add_option("-C", global.directory, "Run as if mlops was started in DIR")->option_text("DIR");
  app.add_option("--color", global.color, "Colour output: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN");
  app.add_flag("-q,--quiet", global.quiet, "Print only results, warnings and errors (no notes, progress or advice)");
  app.add_flag("-v,--verbose", global.verbose, "Explain what is being done");
  app.require_subcommand(1);
  app.fallthrough();  // global flags are accepted after the command name too

  register_init(app);
  register_data(app);
  register_remote(app);
  register_hooks(app);
  register_run(app);
  register_log(app);
  register_runs(app);
  register_drift(app);
  register_schema(app);
  register_model(app);
  register_repro(app);
  register_prompt(app);
  register_eval(app);
  register_trace(app);
  register_monitor(app);
  register_feedback(app);
  register_ready(app);
  register_import(app);
  register_ui(app);
  one_value_per_option(app);
  add_examples(app);
}

int report(const Error& error) {
  out::print_error(error);
  return static_cast<int>(error.exit);
}

// --help, through out::print like every other output (so a closed pipe is noticed).
int print_help(const CLI::App& app, const CLI::Error& e) {
  std::ostringstream help, errors;
  int code = app.exit(e, help, errors);
  out::print(help.str());
  if (!errors.str().empty()) std::fputs(errors.str().c_str(), stderr);
  return code;
}

// The exit code once stdout is flushed: a failed write is exit 3; a reader that went away
// (`mlops runs list | head -2`) ends a successful command as it ends git, killed by SIGPIPE,
// without a word. A failed command keeps its own code (its error is on stderr).
int finish(int code) {
  out::flush_hints();
  if (auto flushed = out::finish_stdout(); !flushed) {
    out::print_error(flushed.error());
    if (code == 0) code = static_cast<int>(Exit::environment);
  }
  if (out::stdout_closed() && code == 0) out::die_of_closed_stdout();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // A full disk shows up as an error from write(2), not as a signal that kills us mid-write.
  ::signal(SIGXFSZ, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);

  CLI::App app;
  app.name("mlops");
  GlobalOptions global;
  build(app, global);
  if (argc >= 2 && std::string_view(argv[1]) == "__complete") {
    return finish(complete(app, std::vector<std::string>(argv + 2, argv + argc)));
  }
  if (argc >= 2 && std::string_view(argv[1]) == "__man") {
    return man_pages(app, std::vector<std::string>(argv + 2, argv + argc));
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    args = normalise_arguments(app, args);
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));  // CLI11 takes them last first
    check_parsed_values(app);
  } catch (const CLI::CallForHelp& e) {
    return finish(print_help(app, e));
  } catch (const CLI::CallForAllHelp& e) {
    return finish(print_help(app, e));
  } catch (const CLI::CallForVersion&) {
    out::print(fmt::format("mlops {} (commit {})\n", version(), build_commit()));
    return finish(0);
  } catch (const CLI::ParseError& e) {
    out::configure_color(out::ColorMode::automatic);
    return report(describe_parse_error(app, e, args));
  } catch (const Failure& failure) {
    out::configure_color(out::ColorMode::automatic);
    return report(failure.error());
  }

  out::configure_color(global.color == "always"  ? out::ColorMode::always
                       : global.color == "never" ? out::ColorMode::never
                                                 : out::ColorMode::automatic);
  out::settings().verbosity = global.quiet ? -1 : global.verbose ? 1 : 0;

  int code = 0;
  try {
    if (!global.directory.empty() && ::chdir(global.directory.c_str()) != 0) {
      throw Failure(system_error("change to the folder", global.directory, errno));
    }
    const RunFunction* run = parsed_command(app);
    if (!run) throw Failure(bad_input("no command given", "see 'mlops --help'"));
    code = (*run)();
  } catch (const Failure& failure) {
    code = report(failure.error());
  } catch (const std::bad_alloc&) {
    code = report(environment_error("out of memory"));
  } catch (const std::exception& e) {
    // A bug or an unexpected library error: still a clear message and a documented code.
    code = report(environment_error(fmt::format("unexpected error: {}", e.what()),
                                    "please report this with the command you ran"));
  }
  return finish(code);
}

}  // namespace mlops::cli
