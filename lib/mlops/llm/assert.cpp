#include "mlops/llm/assert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/llm/assert_schema.hpp"
#include "mlops/llm/eval_results.hpp"
#include "mlops/llm/metrics.hpp"
#include "mlops/llm/provider.hpp"
#include "mlops/llm/provider_process.hpp"

namespace mlops::llm {

namespace {

using json = nlohmann::json;

const std::map<std::string, AssertKind, std::less<>> kKinds{
    {"equals", AssertKind::equals},
    {"contains", AssertKind::contains},
    {"contains-any", AssertKind::contains_any},
    {"contains-all", AssertKind::contains_all},
    {"icontains", AssertKind::icontains},
    {"icontains-any", AssertKind::icontains_any},
    {"icontains-all", AssertKind::icontains_all},
    {"starts-with", AssertKind::starts_with},
    {"regex", AssertKind::regex},
    {"is-json", AssertKind::is_json},
    {"json-schema", AssertKind::json_schema},
    {"length", AssertKind::length},
    {"levenshtein", AssertKind::levenshtein},
    {"exact-match", AssertKind::exact_match},
    {"token-f1", AssertKind::token_f1},
    {"rouge-1", AssertKind::rouge_1},
    {"rouge-l", AssertKind::rouge_l},
    {"bleu", AssertKind::bleu},
    {"latency", AssertKind::latency},
    {"cost", AssertKind::cost},
    {"hit-rate", AssertKind::hit_rate},
    {"mrr", AssertKind::mrr},
    {"precision", AssertKind::precision},
    {"recall", AssertKind::recall},
    {"ndcg", AssertKind::ndcg},
    {"command", AssertKind::command},
};

const std::set<std::string> kSpecKeys{"type", "value", "threshold", "weight",  "k",
                                      "min",  "max",   "name",      "command", "timeout"};

bool is_scored(AssertKind kind) {
  switch (kind) {
    case AssertKind::levenshtein:
    case AssertKind::exact_match:
    case AssertKind::token_f1:
    case AssertKind::rouge_1:
    case AssertKind::rouge_l:
    case AssertKind::bleu:
    case AssertKind::latency:
    case AssertKind::cost:
    case AssertKind::hit_rate:
    case AssertKind::mrr:
    case AssertKind::precision:
    case AssertKind::recall:
    case AssertKind::ndcg:
      return true;
    default:
      return false;
  }
}

bool is_retrieval(AssertKind kind) {
  return kind == AssertKind::hit_rate || kind == AssertKind::mrr || kind == AssertKind::precision ||
         kind == AssertKind::recall || kind == AssertKind::ndcg;
}

std::string known_types() {
  std::string text;
  for (const auto& [name, kind] : kKinds) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string ascii_lower(std::string_view text) {
  std::string lowered(text);
  for (auto& c : lowered) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return lowered;
}

std::size_t code_point_count(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xc0) != 0x80 ? 1 : 0;
  return count;
}

std::optional<std::size_t> count_of(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::size_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
    return static_cast<std::size_t>(value.get<std::int64_t>());
  return std::nullopt;
}

// The value the assertion compares with: its own, else the case's expected field.
struct Wanted {
  std::optional<json> value;
  std::string missing;  // why there is none
};

Wanted wanted_value(const Assertion& a, const GoldenCase* golden, std::string_view field) {
  if (a.value) return {a.value, {}};
  if (golden) {
    auto it = golden->expected.find(field);
    if (it != golden->expected.end()) return {*it, {}};
  }
  return {std::nullopt, fmt::format("'{}' has no value and case '{}' has no expected.{}", a.type,
                                    golden ? golden->id : std::string("?"), field)};
}

std::vector<std::string> as_strings(const json& value) {
  if (value.is_string()) return {value.get<std::string>()};
  std::vector<std::string> list;
  for (const auto& item : value) list.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return list;
}

// `text` on one line for a message: newlines, tabs and carriage returns as \n, \t, \r.
std::string one_line(std::string_view text) {
  std::string shown;
  for (char c : text) {
    if (c == '\n')
      shown += "\\n";
    else if (c == '\t')
      shown += "\\t";
    else if (c == '\r')
      shown += "\\r";
    else
      shown += c;
  }
  return shown;
}

// The bytes [from, from + size) of `text`, moved to whole UTF-8 characters, with "..." where cut.
std::string excerpt(std::string_view text, std::size_t from, std::size_t size) {
  auto boundary = [&](std::size_t at) {
    while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return std::min(at, text.size());
  };
  std::size_t begin = boundary(from);
  std::size_t end = boundary(std::min(text.size(), begin + size));
  return (begin > 0 ? "..." : "") + one_line(text.substr(begin, end - begin)) + (end < text.size() ? "..." : "");
}

// Why `equals` failed, with both texts: whole when short, else around their first difference.
std::string equals_message(std::string_view output, std::string_view expected) {
  constexpr std::size_t kWhole = 60, kBefore = 20, kShown = 60;
  std::size_t at = 0;
  while (at < output.size() && at < expected.size() && output[at] == expected[at]) ++at;
  if (output.size() <= kWhole && expected.size() <= kWhole) {
    return fmt::format("the output differs from the expected output: expected '{}', got '{}'", one_line(expected),
                       one_line(output));
  }
  std::size_t from = at > kBefore ? at - kBefore : 0;
  return fmt::format(
      "the output differs from the expected output from character {} on: expected '{}' ({} characters), got '{}' ({} "
      "characters)",
      code_point_count(output.substr(0, at)) + 1, excerpt(expected, from, kShown), code_point_count(expected),
      excerpt(output, from, kShown), code_point_count(output));
}

AssertResult verdict(const Assertion& a, AssertResult result, bool passed, std::string message) {
  result.passed = a.negate ? !passed : passed;
  if (!result.passed) {
    result.message = a.negate ? fmt::format("expected the opposite of: {}", passed ? message : "(it failed)") : message;
  }
  return result;
}

AssertResult run_command(const Assertion& a, const AssertInput& in, AssertResult result,
                         const std::atomic<bool>* stop) {
  json request{{"output", in.output}, {"provider", in.provider}};
  if (in.golden) {
    request["case"] = {{"id", in.golden->id},
                       {"input", in.golden->input},
                       {"expected", in.golden->expected},
                       {"tags", in.golden->tags}};
  }
  auto ran = run_process(a.command, request.dump() + "\n", a.timeout, {}, stop, a.folder);
  auto fail = [&](std::string why) {
    result.error = std::move(why);
    return result;
  };
  if (!ran) return fail(ran.error().message);
  if (!ran->started)
    return fail(fmt::format("scorer '{}' cannot be run: {}", a.command.front(), std::strerror(ran->exec_errno)));
  if (ran->timed_out) return fail(fmt::format("scorer timed out after {} ms", a.timeout.count()));
  if (ran->interrupted) return fail("interrupted");
  std::string tail = tail_of(ran->err);
  std::string stderr_note = tail.empty() ? "" : fmt::format("; its stderr ends: {}", tail);
  if (ran->exit_code != 0) return fail(fmt::format("scorer exited with {}{}", ran->exit_code, stderr_note));
  auto reply = json::parse(ran->out, nullptr, false);
  if (reply.is_discarded() || !reply.is_object())
    return fail(fmt::format("scorer printed no JSON object{}", stderr_note));
  auto pass = reply.find("pass");
  // A judge that says nothing about passing has not passed (promptfoo's known fault).
  if (pass == reply.end() || !pass->is_boolean()) return fail("scorer's JSON has no boolean 'pass'");
  if (auto score = reply.find("score"); score != reply.end()) {
    if (!score->is_number()) return fail("scorer's 'score' is not a number");
    result.score = score->get<double>();
  } else {
    result.score = pass->get<bool>() ? 1.0 : 0.0;
  }
  std::string reason = reply.value("reason", std::string("the scorer said fail"));
  return verdict(a, std::move(result), pass->get<bool>(), reason);
}

}  // namespace

bool higher_is_better(AssertKind kind) {
  return kind != AssertKind::latency && kind != AssertKind::cost && kind != AssertKind::levenshtein &&
         kind != AssertKind::length;
}

Result<Assertion> parse_assertion(const nlohmann::json& spec, const std::filesystem::path& base) {
  if (!spec.is_object()) return std::unexpected(bad_input("an assertion must be a mapping with a 'type'"));
  for (const auto& [key, value] : spec.items()) {
    if (!kSpecKeys.contains(key)) {
      return std::unexpected(
          bad_input(fmt::format("unknown assertion key '{}'", key),
                    "an assertion takes type, value, threshold, weight, k, min, max, name, command, timeout"));
    }
  }
  Assertion a;
  auto type = spec.find("type");
  if (type == spec.end() || !type->is_string()) return std::unexpected(bad_input("an assertion needs a 'type'"));
  a.type = type->get<std::string>();
  std::string_view base_type = a.type;
  if (base_type.starts_with("not-")) {
    a.negate = true;
    base_type.remove_prefix(4);
  }
  auto kind = kKinds.find(base_type);
  if (kind == kKinds.end()) {
    std::vector<std::string> names;
    for (const auto& [name, known] : kKinds) names.push_back(name);
    std::string near = closest(base_type, names);
    return std::unexpected(
        bad_input(fmt::format("unknown assertion type '{}'", a.type),
                  (near.empty() ? "" : fmt::format("did you mean '{}{}'? ", a.negate ? "not-" : "", near)) +
                      "known types: " + known_types() + " (each also as not-TYPE)"));
  }
  a.kind = kind->second;
  if (a.negate && (a.kind == AssertKind::latency || a.kind == AssertKind::cost)) {
    return std::unexpected(bad_input(fmt::format("'{}' cannot be negated: give a threshold instead", a.type)));
  }
  a.name = a.type;
  std::replace(a.name.begin(), a.name.end(), '-', '_');
  if (auto name = spec.find("name"); name != spec.end()) {
    if (!name->is_string() || name->get<std::string>().empty())
      return std::unexpected(bad_input("'name' must be a non-empty text"));
    a.name = name->get<std::string>();
  }
  if (auto value = spec.find("value"); value != spec.end()) a.value = *value;
  if (auto threshold = spec.find("threshold"); threshold != spec.end()) {
    if (!threshold->is_number())
      return std::unexpected(bad_input(fmt::format("'{}': threshold must be a number", a.type)));
    if (!is_scored(a.kind))
      return std::unexpected(bad_input(fmt::format("'{}' takes no threshold: it passes or fails", a.type)));
    a.threshold = threshold->get<double>();
  }
  if ((a.kind == AssertKind::latency || a.kind == AssertKind::cost) && !a.threshold) {
    return std::unexpected(bad_input(fmt::format("'{}' needs a threshold (the most {} allowed)", a.type,
                                                 a.kind == AssertKind::latency ? "milliseconds" : "cost in USD")));
  }
  if (auto weight = spec.find("weight"); weight != spec.end()) {
    if (!weight->is_number() || weight->get<double>() < 0)
      return std::unexpected(bad_input(fmt::format("'{}': weight must be a number >= 0", a.type)));
    a.weight = weight->get<double>();
  }
  if (auto k = spec.find("k"); k != spec.end()) {
    auto count = count_of(*k);
    if (!count || !is_retrieval(a.kind))
      return std::unexpected(bad_input(fmt::format("'{}': k is a whole number >= 0, for retrieval metrics", a.type)));
    a.k = *count;
  }
  for (auto [key, into] : {std::pair{"min", &a.min}, std::pair{"max", &a.max}}) {
    auto it = spec.find(key);
    if (it == spec.end()) continue;
    auto count = count_of(*it);
    if (!count || a.kind != AssertKind::length)
      return std::unexpected(bad_input(fmt::format("'{}': {} is a whole number >= 0, for 'length'", a.type, key)));
    *into = *count;
  }
  if (a.kind == AssertKind::length && !a.min && !a.max)
    return std::unexpected(bad_input("'length' needs min, max or both"));
  if (auto timeout = spec.find("timeout"); timeout != spec.end()) {
    auto parsed = parse_duration(*timeout);
    if (!parsed) return std::unexpected(parsed.error());
    a.timeout = *parsed;
  }
  if (a.kind == AssertKind::command) {
    auto command = spec.find("command");
    if (command == spec.end()) return std::unexpected(bad_input("'command' needs command: the scorer to run"));
    auto argv = parse_command(*command);
    if (!argv) return std::unexpected(argv.error());
    a.command = std::move(*argv);
    a.folder = base;  // the scorer runs where the provider does: in eval.yaml's folder
  } else if (spec.contains("command")) {
    return std::unexpected(bad_input(fmt::format("'{}' takes no command", a.type)));
  }
  if (a.value) {
    const json& v = *a.value;
    bool ok = true;
    switch (a.kind) {
      case AssertKind::equals:
      case AssertKind::starts_with:
      case AssertKind::regex:
      case AssertKind::levenshtein:
      case AssertKind::exact_match:
      case AssertKind::token_f1:
      case AssertKind::rouge_1:
      case AssertKind::rouge_l:
      case AssertKind::bleu:
      case AssertKind::contains:
      case AssertKind::icontains:
        ok = v.is_string() || ((a.kind == AssertKind::contains || a.kind == AssertKind::icontains) && v.is_array());
        break;
      case AssertKind::contains_any:
      case AssertKind::contains_all:
      case AssertKind::icontains_any:
      case AssertKind::icontains_all:
      case AssertKind::hit_rate:
      case AssertKind::mrr:
      case AssertKind::precision:
      case AssertKind::recall:
      case AssertKind::ndcg:
        ok = v.is_array();
        for (const auto& item : v) ok = ok && item.is_string();
        break;
      case AssertKind::json_schema:
        ok = v.is_string() || v.is_object();
        break;
      default:
        return std::unexpected(bad_input(fmt::format("'{}' takes no value", a.type)));
    }
    if (!ok)
      return std::unexpected(
          bad_input(fmt::format("'{}': value has the wrong type (docs/eval.md lists each type's value)", a.type)));
  }
  if (a.kind == AssertKind::regex) {
    if (!a.value) return std::unexpected(bad_input("'regex' needs a value: the pattern"));
    try {
      a.pattern = std::make_shared<const std::regex>(a.value->get<std::string>(), std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return std::unexpected(
          bad_input(fmt::format("'{}' is not a valid regular expression", a.value->get<std::string>())));
    }
  }
  if (a.kind == AssertKind::json_schema && a.value) {
    if (a.value->is_string()) {
      auto path = base / a.value->get<std::string>();
      auto text = read_file(path);
      if (!text) return std::unexpected(text.error());
      a.schema = json::parse(*text, nullptr, false);
      if (a.schema.is_discarded())
        return std::unexpected(bad_input(fmt::format("schema file '{}' is not valid JSON", path.string())));
    } else {
      a.schema = *a.value;
    }
    if (auto bad = unsupported_schema(a.schema)) return std::unexpected(bad_input(fmt::format("schema: {}", *bad)));
  }
  return a;
}

AssertResult evaluate(const Assertion& a, const AssertInput& in, const std::atomic<bool>* stop) {
  AssertResult result;
  result.name = a.name;
  result.type = a.type;
  auto error = [&](std::string why) {
    result.error = std::move(why);
    return result;
  };
  auto pass_fail = [&](bool passed, std::string message) {
    result.score = (a.negate ? !passed : passed) ? 1.0 : 0.0;
    return verdict(a, result, passed, std::move(message));
  };
  // Scored kinds: pass when the score reaches the threshold (at most it, for lower-is-better).
  auto scored = [&](double score, double default_threshold) {
    result.score = score;
    double bound = a.threshold.value_or(default_threshold);
    bool passed = higher_is_better(a.kind) ? score >= bound : score <= bound;
    return verdict(a, result, passed,
                   fmt::format("{} {} is {} {}", a.name, human_number(score),
                               higher_is_better(a.kind) ? "below" : "above", human_number(bound)));
  };
  const std::string output(in.output);
  switch (a.kind) {
    case AssertKind::equals: {
      auto want = wanted_value(a, in.golden, "output");
      if (!want.value) return error(want.missing);
      const std::string expected = want.value->get<std::string>();
      bool same = output == expected;
      return pass_fail(same, same ? fmt::format("the output equals the expected output '{}'", excerpt(expected, 0, 60))
                                  : equals_message(output, expected));
    }
    case AssertKind::contains:
    case AssertKind::contains_any:
    case AssertKind::contains_all:
    case AssertKind::icontains:
    case AssertKind::icontains_any:
    case AssertKind::icontains_all: {
      auto want = wanted_value(a, in.golden, "contains");
      if (!want.value) return error(want.missing);
      bool fold =
          a.kind == AssertKind::icontains || a.kind == AssertKind::icontains_any || a.kind == AssertKind::icontains_all;
      bool any = a.kind == AssertKind::contains_any || a.kind == AssertKind::icontains_any;
      std::string haystack = fold ? ascii_lower(output) : output;
      std::vector<std::string> missing, found;
      for (const auto& needle : as_strings(*want.value)) {
        bool here = haystack.find(fold ? ascii_lower(needle) : needle) != std::string::npos;
        (here ? found : missing).push_back(needle);
      }
      bool passed = any ? !found.empty() : missing.empty();
      std::string message = any ? "the output contains none of the strings"
                                : fmt::format("the output lacks '{}'", missing.empty() ? "" : missing.front());
      if (passed && a.negate) message = fmt::format("the output contains '{}'", found.empty() ? "" : found.front());
      return pass_fail(passed, message);
    }
    case AssertKind::starts_with: {
      auto want = wanted_value(a, in.golden, "output");
      if (!want.value) return error(want.missing);
      return pass_fail(output.starts_with(want.value->get<std::string>()),
                       fmt::format("the output does not start with '{}'", want.value->get<std::string>()));
    }
    case AssertKind::regex:
      return pass_fail(std::regex_search(output, *a.pattern),
                       fmt::format("the output does not match /{}/", a.value->get<std::string>()));
    case AssertKind::is_json: {
      bool parsed = !json::parse(output, nullptr, false).is_discarded();
      return pass_fail(parsed, "the output is not valid JSON");
    }
    case AssertKind::json_schema: {
      const json* schema = a.value ? &a.schema : nullptr;
      if (!schema && in.golden && !in.golden->schema.is_null()) schema = &in.golden->schema;
      if (!schema)
        return error(fmt::format("'{}' has no value and case '{}' has no expected.schema", a.type,
                                 in.golden ? in.golden->id : ""));
      if (!a.value) {
        if (auto bad = unsupported_schema(*schema)) return error(fmt::format("expected.schema: {}", *bad));
      }
      auto document = json::parse(output, nullptr, false);
      if (document.is_discarded()) return pass_fail(false, "the output is not valid JSON");
      auto broken = schema_violation(*schema, document);
      return pass_fail(!broken, broken.value_or(""));
    }
    case AssertKind::length: {
      std::size_t length = code_point_count(output);
      bool passed = (!a.min || length >= *a.min) && (!a.max || length <= *a.max);
      auto r = verdict(a, result, passed, fmt::format("the output has {} characters", length));
      r.score = static_cast<double>(length);
      return r;
    }
    case AssertKind::levenshtein:
    case AssertKind::exact_match:
    case AssertKind::token_f1:
    case AssertKind::rouge_1:
    case AssertKind::rouge_l:
    case AssertKind::bleu: {
      auto want = wanted_value(a, in.golden, "output");
      if (!want.value) return error(want.missing);
      const std::string expected = want.value->get<std::string>();
      switch (a.kind) {
        case AssertKind::levenshtein:
          return scored(static_cast<double>(levenshtein(output, expected)), 0);
        case AssertKind::exact_match:
          return scored(exact_match(output, expected), 0.5);
        case AssertKind::token_f1:
          return scored(token_f1(output, expected), 0.5);
        case AssertKind::rouge_1:
          return scored(rouge_1(output, expected), 0.5);
        case AssertKind::rouge_l:
          return scored(rouge_l(output, expected), 0.5);
        default:
          return scored(bleu(output, expected), 0.5);
      }
    }
    case AssertKind::latency:
      return scored(in.latency_ms, 0);
    case AssertKind::cost:
      if (!in.cost) return error("the provider reported no cost");
      return scored(*in.cost, 0);
    case AssertKind::hit_rate:
    case AssertKind::mrr:
    case AssertKind::precision:
    case AssertKind::recall:
    case AssertKind::ndcg: {
      auto want = wanted_value(a, in.golden, "retrieved_ids");
      if (!want.value) return error(want.missing);
      if (!in.retrieved_ids) return error("the provider returned no retrieved_ids");
      auto relevant = as_strings(*want.value);
      if (relevant.empty())
        return error(fmt::format("case '{}' lists no expected retrieved_ids", in.golden ? in.golden->id : ""));
      auto scores = retrieval_scores(*in.retrieved_ids, relevant, a.k);
      switch (a.kind) {
        case AssertKind::hit_rate:
          return scored(scores.hit_rate, 0.5);
        case AssertKind::mrr:
          return scored(scores.mrr, 0.5);
        case AssertKind::precision:
          return scored(scores.precision, 0.5);
        case AssertKind::recall:
          return scored(scores.recall, 0.5);
        default:
          return scored(scores.ndcg, 0.5);
      }
    }
    case AssertKind::command:
      return run_command(a, in, std::move(result), stop);
  }
  return error("unknown assertion");
}

}  // namespace mlops::llm
