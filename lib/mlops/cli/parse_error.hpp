#pragma once
// CLI11's parse errors, told in mlops's words: every kind becomes an Error with exit 2 that names
// the command and the option or word at fault, and a hint with the way out ("did you mean",
// what the option takes, an example). CLI11's own text never reaches the user.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::cli {
// `root` is the app after the failed parse; `args` the words after the program name, as given.
Error describe_parse_error(const CLI::App& root, const CLI::ParseError& error, const std::vector<std::string>& args);

// "option '--step' needs a value", with what it takes.
Error missing_value(const CLI::App& command, const CLI::Option& option);

// Checks CLI11 leaves to us after a successful parse: a negative number given to an option that
// takes a count (CLI11 wraps it around to a huge one). Throws a Failure (exit 2).
void check_parsed_values(const CLI::App& root);
}  // namespace mlops::cli
