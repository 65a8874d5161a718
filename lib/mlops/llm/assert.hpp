#pragma once
// Assertions: how `eval run` scores one provider's output for one golden case (docs/eval.md,
// "Assertions"). Each gives a score (a number, recorded as a metric) and a verdict (pass or fail),
// or an error when it cannot be evaluated (no expected value, no cost reported, a scorer that
// failed): an error is never a pass.
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/llm/golden.hpp"

namespace mlops::llm {

enum class AssertKind {
  equals,
  contains,
  contains_any,
  contains_all,
  icontains,
  icontains_any,
  icontains_all,
  starts_with,
  regex,
  is_json,
  json_schema,
  length,
  levenshtein,
  exact_match,
  token_f1,
  rouge_1,
  rouge_l,
  bleu,
  latency,
  cost,
  hit_rate,
  mrr,
  precision,
  recall,
  ndcg,
  command,
};

struct Assertion {
  std::string type;  // as written: "not-contains"
  AssertKind kind = AssertKind::equals;
  bool negate = false;
  std::string name;                     // the metric's name: `name:`, else the type with '-' as '_' ("not_contains")
  std::optional<nlohmann::json> value;  // `value:`; else the case's expected value
  std::optional<double> threshold;      // pass bound of scored assertions (docs: the default per type)
  double weight = 1;                    // 0: reported and recorded, never fails a case
  std::size_t k = 0;                    // retrieval: the cut-off (0: every retrieved id)
  std::optional<std::size_t> min, max;  // length, in code points
  std::vector<std::string> command;     // command: argv
  std::filesystem::path folder;         // command: the folder it runs in (eval.yaml's)
  std::chrono::milliseconds timeout{30000};
  nlohmann::json schema;                      // json-schema given in the config (inline or a file)
  std::shared_ptr<const std::regex> pattern;  // regex
};

// Parses one assertion from its config object (YAML read as JSON); `base` is the folder that
// relative paths (a schema file) are read from. Errors are bad input without a location: the
// caller names the file and line.
Result<Assertion> parse_assertion(const nlohmann::json& spec, const std::filesystem::path& base);

// What an assertion sees of one call.
struct AssertInput {
  std::string_view output;
  const GoldenCase* golden = nullptr;
  std::string_view provider;
  double latency_ms = 0;
  std::optional<double> cost;
  std::optional<std::vector<std::string>> retrieved_ids;
};

struct AssertResult {
  std::string name;
  std::string type;
  bool passed = false;
  std::optional<double> score;
  std::string error;    // set: it could not be evaluated (then passed is false)
  std::string message;  // why it failed, when it did
};

// Evaluates `assertion` on `input`. Thread-safe (`command` runs a process; `stop` ends it early).
AssertResult evaluate(const Assertion& assertion, const AssertInput& input, const std::atomic<bool>* stop = nullptr);

// Whether higher scores are better for this kind (latency, cost, levenshtein and length: no).
bool higher_is_better(AssertKind kind);

}  // namespace mlops::llm
