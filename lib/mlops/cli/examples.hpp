#pragma once
// An example in every command's --help: the commands whose own footer has none get one from the
// table in examples.cpp, and a group lists its commands' first examples.
#include <CLI/CLI.hpp>

namespace mlops::cli {
// Call once the whole tree is registered.
void add_examples(CLI::App& root);
}  // namespace mlops::cli
