#pragma once
// The command table: each function adds one top-level command or command group to the app.
// A command's code is in commands/<noun>_<verb>.cpp; its group is registered in <noun>.cpp.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void register_init(CLI::App& app);
void register_data(CLI::App& app);
void register_remote(CLI::App& app);
void register_hooks(CLI::App& app);
void register_run(CLI::App& app);
void register_log(CLI::App& app);
void register_runs(CLI::App& app);
void register_drift(CLI::App& app);
void register_schema(CLI::App& app);
void register_model(CLI::App& app);
void register_repro(CLI::App& app);
void register_prompt(CLI::App& app);
void register_eval(CLI::App& app);
void register_trace(CLI::App& app);
void register_monitor(CLI::App& app);
void register_feedback(CLI::App& app);
void register_ready(CLI::App& app);
void register_import(CLI::App& app);
void register_ui(CLI::App& app);
// `mlops __complete WORD...` (hidden): completion candidates for the shell scripts. It is
// answered before parsing, since its words are data that may look like flags.
int complete(const CLI::App& app, std::vector<std::string> words);
// `mlops __man DIR` (hidden): writes mlops(1) and mlops-COMMAND(1) into DIR (the build runs it).
int man_pages(const CLI::App& app, std::vector<std::string> args);
}  // namespace mlops::cli
