#include "mlops/llm/golden.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "mlops/core/file.hpp"
#include "mlops/llm/golden_text.hpp"

namespace mlops::llm {

namespace {

const std::set<std::string> kCaseKeys{"id", "input", "expected", "tags", "metadata", "status"};
const std::set<std::string> kExpectedKeys{"output", "contains", "schema", "retrieved_ids"};

bool is_string_list(const nlohmann::json& value) {
  if (!value.is_array()) return false;
  for (const auto& item : value) {
    if (!item.is_string()) return false;
  }
  return true;
}

std::string known_list(const std::set<std::string>& keys) {
  std::string text;
  for (const auto& key : keys) text += (text.empty() ? "" : ", ") + key;
  return text;
}

// One line's findings; `parsed` is set when the line is a usable case.
struct LineCheck {
  std::vector<GoldenFinding> findings;
  std::optional<GoldenCase> parsed;
};

void add(LineCheck& check, std::size_t line, std::string code, GoldenSeverity severity, std::string message) {
  check.findings.push_back({line, std::move(code), severity, std::move(message)});
}

// Loads the case's JSON Schema (inline, or a file beside the golden set).
void load_schema(LineCheck& check, GoldenCase& c, const std::filesystem::path& folder) {
  auto it = c.expected.find("schema");
  if (it == c.expected.end()) return;
  if (it->is_object()) {
    c.schema = *it;
    return;
  }
  auto path = folder / it->get<std::string>();
  auto text = read_file(path);
  if (!text) {
    add(check, c.line, "G007", GoldenSeverity::error,
        fmt::format("expected.schema '{}' cannot be read: {}", it->get<std::string>(), text.error().message));
    return;
  }
  auto schema = nlohmann::json::parse(*text, nullptr, false);
  if (schema.is_discarded() || !schema.is_object()) {
    add(check, c.line, "G007", GoldenSeverity::error,
        fmt::format("expected.schema '{}' is not a JSON object", it->get<std::string>()));
    return;
  }
  c.schema = std::move(schema);
}

LineCheck check_line(std::string_view text, std::size_t line, const std::filesystem::path& folder) {
  LineCheck check;
  std::size_t bad = 0;
  if (!valid_utf8(text, &bad)) {
    add(check, line, "G001", GoldenSeverity::error, fmt::format("invalid UTF-8 at byte {}", bad + 1));
    return check;
  }
  if (line == 1 && text.starts_with("\xEF\xBB\xBF")) {
    add(check, line, "G001", GoldenSeverity::error,
        "the file starts with a byte order mark; save it as UTF-8 without one");
    return check;
  }
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    auto colon = what.find("parse error");
    add(check, line, "G002", GoldenSeverity::error,
        fmt::format("not valid JSON ({})", colon == std::string::npos ? what : what.substr(colon)));
    return check;
  } catch (const nlohmann::json::out_of_range&) {  // a number too large for a double
    add(check, line, "G002", GoldenSeverity::error, "not valid JSON (a number in it is too large)");
    return check;
  }
  if (!value.is_object()) {
    add(check, line, "G002", GoldenSeverity::error, "a case must be a JSON object, one per line");
    return check;
  }
  GoldenCase c;
  c.line = line;
  bool usable = true;
  for (const auto& [key, item] : value.items()) {
    if (!kCaseKeys.contains(key)) {
      add(check, line, "G005", GoldenSeverity::error,
          fmt::format("unknown key '{}' (known: {})", key, known_list(kCaseKeys)));
      usable = false;
    }
  }
  auto id = value.find("id");
  if (id == value.end() || !id->is_string() || id->get<std::string>().empty()) {
    add(check, line, "G003", GoldenSeverity::error, "a case needs an 'id': a non-empty string");
    usable = false;
  } else {
    c.id = id->get<std::string>();
  }
  auto input = value.find("input");
  if (input == value.end() || !input->is_object()) {
    add(check, line, "G006", GoldenSeverity::error, "'input' must be an object of the prompt's variables");
    usable = false;
  } else {
    c.input = *input;
  }
  c.expected = nlohmann::json::object();
  if (auto expected = value.find("expected"); expected != value.end()) {
    if (!expected->is_object()) {
      add(check, line, "G006", GoldenSeverity::error, "'expected' must be an object");
      usable = false;
    } else {
      for (const auto& [key, item] : expected->items()) {
        bool ok = true;
        if (!kExpectedKeys.contains(key)) {
          add(check, line, "G005", GoldenSeverity::error,
              fmt::format("unknown key 'expected.{}' (known: {})", key, known_list(kExpectedKeys)));
          ok = false;
        } else if (key == "output" && !item.is_string()) {
          add(check, line, "G006", GoldenSeverity::error, "'expected.output' must be a string");
          ok = false;
        } else if ((key == "contains" || key == "retrieved_ids") && !is_string_list(item)) {
          add(check, line, "G006", GoldenSeverity::error, fmt::format("'expected.{}' must be a list of strings", key));
          ok = false;
        } else if (key == "schema" && !item.is_string() && !item.is_object()) {
          add(check, line, "G006", GoldenSeverity::error,
              "'expected.schema' must be a file path or a JSON Schema object");
          ok = false;
        }
        usable = usable && ok;
      }
      if (usable) c.expected = *expected;
    }
  }
  if (auto tags = value.find("tags"); tags != value.end()) {
    if (!is_string_list(*tags)) {
      add(check, line, "G006", GoldenSeverity::error, "'tags' must be a list of strings");
      usable = false;
    } else {
      c.tags = tags->get<std::vector<std::string>>();
    }
  }
  if (auto status = value.find("status"); status != value.end()) {
    if (!status->is_string() || (*status != "active" && *status != "candidate")) {
      add(check, line, "G006", GoldenSeverity::error, "'status' must be \"active\" or \"candidate\"");
      usable = false;
    } else {
      c.candidate = *status == "candidate";
    }
  }
  if (usable) {
    load_schema(check, c, folder);
    check.parsed = std::move(c);
  }
  return check;
}

struct GoldenScan {
  GoldenReport report;
  std::vector<GoldenCase> cases;
};

Result<GoldenScan> scan(const std::filesystem::path& path, const GoldenCheckOptions& options) {
  auto text = read_file(path);
  if (!text) {
    auto error = text.error();
    if (error.exit == Exit::bad_input && error.hint.empty()) {
      error.hint = "a golden set is a JSONL file, one case a line (docs/eval.md, \"Golden sets\"); check the path";
    }
    return std::unexpected(error);
  }
  GoldenScan result;
  std::map<std::string, std::size_t> ids;     // id -> first line
  std::map<std::string, std::size_t> inputs;  // input (dumped) -> first line
  auto folder = path.parent_path();
  std::size_t line = 0;
  std::string_view rest = *text;
  while (!rest.empty()) {
    ++line;
    auto newline = rest.find('\n');
    std::string_view raw = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    if (raw.ends_with('\r')) raw.remove_suffix(1);
    if (raw.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are allowed
    auto check = check_line(raw, line, folder);
    for (auto& finding : check.findings) result.report.findings.push_back(std::move(finding));
    if (!check.parsed) continue;
    auto& c = *check.parsed;
    ++result.report.cases;
    if (c.candidate) ++result.report.candidates;
    bool duplicate = false;
    if (auto [it, inserted] = ids.emplace(c.id, line); !inserted) {
      result.report.findings.push_back(
          {line, "G004", GoldenSeverity::error, fmt::format("duplicate id '{}' (first on line {})", c.id, it->second)});
      duplicate = true;
    }
    if (auto [it, inserted] = inputs.emplace(c.input.dump(), line); !inserted && !duplicate) {
      result.report.findings.push_back({line, "G008", GoldenSeverity::warning,
                                        fmt::format("case '{}' has the same input as line {}", c.id, it->second)});
    }
    if (!options.allow_personal_data) {
      if (auto found = find_personal_data(raw)) {
        result.report.findings.push_back(
            {line, "G009", GoldenSeverity::error,
             fmt::format("case '{}' holds {} (allow with --allow-personal-data)", c.id, *found)});
      }
    }
    if (!duplicate) result.cases.push_back(std::move(c));
  }
  if (result.report.cases == 0 && result.report.findings.empty()) {
    // Line 1, where the first case belongs: editors and CI annotations take no line 0.
    result.report.findings.push_back({1, "G010", GoldenSeverity::error, "the golden set has no cases"});
  }
  return result;
}

}  // namespace

std::string_view to_string(GoldenSeverity severity) { return severity == GoldenSeverity::error ? "error" : "warning"; }

std::size_t GoldenReport::count(GoldenSeverity severity) const {
  std::size_t n = 0;
  for (const auto& finding : findings) n += finding.severity == severity ? 1 : 0;
  return n;
}

Result<GoldenReport> check_golden(const std::filesystem::path& path, const GoldenCheckOptions& options) {
  auto scanned = scan(path, options);
  if (!scanned) return std::unexpected(scanned.error());
  return std::move(scanned->report);
}

Result<GoldenSet> read_golden(const std::filesystem::path& path) {
  GoldenCheckOptions options;
  options.allow_personal_data = true;  // personal data is eval check's finding, not a reason to refuse a run
  auto scanned = scan(path, options);
  if (!scanned) return std::unexpected(scanned.error());
  for (const auto& finding : scanned->report.findings) {
    if (finding.severity != GoldenSeverity::error) continue;
    std::string where = finding.line > 0 ? fmt::format("{}:{}", path.string(), finding.line) : path.string();
    return std::unexpected(bad_input(fmt::format("golden set '{}': {}", where, finding.message),
                                     fmt::format("see every problem with: mlops eval check {}", path.string())));
  }
  GoldenSet set;
  set.path = path;
  // Candidates (from `mlops feedback to-golden`) wait for a person to mark them active.
  for (auto& c : scanned->cases) {
    if (c.candidate) {
      ++set.candidates;
    } else {
      set.cases.push_back(std::move(c));
    }
  }
  if (set.cases.empty()) {
    return std::unexpected(
        bad_input(fmt::format("golden set '{}' has only candidate cases ({}): evaluation skips them", path.string(),
                              set.candidates),
                  "review them and mark the good ones active: \"status\": \"active\" (or remove \"status\")"));
  }
  return set;
}

}  // namespace mlops::llm
