#include "mlops/cli/arguments.hpp"

#include <cctype>

#include "mlops/cli/command.hpp"
#include "mlops/cli/parse_error.hpp"

namespace mlops::cli {

bool is_number(std::string_view word) {
  std::string_view rest = word.substr(word.starts_with('-') || word.starts_with('+') ? 1 : 0);
  if (rest.empty()) return false;
  std::string lower;
  for (char c : rest) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "inf" || lower == "infinity" || lower == "nan") return true;
  bool digit = false, dot = false, exponent = false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c == '.' && !dot && !exponent) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digit && !exponent && i + 1 < rest.size()) {
      exponent = true;
      digit = false;  // an exponent needs digits of its own
      if (rest[i + 1] == '-' || rest[i + 1] == '+') ++i;
    } else {
      return false;
    }
  }
  return digit;
}

bool looks_like_option(std::string_view word) { return word.size() >= 2 && word[0] == '-' && !is_number(word); }

namespace {

// How many words an option word stands for: 2 for `--step 3`, 1 for `--step=3`, `-v` or `--json`.
std::size_t option_words(const CLI::Option* option, std::string_view word) {
  if (!option || !takes_value(*option)) return 1;
  if (word.starts_with("--")) return word.find('=') == std::string_view::npos ? 2 : 1;
  return word.size() > 2 ? 1 : 2;  // -C DIR, or -CDIR
}

// A leaf command whose arguments are a fixed number of single values; 0 for any other.
std::size_t single_values(const CLI::App& command) {
  if (!visible_subcommands(command).empty() || command.get_allow_extras() || command.get_prefix_command() ||
      command.get_positionals_at_end()) {
    return 0;
  }
  std::size_t count = 0;
  for (const CLI::Option* option : command.get_options()) {
    if (option->nonpositional()) continue;
    if (option->get_items_expected_max() != 1) return 0;
    ++count;
  }
  return count;
}

}  // namespace

std::vector<std::string> normalise_arguments(const CLI::App& root, std::vector<std::string> args) {
  // Find the command: the words up to it are global options and command names.
  const CLI::App* command = &root;
  std::size_t i = 0;
  while (i < args.size()) {
    const std::string& word = args[i];
    if (word == "--") break;
    if (looks_like_option(word)) {
      const CLI::Option* option = find_option(*command, word);
      if (!option) return args;  // CLI11 reports it
      i += option_words(option, word);
      continue;
    }
    const CLI::App* sub = nullptr;
    for (const CLI::App* candidate : command->get_subcommands({})) {
      if (candidate->check_name(word)) sub = candidate;
    }
    if (!sub) break;
    command = sub;
    ++i;
  }
  const std::size_t wanted = single_values(*command);
  if (wanted == 0) return args;

  const std::size_t start = i;
  std::vector<std::string> options, values;
  bool separated = false, rewrite = false;
  while (i < args.size()) {
    const std::string& word = args[i];
    if (word == "--" && !separated) {
      separated = rewrite = true;
      ++i;
      continue;
    }
    if ((separated && values.size() < wanted) || !looks_like_option(word)) {
      rewrite |= word.starts_with('-');
      values.push_back(word);
      ++i;
      continue;
    }
    const CLI::Option* option = find_option(*command, word);
    std::size_t n = option_words(option, word);
    if (i + n > args.size()) throw Failure(missing_value(*command, *option));
    options.insert(options.end(), args.begin() + static_cast<std::ptrdiff_t>(i),
                   args.begin() + static_cast<std::ptrdiff_t>(i + n));
    i += n;
  }
  if (!rewrite) return args;
  std::vector<std::string> result(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(start));
  result.insert(result.end(), options.begin(), options.end());
  result.push_back("--");
  result.insert(result.end(), values.begin(), values.end());
  return result;
}

void one_value_per_option(CLI::App& root) {
  bool has_positionals = false;
  for (const CLI::Option* option : root.get_options()) has_positionals |= !option->nonpositional();
  for (CLI::Option* option : root.get_options()) {
    // `--traces FILE...` in a command without positional arguments has nothing to swallow: it
    // takes every word up to the next option, so a shell glob works (`--traces traces/*.jsonl`).
    bool list = option->get_option_text().ends_with("...") && !has_positionals;
    if (option->nonpositional() && !list) option->allow_extra_args(false);
  }
  for (CLI::App* sub : root.get_subcommands({})) one_value_per_option(*sub);
}

}  // namespace mlops::cli
