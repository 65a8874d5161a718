#include "mlops/tracking/query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace mlops::tracking {

namespace {

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/' || c == ':';
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// MLflow accepts singular prefixes and an explicit "attributes." prefix; we store one spelling.
std::string normalise_key(std::string key) {
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"metric.", "metrics."}, {"param.", "params."}, {"tag.", "tags."}, {"attributes.", ""}, {"attribute.", ""}};
  for (auto [alias, canonical] : kAliases) {
    if (key.starts_with(alias)) return std::string(canonical) + key.substr(alias.size());
  }
  return key;
}

std::string quote_text(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

std::string format_bound(const Value& value) {
  return std::holds_alternative<double>(value) ? format_value(value) : quote_text(std::get<std::string>(value));
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::expected<NodePtr, SyntaxError> parse_all() {
    skip_space();
    if (at_end()) return fail(pos_, "the filter is empty: write a comparison such as metrics.acc > 0.9");
    auto root = parse_or();
    if (!root) return root;
    skip_space();
    if (!at_end()) {
      if (peek() == ')') return fail(pos_, "unexpected ')' without a matching '('");
      return fail(pos_, "expected 'and', 'or' or the end of the filter");
    }
    return root;
  }

  // A bare key (for sort keys): the whole text must be one key.
  std::expected<std::string, SyntaxError> parse_lone_key() {
    auto key = parse_key();
    if (!key) return std::unexpected(key.error());
    skip_space();
    if (!at_end()) return std::unexpected(SyntaxError{pos_, "expected the end of the key"});
    return *key;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  static std::unexpected<SyntaxError> fail(std::size_t position, std::string message) {
    return std::unexpected(SyntaxError{position, std::move(message)});
  }

  // The word at the cursor (letters only), without consuming it.
  std::string_view peek_word() const {
    std::size_t end = pos_;
    while (end < text_.size() && std::isalpha(static_cast<unsigned char>(text_[end]))) ++end;
    if (end < text_.size() && is_key_char(text_[end])) return {};  // part of a longer name
    return text_.substr(pos_, end - pos_);
  }
  bool accept_word(std::string_view word) {
    skip_space();
    if (!iequals(peek_word(), word)) return false;
    pos_ += word.size();
    return true;
  }

  std::expected<NodePtr, SyntaxError> parse_or() {
    auto left = parse_and();
    if (!left) return left;
    if (!accept_word("or")) return left;
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::or_;
    node->children.push_back(std::move(*left));
    do {
      auto right = parse_and();
      if (!right) return right;
      node->children.push_back(std::move(*right));
    } while (accept_word("or"));
    return node;
  }

  std::expected<NodePtr, SyntaxError> parse_and() {
    auto left = parse_unary();
    if (!left) return left;
    if (!accept_word("and")) return left;
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::and_;
    node->children.push_back(std::move(*left));
    do {
      auto right = parse_unary();
      if (!right) return right;
      node->children.push_back(std::move(*right));
    } while (accept_word("and"));
    return node;
  }

  std::expected<NodePtr, SyntaxError> parse_unary() {
    skip_space();
    if (at_end()) return fail(pos_, "expected a comparison such as metrics.acc > 0.9");
    if (peek() == '(') {
      std::size_t open = pos_++;
      auto inner = parse_or();
      if (!inner) return inner;
      skip_space();
      if (peek() != ')') return fail(at_end() ? open : pos_, at_end() ? "'(' is never closed" : "expected ')'");
      ++pos_;
      return inner;
    }
    if (accept_word("not")) {
      auto operand = parse_unary();
      if (!operand) return operand;
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::not_;
      node->children.push_back(std::move(*operand));
      return node;
    }
    return parse_comparison();
  }

  // A quoted name part or string: `...`, "..." or '...'; a doubled quote stands for itself.
  std::expected<std::string, SyntaxError> parse_quoted() {
    char quote = text_[pos_];
    std::size_t start = pos_++;
    std::string value;
    for (;;) {
      if (at_end()) return fail(start, "this quote is never closed");
      char c = text_[pos_++];
      if (c == quote) {
        if (peek() == quote) {
          value += quote;
          ++pos_;
          continue;
        }
        return value;
      }
      value += c;
    }
  }

  std::expected<std::string, SyntaxError> parse_key() {
    skip_space();
    std::size_t start = pos_;
    if (at_end() || !(std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_')) {
      return fail(start, "expected a key such as metrics.acc, params.model, tags.team or status");
    }
    std::string key;
    for (;;) {
      if (peek() == '`' || peek() == '"') {
        auto part = parse_quoted();
        if (!part) return part;
        if (part->empty()) return fail(pos_ - 2, "a key name cannot be empty");
        key += *part;
      } else {
        std::size_t part_start = pos_;
        while (!at_end() && is_key_char(peek())) ++pos_;
        if (pos_ == part_start) return fail(pos_, "expected a name after '.'");
        key += text_.substr(part_start, pos_ - part_start);
      }
      if (peek() != '.') break;
      key += '.';
      ++pos_;
    }
    return normalise_key(std::move(key));
  }

  std::expected<Value, SyntaxError> parse_literal(const std::string& key) {
    skip_space();
    std::size_t start = pos_;
    if (at_end()) return fail(start, "expected a number or a quoted string");
    if (peek() == '\'' || peek() == '"') {
      auto text = parse_quoted();
      if (!text) return std::unexpected(text.error());
      if (key.starts_with("metrics.")) {
        return fail(start,
                    fmt::format("'{}' is a metric and compares with numbers: write the number without quotes", key));
      }
      return Value(std::move(*text));
    }
    std::size_t end = pos_;
    while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '.' ||
                                  text_[end] == '-' || text_[end] == '+')) {
      ++end;
    }
    auto number = parse_number(text_.substr(pos_, end - pos_));
    if (!number || end == pos_) {
      std::string_view word = text_.substr(pos_, std::max<std::size_t>(end - pos_, 1));
      return fail(start,
                  fmt::format("expected a number or a quoted string, found '{}' (quote text: '{}')", word, word));
    }
    pos_ = end;
    return Value(*number);
  }

  std::expected<NodePtr, SyntaxError> parse_comparison() {
    std::size_t start = pos_;
    auto key = parse_key();
    if (!key) return std::unexpected(key.error());
    skip_space();
    std::size_t op_pos = pos_;
    Comparison comparison;
    comparison.key = std::move(*key);
    comparison.position = start;

    bool negated = accept_word("not");
    if (negated) skip_space();
    bool insensitive = false;
    if (accept_word("like") || (insensitive = accept_word("ilike"))) {
      comparison.op = insensitive ? (negated ? CompareOp::not_ilike : CompareOp::ilike)
                                  : (negated ? CompareOp::not_like : CompareOp::like);
      skip_space();
      if (peek() != '\'' && peek() != '"') return fail(pos_, "expected a quoted pattern such as 'rf%'");
      auto pattern = parse_quoted();
      if (!pattern) return std::unexpected(pattern.error());
      comparison.bounds.emplace_back(std::move(*pattern));
    } else if (accept_word("in")) {
      comparison.op = negated ? CompareOp::not_in : CompareOp::in;
      skip_space();
      if (peek() != '(') return fail(pos_, "expected '(' and a list of values after 'in'");
      ++pos_;
      for (;;) {
        auto literal = parse_literal(comparison.key);
        if (!literal) return std::unexpected(literal.error());
        comparison.bounds.push_back(std::move(*literal));
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ')') {
          ++pos_;
          break;
        }
        return fail(pos_, "expected ',' or ')' in the list of values");
      }
    } else if (negated) {
      return fail(pos_, "expected 'like', 'ilike' or 'in' after 'not'");
    } else {
      static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
          {"<=", CompareOp::le}, {">=", CompareOp::ge}, {"!=", CompareOp::ne}, {"<>", CompareOp::ne},
          {"==", CompareOp::eq}, {"=", CompareOp::eq},  {"<", CompareOp::lt},  {">", CompareOp::gt}};
      bool found = false;
      for (auto [symbol, op] : kOps) {
        if (text_.substr(pos_).starts_with(symbol)) {
          comparison.op = op;
          pos_ += symbol.size();
          found = true;
          break;
        }
      }
      if (!found) {
        return fail(op_pos, fmt::format("expected an operator after '{}' (=, !=, <, <=, >, >=, like, ilike, in)",
                                        comparison.key));
      }
      auto literal = parse_literal(comparison.key);
      if (!literal) return std::unexpected(literal.error());
      comparison.bounds.push_back(std::move(*literal));
    }
    comparison.text = std::string(text_.substr(start, pos_ - start));
    auto node = std::make_unique<Node>();
    node->comparison = std::move(comparison);
    return node;
  }
};

// SQL LIKE: % matches any run of characters, _ exactly one.
bool like_match(std::string_view text, std::string_view pattern, bool insensitive) {
  auto same = [insensitive](char a, char b) {
    return insensitive ? std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b))
                       : a == b;
  };
  std::size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '_' || (pattern[p] != '%' && same(pattern[p], text[t])))) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

std::optional<double> as_number(const Value& value) {
  if (auto* number = std::get_if<double>(&value)) return *number;
  return parse_number(std::get<std::string>(value));
}

// <0, 0, >0 like strcmp; nullopt when the two are unordered (a NaN, a number against a word).
std::optional<int> order(const Value& value, const Value& bound) {
  bool numeric = std::holds_alternative<double>(value) || std::holds_alternative<double>(bound);
  if (numeric) {
    auto a = as_number(value);
    auto b = as_number(bound);
    // A number and text that is not a number are unordered, like NaN: only != holds.
    if (!a || !b || std::isnan(*a) || std::isnan(*b)) return std::nullopt;
    return *a < *b ? -1 : *a > *b ? 1 : 0;
  }
  std::string a = format_value(value), b = format_value(bound);
  return a.compare(b) < 0 ? -1 : a == b ? 0 : 1;
}

bool evaluate(const Node& node, const Lookup& lookup) {
  switch (node.kind) {
    case Node::Kind::comparison:
      return compare(node.comparison, lookup(node.comparison.key));
    case Node::Kind::and_:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const NodePtr& child) { return evaluate(*child, lookup); });
    case Node::Kind::or_:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const NodePtr& child) { return evaluate(*child, lookup); });
    case Node::Kind::not_:
      return !evaluate(*node.children.front(), lookup);
  }
  return false;
}

void collect(const Node& node, const std::function<void(const Comparison&)>& visit) {
  if (node.kind == Node::Kind::comparison) {
    visit(node.comparison);
    return;
  }
  for (const auto& child : node.children) collect(*child, visit);
}

}  // namespace

std::string format_value(const Value& value) {
  if (auto* text = std::get_if<std::string>(&value)) return *text;
  return fmt::format("{}", std::get<double>(value));
}

std::string_view to_string(CompareOp op) {
  switch (op) {
    case CompareOp::eq:
      return "=";
    case CompareOp::ne:
      return "!=";
    case CompareOp::lt:
      return "<";
    case CompareOp::le:
      return "<=";
    case CompareOp::gt:
      return ">";
    case CompareOp::ge:
      return ">=";
    case CompareOp::like:
      return "like";
    case CompareOp::not_like:
      return "not like";
    case CompareOp::ilike:
      return "ilike";
    case CompareOp::not_ilike:
      return "not ilike";
    case CompareOp::in:
      return "in";
    case CompareOp::not_in:
      return "not in";
  }
  return "?";
}

bool compare(const Comparison& comparison, const std::optional<Value>& value) {
  if (!value || comparison.bounds.empty()) return false;
  const Value& bound = comparison.bounds.front();
  switch (comparison.op) {
    case CompareOp::like:
    case CompareOp::not_like:
    case CompareOp::ilike:
    case CompareOp::not_ilike: {
      bool insensitive = comparison.op == CompareOp::ilike || comparison.op == CompareOp::not_ilike;
      bool matched = like_match(format_value(*value), format_value(bound), insensitive);
      return (comparison.op == CompareOp::like || comparison.op == CompareOp::ilike) ? matched : !matched;
    }
    case CompareOp::in:
    case CompareOp::not_in: {
      bool found = std::any_of(comparison.bounds.begin(), comparison.bounds.end(),
                               [&](const Value& each) { return order(*value, each) == 0; });
      return comparison.op == CompareOp::in ? found : !found;
    }
    default:
      break;
  }
  auto cmp = order(*value, bound);
  if (!cmp) return comparison.op == CompareOp::ne;  // unordered: unequal to everything
  switch (comparison.op) {
    case CompareOp::eq:
      return *cmp == 0;
    case CompareOp::ne:
      return *cmp != 0;
    case CompareOp::lt:
      return *cmp < 0;
    case CompareOp::le:
      return *cmp <= 0;
    case CompareOp::gt:
      return *cmp > 0;
    case CompareOp::ge:
      return *cmp >= 0;
    default:
      return false;
  }
}

std::expected<Query, SyntaxError> Query::parse(std::string_view text) {
  Parser parser(text);
  auto root = parser.parse_all();
  if (!root) return std::unexpected(root.error());
  return Query(std::string(text), std::move(*root));
}

bool Query::matches(const Lookup& lookup) const { return evaluate(*root_, lookup); }

std::vector<Check> Query::checks(const Lookup& lookup) const {
  std::vector<Check> result;
  collect(*root_, [&](const Comparison& comparison) {
    Check check;
    check.text = comparison.text;
    check.key = comparison.key;
    check.op = std::string(to_string(comparison.op));
    if (comparison.op == CompareOp::in || comparison.op == CompareOp::not_in) {
      std::vector<std::string> parts;
      for (const auto& bound : comparison.bounds) parts.push_back(format_bound(bound));
      check.bound = fmt::format("({})", fmt::join(parts, ", "));
    } else if (std::holds_alternative<std::string>(comparison.bounds.front())) {
      check.bound = format_bound(comparison.bounds.front());
    } else {
      check.bound = format_value(comparison.bounds.front());
    }
    check.value = lookup(comparison.key);
    check.passed = compare(comparison, check.value);
    result.push_back(std::move(check));
  });
  return result;
}

std::vector<std::string> Query::keys() const {
  std::vector<std::string> keys;
  collect(*root_, [&](const Comparison& comparison) {
    if (std::find(keys.begin(), keys.end(), comparison.key) == keys.end()) keys.push_back(comparison.key);
  });
  return keys;
}

std::vector<const Comparison*> Query::comparisons() const {
  std::vector<const Comparison*> result;
  collect(*root_, [&](const Comparison& comparison) { result.push_back(&comparison); });
  return result;
}

Error query_error(std::string_view text, std::size_t position, std::string_view message) {
  // The caret line keeps tabs so that it lines up under the query in a terminal.
  std::string pad;
  for (std::size_t i = 0; i < position && i < text.size(); ++i) pad += text[i] == '\t' ? '\t' : ' ';
  return bad_input(fmt::format("malformed filter at position {}: {}\n  {}\n  {}^", position, message, text, pad),
                   "see 'mlops runs list --help' for the filter syntax");
}

Result<Query> parse_query(std::string_view text) {
  auto query = Query::parse(text);
  if (query) return std::move(*query);
  return std::unexpected(query_error(text, query.error().position, query.error().message));
}

Result<SortKey> parse_sort_key(std::string_view text) {
  SortKey sort;
  std::string_view rest = text;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    sort.descending = rest.front() == '-';
    rest.remove_prefix(1);
  }
  Parser parser(rest);
  auto key = parser.parse_lone_key();
  if (!key) {
    return std::unexpected(bad_input(fmt::format("malformed sort key '{}': {}", text, key.error().message),
                                     "write a key such as -metrics.acc (descending) or start_time"));
  }
  sort.key = std::move(*key);
  return sort;
}

}  // namespace mlops::tracking
