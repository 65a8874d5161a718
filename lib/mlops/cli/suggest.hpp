#pragma once
// "Did you mean" for mistyped command names, the way git and ninja answer them.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace mlops::cli {
std::size_t edit_distance(std::string_view a, std::string_view b);
// A hint for CLI11's "arguments were not expected: X" when X is close to a subcommand name of
// the deepest command parsed; empty otherwise.
std::string suggest_for_parse_error(const CLI::App& app, std::string_view message);
}  // namespace mlops::cli
