#pragma once

namespace mlops::cli {
// Parses the command line, runs the chosen command and returns the process exit code.
int main(int argc, char** argv);
}  // namespace mlops::cli
