#pragma once
// Golden sets: JSONL files of evaluation cases, one JSON object a line (docs/eval.md, "Golden
// sets"):
//   {"id": "refund-1", "input": {"question": "..."}, "expected": {"output": "...",
//    "contains": ["..."], "schema": "schemas/answer.json", "retrieved_ids": ["doc-3"]},
//    "tags": ["billing"], "metadata": {...}, "status": "active"}
// A case with "status": "candidate" (written by `mlops feedback to-golden`) is checked like any
// other but not evaluated until a person marks it active.
// read_golden() is what `eval run` uses: the first malformed line is bad input naming the file and
// line. check_golden() is `eval check`: every finding, each with a code (G001..) and a line.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::llm {

struct GoldenCase {
  std::string id;
  std::size_t line = 0;     // 1-based line in the file
  nlohmann::json input;     // an object: the prompt's variables
  nlohmann::json expected;  // an object (possibly empty): output, contains, schema, retrieved_ids
  std::vector<std::string> tags;
  bool candidate = false;  // "status": "candidate"
  // The expected JSON Schema, loaded: inline, or read from the file expected.schema names
  // (relative to the golden set's folder). Null when the case has none.
  nlohmann::json schema;
};

struct GoldenSet {
  std::filesystem::path path;
  std::vector<GoldenCase> cases;  // the active ones
  std::size_t candidates = 0;     // cases left out: "status": "candidate"
};

enum class GoldenSeverity { warning, error };
std::string_view to_string(GoldenSeverity severity);  // "warning", "error"

struct GoldenFinding {
  std::size_t line = 0;  // 1-based; a finding on the whole file (G010) is on line 1
  std::string code;      // "G004"
  GoldenSeverity severity = GoldenSeverity::error;
  std::string message;
};

struct GoldenCheckOptions {
  bool allow_personal_data = false;  // G009 (emails, card numbers) is then not reported
};

struct GoldenReport {
  std::size_t cases = 0;       // lines that parsed as cases
  std::size_t candidates = 0;  // of which "status": "candidate"
  std::vector<GoldenFinding> findings;
  std::size_t count(GoldenSeverity severity) const;
};

// Every finding in the golden set at `path`; an unreadable file is an error (exit 2 or 3).
Result<GoldenReport> check_golden(const std::filesystem::path& path, const GoldenCheckOptions& options = {});

// The cases of the golden set at `path`. Any error-level finding other than personal data is
// bad input naming the file and line (with a hint to run `mlops eval check`); zero cases too,
// and zero active ones (candidates only).
Result<GoldenSet> read_golden(const std::filesystem::path& path);

// Personal data in `text`: the first email address or card number (13 to 19 digits, single
// spaces or dashes allowed between them, passing the Luhn check), described ("an email address
// 'a@b.io'"); nullopt when there is none.
std::optional<std::string> find_personal_data(std::string_view text);
bool luhn_valid(std::string_view digits);

}  // namespace mlops::llm
