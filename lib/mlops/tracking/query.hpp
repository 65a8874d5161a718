#pragma once
// The filter language shared by `runs list --where` and the registry's promotion gates
// (`--require 'metrics.auc >= 0.9'`). It follows MLflow's search syntax and knows nothing of
// where values come from: a query is parsed once into an AST and evaluated against a lookup
// callback that turns a key ("metrics.acc", "params.model", "status") into a value.
//
//   expr       := or
//   or         := and ('or' and)*
//   and        := unary ('and' unary)*
//   unary      := 'not' unary | '(' expr ')' | comparison
//   comparison := KEY OP literal              OP: = == != <> < <= > >=
//              |  KEY ['not'] ('like' | 'ilike') STRING      (% any run, _ one character)
//              |  KEY ['not'] 'in' '(' literal (',' literal)* ')'
//   KEY        := name ('.' name)*, a part may be quoted with `backticks` or "double quotes"
//                 (metrics.`f1 score`); metric./param./tag. are accepted for metrics./params./tags.
//   literal    := number | 'single' or "double" quoted string
// Keywords are case-insensitive. A comparison whose key has no value is false (also for `!=`),
// as in MLflow: a run without metric acc matches neither `metrics.acc > 0.5` nor `!= 0.5`.
// A number compares with a number numerically; a text value that reads as a number (a param
// "0.01") compares numerically with a number literal; otherwise values compare as text. A number
// and a word ("rf" > 5), or a NaN and anything, are unordered: only `!=` holds between them.
// `metrics.*` keys take number literals only (a quoted bound is a syntax error, as in MLflow).
#include <cstddef>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::tracking {

// What a key resolves to: a number (metrics, durations, exit codes) or text (params, tags, status).
using Value = std::variant<double, std::string>;
// Returns the value of `key`, or nullopt when the subject has none.
using Lookup = std::function<std::optional<Value>(std::string_view key)>;

// "0.93", "1e-05", "nan", "inf" for numbers (shortest round-trip form); text as is.
std::string format_value(const Value& value);

enum class CompareOp { eq, ne, lt, le, gt, ge, like, not_like, ilike, not_ilike, in, not_in };
std::string_view to_string(CompareOp op);  // "=", "!=", "<", ..., "like", "not in"

// One leaf of the AST: KEY OP BOUND(S).
struct Comparison {
  std::string key;  // normalised: "metrics.acc" (never "metric.acc", no quotes)
  CompareOp op = CompareOp::eq;
  std::vector<Value> bounds;  // one, or several for in / not in
  std::string text;           // the comparison as written in the query
  std::size_t position = 0;   // 0-based offset of the key in the query
};

struct Node;
using NodePtr = std::unique_ptr<Node>;
struct Node {
  enum class Kind { comparison, and_, or_, not_ };
  Kind kind = Kind::comparison;
  Comparison comparison;          // kind == comparison
  std::vector<NodePtr> children;  // and/or: two or more; not: one
};

// A comparison evaluated against a subject, for a gate table (gate, value, bound, pass/fail).
struct Check {
  std::string text;            // "metrics.auc >= 0.9"
  std::string key;             // "metrics.auc"
  std::string op;              // ">="
  std::string bound;           // "0.9"; for in: "('a', 'b')"
  std::optional<Value> value;  // what the key resolved to; nullopt when the subject has none
  bool passed = false;
};

struct SyntaxError {
  std::size_t position = 0;  // 0-based offset in the query text
  std::string message;       // "expected a number or a quoted string"
};

class Query {
 public:
  // Parses `text`; a syntax error carries the offending position.
  static std::expected<Query, SyntaxError> parse(std::string_view text);

  const std::string& text() const { return text_; }
  const Node& root() const { return *root_; }
  // Whether the subject that `lookup` describes satisfies the query.
  bool matches(const Lookup& lookup) const;
  // Every comparison in the query, in the order written, with the subject's value and the result.
  std::vector<Check> checks(const Lookup& lookup) const;
  // The distinct keys the query mentions, in the order written.
  std::vector<std::string> keys() const;
  // Every comparison, in the order written (pointers into this query's AST).
  std::vector<const Comparison*> comparisons() const;

 private:
  Query(std::string text, NodePtr root) : text_(std::move(text)), root_(std::move(root)) {}
  std::string text_;
  std::shared_ptr<const Node> root_;  // shared: a Query is cheap to copy and immutable
};

// Parses a query for the command line: a syntax error becomes a bad-input Error (exit 2) whose
// message names the position and shows the query with a caret under the offending character:
//   malformed filter at position 14: expected a number or a quoted string
//     metrics.acc > and
//                   ^
Result<Query> parse_query(std::string_view text);
// The bad-input Error for a problem at `position` of query `text`, in parse_query's format.
Error query_error(std::string_view text, std::size_t position, std::string_view message);

// Evaluates one comparison against a value (nullopt: the key is missing, so false).
bool compare(const Comparison& comparison, const std::optional<Value>& value);

// Reads a sort key such as "-metrics.acc" (descending) or "start_time" / "+name" (ascending).
struct SortKey {
  std::string key;
  bool descending = false;
};
Result<SortKey> parse_sort_key(std::string_view text);

}  // namespace mlops::tracking
