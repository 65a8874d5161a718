#pragma once
// The command line before and after CLI11 reads it: the few rules CLI11 cannot be told.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::cli {

// A number with a sign (-0.5, -.5, -1e-3, -inf, nan): a value, never an option.
bool is_number(std::string_view word);
// `-x`, `--name`, `--name=value`: a word that names an option (numbers do not).
bool looks_like_option(std::string_view word);

// In a command whose arguments are single values (`log metric NAME VALUE`, `log param K V`,
// `runs show ID`, ...), rewrites `args` (the words after the program name) so that
//  - a negative number is a value: `mlops log metric delta -.5`, `mlops log metric gap -inf`;
//  - `--` guards the values only: `mlops log metric delta -- -0.5 --step 3` still takes --step 3,
//    while `mlops log tag note -- --json` tags the text "--json".
// Other command lines are returned as they are.
std::vector<std::string> normalise_arguments(const CLI::App& root, std::vector<std::string> args);

// Every named option of the tree takes one value per occurrence (`--columns a,b` or
// `--columns a --columns b`): CLI11 would otherwise let a list option swallow the arguments that
// follow it (`drift check --columns a ref.csv cur.csv`). The exception: an option shown as a list
// (`->option_text("FILE...")`) in a command that has no positional arguments takes several
// (`feedback to-golden --traces a.jsonl b.jsonl`).
void one_value_per_option(CLI::App& root);

}  // namespace mlops::cli
