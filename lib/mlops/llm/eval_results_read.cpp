// Reading an evaluation's results (EvalResults::from_json) in one streaming pass: nlohmann's SAX
// parser hands each value to ResultsSaxReader, which puts it straight into its CaseResult. Building
// a JSON tree first and copying out of it cost four times as much (allocating, then freeing, a node
// per value of 10,000 cases), and `eval gate` on 10,000 cases must take under 100 ms (issue 13;
// bench/eval.sh). Unknown keys are skipped, so that a newer writer's additions read as before.
#include <fmt/format.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlops/llm/eval_results.hpp"

namespace mlops::llm {

namespace {

// Where in the document the parser is: the object or array being read.
enum class ResultsFrame {
  root,
  prompt,
  golden,
  providers,
  assertion_list,   // "assertions" at the top: the declared assertions
  assertion,        // one of them
  case_list,        // "cases"
  case_row,         // one case
  tags,             // a case's "tags"
  tokens,           // a case's "tokens"
  retrieved_ids,    // a case's "retrieved_ids"
  case_assertions,  // a case's "assertions"
  case_assertion,   // one of them
  skipped,          // an unknown key's object or array, read and dropped
};

// A scalar value as the SAX parser reports it.
struct ResultsScalar {
  enum class Type { null, boolean, integer, number, string, compound } type = Type::null;
  bool boolean = false;
  double number = 0;
  std::int64_t integer = 0;
  std::string* text = nullptr;
};

class ResultsSaxReader {
 public:
  using json = nlohmann::json;

  explicit ResultsSaxReader(EvalResults& results) : results_(results) {}

  // Why the document is not an evaluation's results; empty when it is. A document of another
  // kind is named as such, whichever of its values stopped the reading.
  std::string problem() const {
    if (syntax_error_) return problem_;
    if (!format_ok_) return "no \"format\": \"mlops-eval-results/1\"";
    if (!problem_.empty()) return problem_;
    if (!saw_cases_) return "no \"cases\"";
    return {};
  }

  bool null() { return scalar({}); }
  bool boolean(bool value) {
    ResultsScalar s;
    s.type = ResultsScalar::Type::boolean;
    s.boolean = value;
    return scalar(s);
  }
  bool number_integer(json::number_integer_t value) {
    ResultsScalar s;
    s.type = ResultsScalar::Type::integer;
    s.integer = value;
    s.number = static_cast<double>(value);
    return scalar(s);
  }
  bool number_unsigned(json::number_unsigned_t value) {
    ResultsScalar s;
    s.type = ResultsScalar::Type::integer;
    s.integer = static_cast<std::int64_t>(value);
    s.number = static_cast<double>(value);
    return scalar(s);
  }
  bool number_float(json::number_float_t value, const std::string&) {
    ResultsScalar s;
    s.type = ResultsScalar::Type::number;
    s.number = value;
    return scalar(s);
  }
  bool string(std::string& value) {
    ResultsScalar s;
    s.type = ResultsScalar::Type::string;
    s.text = &value;
    return scalar(s);
  }
  bool binary(json::binary_t&) { return fail("binary values are not JSON"); }

  bool key(std::string& name) {
    key_ = std::move(name);
    return true;
  }

  bool start_object(std::size_t) {
    if (frames_.empty()) return enter(ResultsFrame::root);
    switch (frames_.back()) {
      case ResultsFrame::root:
        if (key_ == "prompt") return enter(ResultsFrame::prompt);
        if (key_ == "golden") return enter(ResultsFrame::golden);
        if (key_ == "providers") return enter(ResultsFrame::providers);
        break;
      case ResultsFrame::assertion_list:
        declared_ = {};
        declared_type_ = {};
        declared_higher_ = true;
        return enter(ResultsFrame::assertion);
      case ResultsFrame::case_list:
        results_.cases.emplace_back();
        case_seen_ = {};
        return enter(ResultsFrame::case_row);
      case ResultsFrame::case_row:
        if (key_ == "tokens") return enter(ResultsFrame::tokens);
        break;
      case ResultsFrame::case_assertions:
        current_case().assertions.emplace_back();
        assertion_named_ = false;
        return enter(ResultsFrame::case_assertion);
      default:
        break;
    }
    return enter_other();
  }

  bool end_object() {
    auto frame = frames_.back();
    frames_.pop_back();
    if (frame == ResultsFrame::assertion) {
      if (declared_.empty()) return fail("a declared assertion has no \"name\"");
      results_.higher_is_better[declared_] = declared_higher_;
      if (!declared_type_.empty()) results_.assertion_types[declared_] = std::move(declared_type_);
      results_.assertion_names.push_back(std::move(declared_));
    } else if (frame == ResultsFrame::case_row) {
      const char* missing = !case_seen_.id           ? "id"
                            : !case_seen_.provider   ? "provider"
                            : !case_seen_.status     ? "status"
                            : !case_seen_.assertions ? "assertions"
                                                     : nullptr;
      if (missing) return fail(fmt::format("case {} has no \"{}\"", results_.cases.size(), missing));
    } else if (frame == ResultsFrame::case_assertion && !assertion_named_) {
      return fail(fmt::format("an assertion of case '{}' has no \"name\"", current_case().id));
    }
    return true;
  }

  bool start_array(std::size_t) {
    if (frames_.empty()) return not_a_document("not a JSON object");
    if (frames_.back() == ResultsFrame::root) {
      if (key_ == "assertions") return enter(ResultsFrame::assertion_list);
      if (key_ == "cases") {
        saw_cases_ = true;
        return enter(ResultsFrame::case_list);
      }
    } else if (frames_.back() == ResultsFrame::case_row) {
      if (key_ == "tags") return enter(ResultsFrame::tags);
      if (key_ == "retrieved_ids") {
        response().retrieved_ids.emplace();
        return enter(ResultsFrame::retrieved_ids);
      }
      if (key_ == "assertions") {
        case_seen_.assertions = true;
        return enter(ResultsFrame::case_assertions);
      }
    }
    return enter_other();
  }

  bool end_array() {
    frames_.pop_back();
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
    return not_a_document(frames_.empty() && position <= 1 ? "not a JSON object"
                                                           : fmt::format("not valid JSON (at byte {})", position));
  }

 private:
  struct CaseSeen {
    bool id = false, provider = false, status = false, assertions = false;
  };

  CaseResult& current_case() { return results_.cases.back(); }
  Response& response() {
    auto& c = current_case();
    if (!c.response) c.response.emplace();
    return *c.response;
  }

  bool enter(ResultsFrame frame) {
    frames_.push_back(frame);
    return true;
  }

  // An object or array where the document has no structure of its own: a value of the wrong type
  // for a known key, or anything under an unknown key (read and dropped).
  bool enter_other() {
    ResultsScalar compound;
    compound.type = ResultsScalar::Type::compound;
    return scalar(compound) && enter(ResultsFrame::skipped);
  }

  // The text is no JSON object at all.
  bool not_a_document(std::string problem) {
    syntax_error_ = true;
    return fail(std::move(problem));
  }

  bool fail(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
    return false;
  }

  // `key_` of the current object holds a value of the wrong type.
  bool mistyped(std::string_view wanted) {
    auto frame = frames_.back();
    bool in_case = frame == ResultsFrame::case_row || frame == ResultsFrame::tags || frame == ResultsFrame::tokens ||
                   frame == ResultsFrame::retrieved_ids || frame == ResultsFrame::case_assertion;
    std::string where = in_case ? fmt::format("case '{}': ", current_case().id) : "";
    if (frame == ResultsFrame::tags || frame == ResultsFrame::retrieved_ids) {
      return fail(fmt::format("{}an item of \"{}\" is not {}", where,
                              frame == ResultsFrame::tags ? "tags" : "retrieved_ids", wanted));
    }
    return fail(fmt::format("{}\"{}\" is not {}", where, key_, wanted));
  }

  bool text(const ResultsScalar& s, std::string& into) {
    if (s.type != ResultsScalar::Type::string) return mistyped("a string");
    into = std::move(*s.text);
    return true;
  }
  bool number(const ResultsScalar& s, double& into) {
    if (s.type != ResultsScalar::Type::number && s.type != ResultsScalar::Type::integer) return mistyped("a number");
    into = s.number;
    return true;
  }
  bool integer(const ResultsScalar& s, std::optional<std::int64_t>& into) {
    if (s.type == ResultsScalar::Type::integer) {
      into = s.integer;
    } else if (s.type == ResultsScalar::Type::number) {
      into = static_cast<std::int64_t>(s.number);
    } else {
      return mistyped("a number");
    }
    return true;
  }
  bool flag(const ResultsScalar& s, bool& into) {
    if (s.type != ResultsScalar::Type::boolean) return mistyped("true or false");
    into = s.boolean;
    return true;
  }

  bool scalar(const ResultsScalar& s) {
    if (frames_.empty()) return not_a_document("not a JSON object");
    switch (frames_.back()) {
      case ResultsFrame::root:
        return root_value(s);
      case ResultsFrame::prompt:
        if (key_ == "file") return text(s, results_.prompt_file);
        if (key_ == "name") return text(s, results_.prompt_name);
        if (key_ == "version") return text(s, results_.prompt_version);
        return true;
      case ResultsFrame::golden:
        if (key_ == "file") return text(s, results_.golden_file);
        if (key_ == "version") return text(s, results_.golden_version);
        return true;
      case ResultsFrame::providers:
        return text(s, results_.providers[key_]);
      case ResultsFrame::assertion:
        if (key_ == "name") return text(s, declared_);
        if (key_ == "type") return text(s, declared_type_);
        if (key_ == "higher_is_better") return flag(s, declared_higher_);
        return true;
      case ResultsFrame::case_row:
        return case_value(s);
      case ResultsFrame::tags:
        if (s.type != ResultsScalar::Type::string) return mistyped("a string");
        current_case().tags.push_back(std::move(*s.text));
        return true;
      case ResultsFrame::retrieved_ids:
        if (s.type != ResultsScalar::Type::string) return mistyped("a string");
        response().retrieved_ids->push_back(std::move(*s.text));
        return true;
      case ResultsFrame::tokens:
        if (key_ == "prompt") return integer(s, response().prompt_tokens);
        if (key_ == "completion") return integer(s, response().completion_tokens);
        if (key_ == "total") return integer(s, response().total_tokens);
        return true;
      case ResultsFrame::case_assertion:
        return assertion_value(s);
      case ResultsFrame::assertion_list:
        return fail("an item of \"assertions\" is not an object");
      case ResultsFrame::case_list:
        return fail("an item of \"cases\" is not an object");
      case ResultsFrame::case_assertions:
        return fail(fmt::format("case '{}': an item of \"assertions\" is not an object", current_case().id));
      case ResultsFrame::skipped:
        return true;
    }
    return true;
  }

  bool root_value(const ResultsScalar& s) {
    if (key_ == "format") {
      format_ok_ = s.type == ResultsScalar::Type::string && *s.text == "mlops-eval-results/1";
      return format_ok_ || fail("no \"format\": \"mlops-eval-results/1\"");
    }
    if (key_ == "threshold") return number(s, results_.threshold);
    if (key_ == "interrupted") return flag(s, results_.interrupted);
    if (key_ == "cases" || key_ == "assertions") return mistyped("an array");
    if (key_ == "prompt" || key_ == "golden" || key_ == "providers") return mistyped("an object");
    return true;
  }

  bool case_value(const ResultsScalar& s) {
    auto& c = current_case();
    if (key_ == "id") {
      case_seen_.id = true;
      return text(s, c.id);
    }
    if (key_ == "provider") {
      case_seen_.provider = true;
      return text(s, c.provider);
    }
    if (key_ == "status") {
      std::string status;
      if (!text(s, status)) return false;
      auto parsed = parse_case_status(status);
      if (!parsed) return fail(fmt::format("case '{}' has an unknown status", c.id));
      c.status = *parsed;
      case_seen_.status = true;
      return true;
    }
    if (key_ == "score") return number(s, c.score);
    if (key_ == "error") return text(s, c.error);
    if (key_ == "output") return text(s, response().output);
    if (key_ == "latency_ms") return number(s, response().latency_ms);
    if (key_ == "cost") {
      double cost = 0;
      if (!number(s, cost)) return false;
      response().cost = cost;
      return true;
    }
    if (key_ == "cached") return flag(s, c.cached);
    if (key_ == "tags" || key_ == "retrieved_ids" || key_ == "assertions") return mistyped("an array");
    if (key_ == "tokens") return mistyped("an object");
    return true;
  }

  bool assertion_value(const ResultsScalar& s) {
    auto& a = current_case().assertions.back();
    if (key_ == "name") {
      assertion_named_ = true;
      return text(s, a.name);
    }
    if (key_ == "type") return text(s, a.type);
    if (key_ == "pass") return flag(s, a.passed);
    if (key_ == "score") {
      if (s.type == ResultsScalar::Type::null) return true;  // not scored
      double score = 0;
      if (!number(s, score)) return false;
      a.score = score;
      return true;
    }
    if (key_ == "error") return text(s, a.error);
    if (key_ == "message") return text(s, a.message);
    return true;
  }

  EvalResults& results_;
  std::vector<ResultsFrame> frames_;
  std::string key_;
  std::string problem_;
  bool syntax_error_ = false, format_ok_ = false, saw_cases_ = false;
  std::string declared_, declared_type_;
  bool declared_higher_ = true;
  CaseSeen case_seen_;
  bool assertion_named_ = false;
};

}  // namespace

Result<EvalResults> EvalResults::from_json(std::string_view text, std::string_view source) {
  EvalResults results;
  ResultsSaxReader reader(results);
  nlohmann::json::sax_parse(text.begin(), text.end(), &reader);
  if (auto problem = reader.problem(); !problem.empty()) {
    return std::unexpected(bad_input(fmt::format("'{}' is not the results of an evaluation: {}", source, problem),
                                     "give a run recorded by 'mlops eval run', or the file it wrote with -o"));
  }
  return results;
}

}  // namespace mlops::llm
