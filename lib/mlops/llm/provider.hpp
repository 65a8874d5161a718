#pragma once
// Providers: the local commands that stand for a model in `eval run`. A provider reads the
// rendered prompt on stdin and prints the output: plain text, or one JSON object
//   {"output": "...", "usage": {"prompt_tokens": 12, "completion_tokens": 30}, "cost": 0.0004,
//    "retrieved_ids": ["doc-3", "doc-7"]}
// (docs/eval.md, "Providers"). A provider that cannot start, times out, exits non-zero or prints
// malformed JSON makes that case an error quoting the end of its stderr.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::llm {

// How a provider's stdout is read: `auto` takes a JSON object with a string "output" as the
// envelope above and anything else as plain text; `json` requires the envelope; `text` never
// looks for one.
enum class OutputFormat { automatic, json, text };

struct ProviderSpec {
  std::string id;                 // unique in the config: "local", "gpt-mock"
  std::vector<std::string> argv;  // a YAML list, or ["sh", "-c", TEXT] for a string
  std::string command_text;       // as written, for params and messages
  std::chrono::milliseconds timeout{60000};
  OutputFormat format = OutputFormat::automatic;
  nlohmann::json config = nlohmann::json::object();  // `config:` given to the provider as MLOPS_PROVIDER_CONFIG
  std::filesystem::path folder;  // where the command runs: eval.yaml's folder (empty: the current one)
};

struct Response {
  std::string output;
  std::optional<std::int64_t> prompt_tokens, completion_tokens, total_tokens;
  std::optional<double> cost;  // USD
  std::optional<std::vector<std::string>> retrieved_ids;
  double latency_ms = 0;
  nlohmann::json to_json() const;
  static std::optional<Response> from_json(const nlohmann::json& value);
};

struct CallResult {
  std::optional<Response> response;  // set on success
  std::string error;                 // why not, with the provider's stderr tail
  bool interrupted = false;
};

// Calls the provider with `prompt` on stdin; `config` (the prompt's model settings merged with the
// provider's) is in MLOPS_PROVIDER_CONFIG as JSON. Thread-safe.
CallResult call_provider(const ProviderSpec& provider, std::string_view prompt, const nlohmann::json& config,
                         const std::atomic<bool>* stop = nullptr);

// Reads a provider's stdout as `format` says; an error message on a malformed envelope.
std::variant<Response, std::string> parse_provider_output(std::string_view stdout_text, OutputFormat format);

// A command from config: a list of strings (argv) or a string (run by `sh -c`).
Result<std::vector<std::string>> parse_command(const nlohmann::json& value);
// A duration from config: a number of seconds, or "250ms", "10s", "2m".
Result<std::chrono::milliseconds> parse_duration(const nlohmann::json& value);

}  // namespace mlops::llm
