#include "mlops/cli/parse_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "mlops/cli/arguments.hpp"
#include "mlops/cli/command.hpp"
#include "mlops/core/suggest.hpp"

namespace mlops::cli {

namespace {

std::string help_hint(const CLI::App& command) { return fmt::format("see '{} --help'", command_path(command)); }

// "see 'mlops log metric --help'", or the command's first example when it has one.
std::string usage_hint(const CLI::App& command) {
  auto examples = examples_of(command);
  if (examples.empty()) return help_hint(command);
  return fmt::format("for example: {}; see '{} --help'", examples.front(), command_path(command));
}

// "NAME VALUE [OPTIONS]" for a leaf, "COMMAND" for a group.
std::string usage_of(const CLI::App& command) {
  std::string usage = command_path(command);
  if (!visible_subcommands(command).empty()) return usage + " COMMAND";
  for (const CLI::Option* option : command.get_options()) {
    if (option->nonpositional()) continue;
    std::string label = option_label(*option);
    if (label.starts_with("-- ")) label = "-- " + label.substr(3);
    usage += option->get_required() ? " " + label : " [" + label + "]";
  }
  return usage + " [OPTIONS]";
}

std::string option_name_of(std::string_view word) {
  return std::string(word.substr(0, word.starts_with("--") ? word.find('=') : std::min<std::size_t>(2, word.size())));
}

// The words of the command line that no command took, in the order they were given.
std::vector<std::string> leftover_words(const CLI::App& root, const std::vector<std::string>& args) {
  std::vector<std::string> left = root.remaining(true);
  left.erase(std::remove(left.begin(), left.end(), "--"), left.end());
  std::vector<std::string> ordered;
  for (const auto& word : args) {
    auto it = std::find(left.begin(), left.end(), word);
    if (it == left.end()) continue;
    ordered.push_back(word);
    left.erase(it);
  }
  ordered.insert(ordered.end(), left.begin(), left.end());
  return ordered;
}

Error unknown_option(const CLI::App& command, std::string_view word) {
  std::string name = option_name_of(word);
  std::vector<std::string> candidates;
  for (const CLI::Option* option : visible_options(command)) {
    for (const auto& lname : option->get_lnames()) candidates.push_back("--" + lname);
  }
  std::string best = name.starts_with("--") ? closest(name, candidates) : std::string();
  std::string hint = best.empty() ? fmt::format("'{} --help' lists its options", command_path(command))
                                  : fmt::format("did you mean '{}'? see '{} --help'", best, command_path(command));
  return bad_input(fmt::format("unknown option '{}' for '{}'", name, command_path(command)), hint);
}

Error unknown_command(const CLI::App& group, std::string_view word) {
  std::vector<std::string> names;
  for (const CLI::App* sub : visible_subcommands(group)) names.push_back(sub->get_name());
  std::string message = group.get_parent() ? fmt::format("'{}' is not a command of '{}'", word, command_path(group))
                                           : fmt::format("'{}' is not an mlops command", word);
  std::string best = closest(word, names);
  if (!best.empty())
    return bad_input(message, fmt::format("did you mean '{}'? see '{} --help'", best, command_path(group)));
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return bad_input(message, fmt::format("'{}' has: {}", command_path(group), list));
}

// The first word no command took: an unknown option, a mistyped command, or one argument too many.
Error unexpected_word(const CLI::App& command, std::string_view word) {
  if (looks_like_option(word)) return unknown_option(command, word);
  if (!visible_subcommands(command).empty()) return unknown_command(command, word);
  return bad_input(fmt::format("unexpected argument '{}' for '{}'", word, command_path(command)),
                   fmt::format("usage: {}; see '{} --help'", usage_of(command), command_path(command)));
}

// The option CLI11's message is about: "--limit: ...", "Could not convert: --limit = x",
// "Expected exactly 2 arguments to --x, got 1", "The value x is not an allowed value for --x".
const CLI::Option* option_in_message(const CLI::App& command, std::string_view message) {
  for (const CLI::App* c = &command; c; c = c->get_parent()) {
    for (const CLI::Option* option : c->get_options()) {
      const std::string name = option->get_name();
      if (message.starts_with(name + ": ") || message.starts_with("Could not convert: " + name + " = ") ||
          message.find(" arguments to " + name + ", got ") != std::string_view::npos ||
          (message.starts_with("The value ") && message.ends_with(" for " + name))) {
        return option;
      }
    }
  }
  return nullptr;
}

// What an option's value must be: "one of auto, always, never", "a whole number", ...
std::string expected_value(const CLI::Option& option) {
  std::string type = option.get_type_name();
  if (auto brace = type.find('{'); brace != std::string::npos) {
    std::string choices = type.substr(brace + 1, type.find('}', brace) - brace - 1);
    std::string list;
    for (std::size_t at = 0; at <= choices.size();) {
      std::size_t comma = std::min(choices.find(',', at), choices.size());
      list += (list.empty() ? "" : ", ") + choices.substr(at, comma - at);
      at = comma + 1;
    }
    return "one of " + list;
  }
  if (auto in = type.find(" in ["); in != std::string::npos) {
    std::string range = type.substr(in + 5, type.find(']', in) - in - 5);
    if (auto dash = range.find(" - "); dash != std::string::npos)
      return fmt::format("a number from {} to {}", range.substr(0, dash), range.substr(dash + 3));
  }
  if (type.starts_with("UINT")) return "a whole number (0 or more)";
  if (type.starts_with("INT")) return "a whole number";
  if (type.starts_with("FLOAT")) return "a number";
  return "a value";
}

std::string given_value(const CLI::Option& option) {
  const auto& results = option.results();
  return results.empty() ? std::string() : results.back();
}

Error bad_value(const CLI::App& command, const CLI::Option& option) {
  std::string label = option_label(option);
  if (!takes_value(option)) {
    // A flag takes true or false after '=' (`--keep-dvc=false`); any other value lands here.
    return bad_input(fmt::format("option '{}' takes no value, or true or false (got '{}')", label, given_value(option)),
                     fmt::format("write '{0}' alone, or '{0}=false' to turn it off; see '{1} --help'", label,
                                 command_path(command)));
  }
  std::string what = option.nonpositional() ? fmt::format("option '{}'", label) : label;
  std::string expected = expected_value(option);
  return bad_input(fmt::format("'{}' is not a valid value for {}", given_value(option), what),
                   expected == "a value"
                       ? help_hint(command)
                       : fmt::format("{} takes {}; see '{} --help'", label, expected, command_path(command)));
}

}  // namespace

Error missing_value(const CLI::App& command, const CLI::Option& option) {
  std::string label = option_label(option);
  std::string text = option.get_option_text();
  std::string expected = expected_value(option);
  return bad_input(
      fmt::format("option '{}' needs a value", label),
      fmt::format("write '{} {}'{}; see '{} --help'", label, text.empty() ? "VALUE" : text,
                  expected == "a value" ? "" : ", where " + (text.empty() ? "VALUE" : text) + " is " + expected,
                  command_path(command)));
}

namespace {

Error missing_required(const CLI::App& command) {
  for (const CLI::Option* option : command.get_options()) {
    if (!option->get_required() || option->count() > 0) continue;
    std::string label = option_label(*option);
    if (option->nonpositional()) {
      std::string text = option->get_option_text();
      return bad_input(fmt::format("'{}' needs option '{}'", command_path(command), label),
                       fmt::format("add '{} {}'; {}", label, text.empty() ? "VALUE" : text, usage_hint(command)));
    }
    return bad_input(fmt::format("'{}' needs {}", command_path(command), label),
                     fmt::format("usage: {}; {}", usage_of(command), usage_hint(command)));
  }
  return bad_input(fmt::format("'{}' is missing an argument", command_path(command)), usage_hint(command));
}

// The group whose subcommand is missing: the deepest parsed command that needs one.
Error missing_command(const CLI::App& root, const CLI::App& group, const std::vector<std::string>& args) {
  auto left = leftover_words(root, args);
  if (!left.empty()) return unexpected_word(group, left.front());
  std::vector<std::string> names;
  for (const CLI::App* sub : visible_subcommands(group)) names.push_back(sub->get_name());
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  if (!group.get_parent())
    return bad_input("no command given", fmt::format("the commands: {}; see 'mlops --help'", list));
  return bad_input(fmt::format("'{}' needs a command", command_path(group)),
                   fmt::format("one of: {}; see '{} --help'", list, command_path(group)));
}

// "--a" for an option named in an excludes/requires message (CLI11 names options by get_name()).
std::string named(const CLI::App& command, const std::string& name) {
  for (const CLI::App* c = &command; c; c = c->get_parent()) {
    for (const CLI::Option* option : c->get_options()) {
      if (option->get_name() == name) return option_label(*option);
    }
  }
  return name;
}

// The first word of the command line that is not a global option or its value: the top-level
// command's name. With fallthrough, CLI11 reads a mistyped one as an argument and goes on to
// the next known name (`mlops evl run` parses as `mlops run` with a stray 'evl').
std::string first_command_word(const CLI::App& root, const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") return {};
    if (!looks_like_option(word)) return word;
    bool attached = word.starts_with("--") ? word.find('=') != std::string::npos : word.size() > 2;
    std::string name = option_name_of(word);
    for (const CLI::Option* option : root.get_options()) {
      if (option->check_name(name) && takes_value(*option) && !attached) ++i;
    }
  }
  return {};
}

}  // namespace

Error describe_parse_error(const CLI::App& root, const CLI::ParseError& error, const std::vector<std::string>& args) {
  const CLI::App& command = parsed_leaf(root);
  const std::string message = error.what();

  // A mistyped command is named as such before anything a later word made of the line.
  if (std::string word = first_command_word(root, args); !word.empty()) {
    bool known = false;
    for (const CLI::App* sub : root.get_subcommands({})) known = known || sub->check_name(word);
    if (!known) return unknown_command(root, word);
  }

  if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    auto left = leftover_words(root, args);
    if (!left.empty()) return unexpected_word(command, left.front());
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error)) {
    if (command.get_require_subcommand_min() > 0 && command.get_subcommands().empty())
      return missing_command(root, command, args);
    // An unknown option left over explains a missing argument better than the argument does
    // (`--sortt x` consumed nothing, so x is not the value of --sort).
    auto left = leftover_words(root, args);
    if (!left.empty() && looks_like_option(left.front())) return unknown_option(command, left.front());
    return missing_required(command);
  }
  const CLI::Option* option = option_in_message(command, message);
  if (dynamic_cast<const CLI::ConversionError*>(&error) || dynamic_cast<const CLI::ValidationError*>(&error)) {
    if (option) return bad_value(command, *option);
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) && option) {
    if (message.find("missing") != std::string::npos || option->results().empty())
      return missing_value(command, *option);
    std::string label = option_label(*option);
    return bad_input(fmt::format("option '{}' was given {} times", label, option->results().size()),
                     fmt::format("give '{}' once; see '{} --help'", label, command_path(command)));
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error)) {
    auto at = message.find(" excludes ");
    if (at != std::string::npos) {
      return bad_input(fmt::format("'{}' and '{}' cannot be used together", named(command, message.substr(0, at)),
                                   named(command, message.substr(at + 10))),
                       fmt::format("give one of them; see '{} --help'", command_path(command)));
    }
  }
  if (dynamic_cast<const CLI::RequiresError*>(&error)) {
    auto at = message.find(" requires ");
    if (at != std::string::npos) {
      return bad_input(fmt::format("'{}' needs '{}'", named(command, message.substr(0, at)),
                                   named(command, message.substr(at + 10))),
                       usage_hint(command));
    }
  }
  // Kinds mlops's command tree does not produce (configuration files, construction faults):
  // still an mlops message, never CLI11's.
  auto left = leftover_words(root, args);
  if (!left.empty()) return unexpected_word(command, left.front());
  return bad_input(fmt::format("cannot read the command line of '{}'", command_path(command)), usage_hint(command));
}

void check_parsed_values(const CLI::App& root) {
  for (const CLI::App* command = &root; command;) {
    for (const CLI::Option* option : command->get_options()) {
      if (option->count() == 0 || !option->get_type_name().starts_with("UINT")) continue;
      for (const auto& value : option->results()) {
        if (!value.empty() && value.front() == '-') throw Failure(bad_value(*command, *option));
      }
    }
    auto chosen = command->get_subcommands();
    command = chosen.empty() ? nullptr : chosen.front();
  }
}

}  // namespace mlops::cli
