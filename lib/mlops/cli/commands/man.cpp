// `mlops __man DIR` (hidden): writes the manual pages, mlops(1) and mlops-COMMAND(1) for each
// top-level command, in roff, from the command tree itself. The build runs it (CMakeLists.txt,
// "Manual pages"), so the pages always describe the binary they are installed with.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/version.hpp"

namespace mlops::cli {

namespace {

// Text as roff shows it literally: backslashes escaped, '-' as a minus sign (so that flags copied
// from the page work), and a line that starts with '.' or '\'' not taken for a request.
std::string roff(std::string_view text) {
  std::string escaped;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) escaped += "\\&";
    if (c == '\\') {
      escaped += "\\e";
    } else if (c == '-') {
      escaped += "\\-";
    } else {
      escaped += c;
    }
    line_start = c == '\n';
  }
  return escaped;
}

// A paragraph of text that may hold line breaks of its own (descriptions, examples): kept as
// written, one output line per input line.
std::string roff_block(std::string_view text) {
  std::string trimmed(text);
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  if (trimmed.empty()) return {};
  if (trimmed.find('\n') == std::string::npos) return roff(trimmed) + "\n";
  return ".nf\n" + roff(trimmed) + "\n.fi\n";
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& command) {
  return command.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

bool is_listed(const CLI::App& command, const CLI::Option* option) {
  return !option->get_group().empty() && option != command.get_help_ptr() && option != command.get_help_all_ptr();
}

// "NAME" or "NAME..." for a positional argument.
std::string positional_text(const CLI::Option* option) {
  std::string name = option->get_type_name();
  if (name.empty()) name = option->get_name(true);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  if (option->get_items_expected_max() > 1) name += "...";
  return option->get_required() ? name : "[" + name + "]";
}

// "mlops data add [OPTIONS] PATH..."
std::string synopsis(const CLI::App& command, const std::string& path) {
  std::string text = path;
  bool has_options = false;
  std::string positionals;
  for (const auto* option : command.get_options()) {
    if (!is_listed(command, option)) continue;
    if (option->nonpositional()) {
      has_options = true;
    } else {
      positionals += " " + positional_text(option);
    }
  }
  if (!visible_subcommands(command).empty()) return text + " COMMAND [OPTIONS]";
  if (has_options) text += " [OPTIONS]";
  return text + positionals;
}

// One .TP entry per option: "-o, --output FILE" and its description (with its default).
std::string options_section(const CLI::App& command) {
  std::string text;
  for (const auto* option : command.get_options()) {
    if (!is_listed(command, option)) continue;
    std::string names;
    if (option->nonpositional()) {
      for (const auto& name : option->get_snames())
        names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-{}\\fR", roff(name));
      for (const auto& name : option->get_lnames()) {
        names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-\\-{}\\fR", roff(name));
      }
      std::string value = option->get_option_text();
      if (value.empty() && option->get_type_size() != 0) value = option->get_type_name();
      if (!value.empty()) names += " \\fI" + roff(value) + "\\fR";
    } else {
      names = "\\fI" + roff(positional_text(option)) + "\\fR";
    }
    std::string description = option->get_description();
    if (!option->get_default_str().empty()) description += fmt::format(" (default: {})", option->get_default_str());
    text += ".TP\n" + names + "\n" + roff_block(description);
  }
  return text;
}

// Every command below `command`, depth first: a subsection each, with its synopsis, description,
// options and example.
std::string commands_section(const CLI::App& command, const std::string& path) {
  std::string text;
  for (const auto* sub : visible_subcommands(command)) {
    std::string sub_path = path + " " + sub->get_name();
    text += fmt::format(".SS \"{}\"\n", roff(synopsis(*sub, sub_path)));
    text += roff_block(sub->get_description());
    if (std::string options = options_section(*sub); !options.empty()) text += ".PP\nOptions:\n" + options;
    if (std::string footer = sub->get_footer(); !footer.empty()) text += ".PP\n" + roff_block(footer);
    text += commands_section(*sub, sub_path);
  }
  return text;
}

std::string header(std::string_view name, std::string_view summary) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  return fmt::format(
      ".\\\" Generated by 'mlops __man' from the command tree of mlops {}; do not edit.\n"
      ".TH {} 1 \"\" \"mlops {}\" \"mlops manual\"\n"
      ".SH NAME\n{} \\- {}\n",
      version(), upper, version(), roff(name), roff(summary));
}

// The first line of a description, without its full stop (for NAME); an ellipsis stays.
std::string summary_of(const std::string& description) {
  std::string line = description.substr(0, description.find('\n'));
  if (line.ends_with('.') && !line.ends_with("...")) line.pop_back();
  return line;
}

constexpr std::string_view exit_status =
    ".SH EXIT STATUS\n"
    ".TP\n0\nsuccess\n"
    ".TP\n1\nthe command worked and its check failed (drift found, a gate not met, \\-\\-exit\\-code, verify)\n"
    ".TP\n2\nbad usage or bad input (an unknown flag, a malformed file, an unknown model or run)\n"
    ".TP\n3\nthe environment failed (an I/O error, a full disk, permission denied, unreachable remote)\n";

std::string main_page(const CLI::App& app) {
  std::string text =
      header("mlops", "data versioning, run logging, a model registry and drift checks for a git repository");
  text += ".SH SYNOPSIS\n\\fBmlops\\fR [\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n";
  text += ".SH DESCRIPTION\n" + roff_block(app.get_description());
  text += ".SH GLOBAL OPTIONS\nThese are accepted before or after the command name.\n" + options_section(app);
  text += ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint the help of mlops or of a command\n";
  text += ".SH COMMANDS\n";
  for (const auto* sub : visible_subcommands(app)) {
    text += fmt::format(".TP\n\\fBmlops {}\\fR\n{}\nSee \\fBmlops\\-{}\\fR(1).\n", roff(sub->get_name()),
                        roff(sub->get_description()), roff(sub->get_name()));
  }
  text += exit_status;
  text +=
      ".SH ENVIRONMENT\n"
      ".TP\nMLOPS_RUN_ID\nthe run that \\fBmlops log\\fR writes to; \\fBmlops run\\fR sets it for its command\n"
      ".TP\nNO_COLOR\nno colour in the output, as with \\fB\\-\\-color=never\\fR\n"
      ".SH FILES\n"
      ".TP\n\\&.mlops/config.yaml\nthe settings of the repository (committed)\n"
      ".TP\n\\&.mlops/cache/\nthe content\\-addressed objects of data, models and artifacts\n"
      ".TP\n\\&.mlops/runs.db\nthe runs, their parameters, metrics and artifacts (SQLite)\n";
  text += ".SH SEE ALSO\n";
  std::string see_also;
  for (const auto* sub : visible_subcommands(app)) {
    see_also += fmt::format("\\fBmlops\\-{}\\fR(1), ", roff(sub->get_name()));
  }
  text += see_also + "\\fBgit\\fR(1)\n";
  return text;
}

std::string command_page(const CLI::App& command) {
  std::string name = "mlops-" + command.get_name();
  std::string text = header(name, summary_of(command.get_description()));
  std::string path = "mlops " + command.get_name();
  text += ".SH SYNOPSIS\n" + roff_block(synopsis(command, path));
  text += ".SH DESCRIPTION\n" + roff_block(command.get_description());
  if (std::string footer = command.get_footer(); !footer.empty()) text += ".PP\n" + roff_block(footer);
  if (std::string options = options_section(command); !options.empty()) text += ".SH OPTIONS\n" + options;
  if (!visible_subcommands(command).empty()) text += ".SH COMMANDS\n" + commands_section(command, path);
  text +=
      ".SH GLOBAL OPTIONS\n\\fB\\-C\\fR \\fIDIR\\fR, \\fB\\-\\-color\\fR, \\fB\\-q\\fR, \\fB\\-v\\fR, "
      "\\fB\\-h\\fR: see \\fBmlops\\fR(1).\n";
  text += exit_status;
  text += ".SH SEE ALSO\n\\fBmlops\\fR(1)\n";
  return text;
}

int run_man(const CLI::App& app, const std::vector<std::string>& args) {
  if (args.size() != 1) {
    out::print_error(bad_input("'mlops __man' takes one folder", "mlops __man DIR"));
    return static_cast<int>(Exit::bad_input);
  }
  std::filesystem::path dir = args.front();
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    out::print_error(system_error("create the folder", dir, error.value()));
    return static_cast<int>(Exit::environment);
  }
  std::vector<std::pair<std::string, std::string>> pages{{"mlops.1", main_page(app)}};
  for (const auto* sub : visible_subcommands(app))
    pages.emplace_back("mlops-" + sub->get_name() + ".1", command_page(*sub));
  for (const auto& [file, content] : pages) {
    if (auto written = write_file_atomic(dir / file, content); !written) {
      out::print_error(written.error());
      return static_cast<int>(written.error().exit);
    }
  }
  return 0;
}

}  // namespace

int man_pages(const CLI::App& app, std::vector<std::string> args) { return run_man(app, args); }

}  // namespace mlops::cli
