// Parsing monitor rules and monitors.yaml.
#include "mlops/trace/rules.hpp"

#include <fmt/format.h>
#include <glob.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/trace/collect.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::trace {

namespace {

const std::vector<Stat> kDistribution = {Stat::p95, Stat::p50, Stat::p90, Stat::p99,  Stat::mean,
                                         Stat::min, Stat::max, Stat::sum, Stat::count};
const std::vector<Stat> kCounter = {Stat::count, Stat::rate};
const std::vector<Stat> kAmount = {Stat::sum, Stat::rate, Stat::mean};
const std::vector<Stat> kRatio = {Stat::ratio};

constexpr std::string_view kStatNames[] = {"count", "rate", "sum", "mean", "min",  "max",
                                           "p50",   "p90",  "p95", "p99",  "ratio"};

std::optional<Stat> parse_stat(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kStatNames); ++i)
    if (kStatNames[i] == text) return static_cast<Stat>(i);
  return std::nullopt;
}

std::vector<std::string> known_series_names() {
  std::vector<std::string> names;
  for (const auto& s : series_catalog()) {
    for (Stat st : s.stats)
      names.push_back(st == Stat::ratio ? std::string(s.name) : fmt::format("{}.{}", s.name, to_string(st)));
  }
  names.push_back("eval.NAME.mean (and .p50, .p95, .min, .max, .count)");
  return names;
}

std::string known_series_list() {
  std::string out;
  for (const auto& s : series_catalog()) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out + ", eval.NAME";
}

class ExprParser {
 public:
  ExprParser(std::string_view text, const std::string& where) : t_(text), where_(where) {}

  Result<Expr> parse() {
    Expr e;
    e.text = std::string(t_);
    ws();
    std::size_t s = p_;
    while (p_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '_' || t_[p_] == '.')) ++p_;
    std::string name(t_.substr(s, p_ - s));
    if (name.empty()) return error("expected a series name", "for example: latency_ms.p95{operation=\"chat\"} > 3000");
    MLOPS_TRY(resolve(name, e));
    ws();
    if (peek() == '{') MLOPS_TRY(matchers(e));
    ws();
    if (peek() == '[') {
      ++p_;
      std::size_t close = t_.find(']', p_);
      if (close == std::string_view::npos) return error("'[' without ']'", "a window reads [5m], [1h] or [1d]");
      auto d = parse_duration(t_.substr(p_, close - p_));
      if (!d || *d == 0)
        return error(fmt::format("'{}' is not a duration", t_.substr(p_, close - p_)),
                     "a window reads [30s], [5m], [1h], [1d] or [1w]");
      e.window_ns = *d;
      p_ = close + 1;
    }
    if (e.stat == Stat::rate && !e.window_ns)
      return error(fmt::format("'{}' needs a window", e.name()), fmt::format("for example: {}[5m]", e.name()));
    ws();
    MLOPS_TRY(comparison(e));
    ws();
    double v = 0;
    std::size_t ns = p_;
    while (p_ < t_.size() && !std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
    std::string_view number = t_.substr(ns, p_ - ns);
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (number.empty() || ec != std::errc() || ptr != number.data() + number.size())
      return error(fmt::format("expected a number after '{}', got '{}'", to_string(e.op), number),
                   "compare with a number: > 3000");
    e.threshold = v;
    ws();
    if (p_ < t_.size())
      return error(fmt::format("unexpected '{}' at the end", t_.substr(p_)), "one comparison per rule");
    return e;
  }

 private:
  char peek() const { return p_ < t_.size() ? t_[p_] : '\0'; }
  void ws() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  std::unexpected<Error> error(std::string what, std::string hint) const {
    return std::unexpected(bad_input(fmt::format("{}: {} in '{}'", where_, what, t_), std::move(hint)));
  }

  // "latency_ms.p95" -> series latency_ms, stat p95; "error_rate" -> ratio; "eval.x.mean".
  Result<void> resolve(const std::string& name, Expr& e) {
    if (name.starts_with(kEvalPrefix)) {
      std::string rest = name.substr(kEvalPrefix.size());
      std::size_t dot = rest.rfind('.');
      std::optional<Stat> st = dot == std::string::npos ? std::nullopt : parse_stat(rest.substr(dot + 1));
      if (st) rest = rest.substr(0, dot);
      if (rest.empty()) return error("'eval.' needs an evaluation name", "for example: eval.hallucination.mean > 0.1");
      e.series = std::string(kEvalPrefix) + rest;
      e.stat = st.value_or(Stat::mean);
      if (std::find(kDistribution.begin(), kDistribution.end(), e.stat) == kDistribution.end())
        return error(fmt::format("evaluation scores have no '{}'", to_string(e.stat)),
                     "use mean, p50, p90, p95, p99, min, max, sum or count");
      return {};
    }
    for (const auto& s : series_catalog()) {
      if (name == s.name) {
        e.series = name;
        e.stat = s.stats.front();
        return {};
      }
      if (name.size() > s.name.size() && name.starts_with(s.name) && name[s.name.size()] == '.') {
        auto st = parse_stat(name.substr(s.name.size() + 1));
        if (st && std::find(s.stats.begin(), s.stats.end(), *st) != s.stats.end()) {
          e.series = std::string(s.name);
          e.stat = *st;
          return {};
        }
      }
    }
    std::string hint = fmt::format("the known series: {}", known_series_list());
    std::string near = closest(name, known_series_names());
    if (!near.empty()) hint = fmt::format("did you mean '{}'? {}", near, hint);
    return error(fmt::format("unknown series '{}'", name), hint);
  }

  Result<void> matchers(Expr& e) {
    ++p_;  // {
    for (;;) {
      ws();
      if (peek() == '}') {
        ++p_;
        return {};
      }
      std::size_t s = p_;
      while (p_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '_')) ++p_;
      std::string label(t_.substr(s, p_ - s));
      bool known = std::find(std::begin(kLabelNames), std::end(kLabelNames), label) != std::end(kLabelNames);
      if (!known) {
        std::vector<std::string> names(std::begin(kLabelNames), std::end(kLabelNames));
        std::string near = closest(label, names);
        return error(fmt::format("unknown label '{}'", label),
                     fmt::format("{}the labels are operation, model, provider, prompt and kind",
                                 near.empty() ? "" : fmt::format("did you mean '{}'? ", near)));
      }
      ws();
      LabelMatcher m;
      m.label = label;
      if (t_.substr(p_).starts_with("=~")) {
        m.kind = LabelMatcher::Kind::regex;
        p_ += 2;
      } else if (t_.substr(p_).starts_with("!~")) {
        m.kind = LabelMatcher::Kind::not_regex;
        p_ += 2;
      } else if (t_.substr(p_).starts_with("!=")) {
        m.kind = LabelMatcher::Kind::not_equal;
        p_ += 2;
      } else if (peek() == '=') {
        m.kind = LabelMatcher::Kind::equal;
        ++p_;
      } else {
        return error(fmt::format("expected =, !=, =~ or !~ after '{}'", label), "for example: {operation=\"chat\"}");
      }
      ws();
      if (peek() != '"')
        return error(fmt::format("the value of '{}' must be quoted", label), "for example: {model=\"gpt-4o\"}");
      ++p_;
      while (p_ < t_.size() && t_[p_] != '"') {
        if (t_[p_] == '\\' && p_ + 1 < t_.size()) ++p_;
        m.value.push_back(t_[p_++]);
      }
      if (p_ >= t_.size()) return error("unterminated label value", "close the quote");
      ++p_;
      if (m.kind == LabelMatcher::Kind::regex || m.kind == LabelMatcher::Kind::not_regex) {
        RE2::Options options;
        options.set_log_errors(false);
        m.regex = std::make_shared<RE2>("^(?:" + m.value + ")$", options);
        if (!m.regex->ok())
          return error(fmt::format("bad regular expression '{}': {}", m.value, m.regex->error()),
                       "RE2 syntax, as Prometheus");
      }
      e.matchers.push_back(std::move(m));
      ws();
      if (peek() == ',') {
        ++p_;
        continue;
      }
      if (peek() == '}') continue;
      return error("expected ',' or '}' in the label matchers", "for example: {operation=\"chat\", model=~\"gpt-.*\"}");
    }
  }

  Result<void> comparison(Expr& e) {
    static constexpr std::pair<std::string_view, CompareOp> kOps[] = {{">=", CompareOp::ge}, {"<=", CompareOp::le},
                                                                      {"==", CompareOp::eq}, {"!=", CompareOp::ne},
                                                                      {">", CompareOp::gt},  {"<", CompareOp::lt}};
    for (const auto& [text, op] : kOps) {
      if (t_.substr(p_).starts_with(text)) {
        e.op = op;
        p_ += text.size();
        return {};
      }
    }
    return error("expected a comparison (>, >=, <, <=, ==, !=)", "an alert is a condition: error_rate > 0.02");
  }

  std::string_view t_;
  std::size_t p_ = 0;
  const std::string& where_;
};

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

Result<std::map<std::string, std::string>> string_map(const YAML::Node& n, const std::string& where) {
  std::map<std::string, std::string> out;
  if (!n) return out;
  if (!n.IsMap())
    return std::unexpected(
        bad_input(fmt::format("{} must be a map of strings", where), "for example: {severity: page}"));
  for (const auto& kv : n) {
    if (!kv.second.IsScalar())
      return std::unexpected(bad_input(fmt::format("{}: '{}' must be a string", where, scalar(kv.first)), ""));
    out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  }
  return out;
}

Result<DriftRuleSpec> parse_drift_spec(const YAML::Node& n, const std::string& where) {
  const char* example = "drift: {reference: data/train.csv@churn#production, current: data/live.csv}";
  if (!n.IsMap()) return std::unexpected(bad_input(fmt::format("{}: drift must be a map", where), example));
  static const std::vector<std::string> kKeys = {"reference", "current", "columns", "prediction", "drift_share"};
  DriftRuleSpec spec;
  try {
    for (const auto& kv : n) {
      std::string key = scalar(kv.first);
      if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
        std::string near = closest(key, kKeys);
        return std::unexpected(bad_input(fmt::format("{}: unknown key '{}' in drift", where, key),
                                         near.empty()
                                             ? "drift takes reference, current, columns, prediction and drift_share"
                                             : fmt::format("did you mean '{}'?", near)));
      }
    }
    spec.reference = scalar(n["reference"]);
    spec.current = scalar(n["current"]);
    if (n["columns"])
      for (const auto& c : n["columns"]) spec.columns.push_back(c.as<std::string>());
    spec.prediction = scalar(n["prediction"]);
    if (n["drift_share"]) {
      double share = 0;
      if (!n["drift_share"].IsScalar() || !YAML::convert<double>::decode(n["drift_share"], share) || share <= 0 ||
          share > 1) {
        return std::unexpected(bad_input(
            fmt::format("{}: drift_share '{}' is not a number above 0 and at most 1", where, scalar(n["drift_share"])),
            "the share of drifted columns that is dataset drift: drift_share: 0.3"));
      }
      spec.drift_share = share;
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("{}: {}", where, e.msg), example));
  }
  if (spec.reference.empty() || spec.current.empty())
    return std::unexpected(bad_input(fmt::format("{}: drift needs reference and current", where), example));
  return spec;
}

}  // namespace

std::string_view to_string(CompareOp op) {
  switch (op) {
    case CompareOp::gt:
      return ">";
    case CompareOp::ge:
      return ">=";
    case CompareOp::lt:
      return "<";
    case CompareOp::le:
      return "<=";
    case CompareOp::eq:
      return "==";
    case CompareOp::ne:
      return "!=";
  }
  return ">";
}

bool compare(double v, CompareOp op, double t) {
  switch (op) {
    case CompareOp::gt:
      return v > t;
    case CompareOp::ge:
      return v >= t;
    case CompareOp::lt:
      return v < t;
    case CompareOp::le:
      return v <= t;
    case CompareOp::eq:
      return v == t;
    case CompareOp::ne:
      return v != t;
  }
  return false;
}

std::string_view to_string(Stat s) { return kStatNames[static_cast<int>(s)]; }

bool LabelMatcher::matches(const std::string& text) const {
  switch (kind) {
    case Kind::equal:
      return text == value;
    case Kind::not_equal:
      return text != value;
    case Kind::regex:
      return RE2::FullMatch(text, *regex);
    case Kind::not_regex:
      return !RE2::FullMatch(text, *regex);
  }
  return false;
}

std::string Expr::name() const { return stat == Stat::ratio ? series : fmt::format("{}.{}", series, to_string(stat)); }

const std::vector<SeriesInfo>& series_catalog() {
  static const std::vector<SeriesInfo> catalog = {
      {"requests", kCounter, "GenAI spans (requests)"},
      {"errors", kCounter, "GenAI spans with an error status or error.type"},
      {"error_rate", kRatio, "errors / requests"},
      {"latency_ms", kDistribution, "span duration in milliseconds"},
      {"ttft_ms", kDistribution, "time to first token in milliseconds"},
      {"retrieval_ms", kDistribution, "duration of retrieval spans in milliseconds"},
      {"documents", kDistribution, "documents per retrieval"},
      {"input_tokens", kAmount, "input tokens"},
      {"output_tokens", kAmount, "output tokens"},
      {"cached_tokens", kAmount, "cached input tokens"},
      {"reasoning_tokens", kAmount, "reasoning output tokens"},
      {"tokens", kAmount, "input plus output tokens"},
      {"cost_usd", kAmount, "cost in USD"},
      {"guardrail_rate", kRatio, "requests where a guardrail fired / requests"},
      {"truncation_rate", kRatio, "finish reason length / calls that reported a finish reason"},
      // Feedback from `mlops feedback import`, at the time it was given, with the labels of its span.
      {"feedback", kCounter, "feedback events"},
      {"feedback.negative_rate", kRatio, "thumbs down and low ratings / thumbs and ratings"},
      {"feedback.positive_rate", kRatio, "thumbs up and high ratings / thumbs and ratings"},
      {"feedback.edit_rate", kRatio, "edits / feedback events"},
      {"feedback.copy_rate", kRatio, "copies / feedback events"},
      {"feedback.regenerate_rate", kRatio, "regenerations / feedback events"},
      {"feedback.rating", kDistribution, "ratings as a share of their scale (0 to 1)"},
  };
  return catalog;
}

Result<Expr> parse_expr(std::string_view text, const std::string& where) { return ExprParser(text, where).parse(); }

Result<MonitorFile> load_monitor_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::unexpected(bad_input(fmt::format("no rules file '{}'", path),
                                     "write one (docs/monitoring.md), or give another with -c FILE"));
  }
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  return parse_monitor_file(*text, path);
}

Result<MonitorFile> parse_monitor_file(std::string_view yaml_text, const std::string& path) {
  const std::string example = "see docs/monitoring.md for the shape of monitors.yaml";
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    std::string where =
        e.mark.is_null() ? fmt::format("'{}'", path) : fmt::format("'{}', line {}", path, e.mark.line + 1);
    return std::unexpected(bad_input(fmt::format("{} is not valid YAML: {}", where, e.msg), example));
  }
  if (!root.IsMap()) return std::unexpected(bad_input(fmt::format("'{}' is not a map with 'rules'", path), example));
  MonitorFile file;
  file.path = path;
  static const std::vector<std::string> kKeys = {"traces", "prices", "rules", "interval", "guardrail_attribute"};
  for (const auto& kv : root) {
    std::string key = scalar(kv.first);
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      std::string near = closest(key, kKeys);
      return std::unexpected(bad_input(fmt::format("'{}': unknown key '{}'", path, key),
                                       near.empty()
                                           ? "the keys are traces, prices, interval, guardrail_attribute and rules"
                                           : fmt::format("did you mean '{}'?", near)));
    }
  }
  try {
    if (root["traces"]) {
      if (root["traces"].IsScalar()) {
        file.traces.push_back(root["traces"].as<std::string>());
      } else {
        for (const auto& t : root["traces"]) file.traces.push_back(t.as<std::string>());
      }
    }
    if (root["prices"]) file.prices = root["prices"].as<std::string>();
    if (root["guardrail_attribute"]) file.guardrail_attribute = root["guardrail_attribute"].as<std::string>();
    if (root["interval"]) {
      auto d = parse_duration(root["interval"].as<std::string>());
      if (!d || *d == 0)
        return std::unexpected(bad_input(fmt::format("'{}': interval '{}' is not {}", path,
                                                     root["interval"].as<std::string>(), d ? "above 0" : "a duration"),
                                         "for example: interval: 1m"));
      file.interval_ns = *d;
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("'{}', line {}: {}", path, e.mark.line + 1, e.msg), example));
  }
  const YAML::Node& rules = root["rules"];
  if (!rules || !rules.IsSequence() || rules.size() == 0)
    return std::unexpected(
        bad_input(fmt::format("'{}' has no rules", path), "add a list 'rules:' of alerts (alert, expr)"));
  std::vector<std::string> names;
  for (const auto& r : rules) {
    std::string where = fmt::format("'{}', line {}", path, r.Mark().line + 1);
    if (!r.IsMap())
      return std::unexpected(bad_input(fmt::format("{}: a rule must be a map with alert and expr", where), example));
    static const std::vector<std::string> kRuleKeys = {"alert",     "expr",   "drift",      "for",
                                                       "min_count", "labels", "annotations"};
    for (const auto& kv : r) {
      std::string key = scalar(kv.first);
      if (std::find(kRuleKeys.begin(), kRuleKeys.end(), key) == kRuleKeys.end()) {
        std::string near = closest(key, kRuleKeys);
        return std::unexpected(
            bad_input(fmt::format("{}: unknown key '{}' in a rule", where, key),
                      near.empty() ? "a rule has alert, expr (or drift), for, min_count, labels and annotations"
                                   : fmt::format("did you mean '{}'?", near)));
      }
    }
    Rule rule;
    rule.alert = scalar(r["alert"]);
    if (rule.alert.empty())
      return std::unexpected(
          bad_input(fmt::format("{}: a rule needs 'alert', its name", where), "alert: ChatLatencyP95"));
    if (std::find(names.begin(), names.end(), rule.alert) != names.end())
      return std::unexpected(
          bad_input(fmt::format("{}: alert '{}' is defined twice", where, rule.alert), "give each alert its own name"));
    names.push_back(rule.alert);
    where = fmt::format("{} (alert '{}')", where, rule.alert);
    if (r["drift"]) {
      if (r["expr"] || r["for"] || r["min_count"]) {
        return std::unexpected(bad_input(fmt::format("{}: a drift rule takes no expr, for or min_count", where),
                                         "a drift rule fires on the drift check's verdict"));
      }
      auto spec = parse_drift_spec(r["drift"], where);
      if (!spec) return std::unexpected(spec.error());
      rule.drift = std::move(*spec);
      rule.expr.text = fmt::format("drift {} -> {}", rule.drift->reference, rule.drift->current);
    } else {
      std::string expr = scalar(r["expr"]);
      if (expr.empty())
        return std::unexpected(
            bad_input(fmt::format("{}: a rule needs 'expr' (or 'drift')", where), "expr: error_rate > 0.02"));
      auto parsed = parse_expr(expr, where);
      if (!parsed) return std::unexpected(parsed.error());
      rule.expr = std::move(*parsed);
    }
    if (r["for"]) {
      auto d = parse_duration(scalar(r["for"]));
      if (!d)
        return std::unexpected(
            bad_input(fmt::format("{}: for '{}' is not a duration", where, scalar(r["for"])), "for example: for: 10m"));
      rule.for_ns = *d;
    }
    if (r["min_count"]) {
      std::string text = scalar(r["min_count"]);
      std::uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        return std::unexpected(bad_input(fmt::format("{}: min_count '{}' is not a whole number", where, text),
                                         "for example: min_count: 50"));
      rule.min_count = n;
    }
    auto labels = string_map(r["labels"], where + ": labels");
    if (!labels) return std::unexpected(labels.error());
    for (const auto& [k, v] : *labels) {
      bool ok = !k.empty() && !std::isdigit(static_cast<unsigned char>(k[0])) && !k.starts_with("__") &&
                std::all_of(k.begin(), k.end(),
                            [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
      if (!ok || k == "alertname" || k == "alertstate") {
        return std::unexpected(
            bad_input(fmt::format("{}: label '{}' is not a Prometheus label name of its own", where, k),
                      "label names are letters, digits and _ (not alertname or alertstate)"));
      }
    }
    rule.labels = std::move(*labels);
    auto annotations = string_map(r["annotations"], where + ": annotations");
    if (!annotations) return std::unexpected(annotations.error());
    rule.annotations = std::move(*annotations);
    file.rules.push_back(std::move(rule));
  }
  return file;
}

Result<MonitorInputs> monitor_inputs(const MonitorFile& file) {
  std::filesystem::path base = std::filesystem::path(file.path).parent_path();
  MonitorInputs out;
  for (const auto& pattern : file.traces) {
    std::filesystem::path full =
        std::filesystem::path(pattern).is_absolute() ? std::filesystem::path(pattern) : base / pattern;
    glob_t g{};
    int rc = ::glob(full.c_str(), 0, nullptr, &g);
    std::vector<std::string> found;
    for (std::size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) found.emplace_back(g.gl_pathv[i]);
    globfree(&g);
    if (found.empty()) out.unmatched.push_back(pattern);
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  // One pattern without files (a judge's log not written yet) must not silence the rules over the
  // others; nothing at all to read is a mistake to name.
  if (out.files.empty()) {
    std::string named;
    for (const auto& pattern : out.unmatched) named += fmt::format("{}'{}'", named.empty() ? "" : ", ", pattern);
    return std::unexpected(bad_input(
        fmt::format("'{}': traces {} {} no file", file.path, named, out.unmatched.size() == 1 ? "matches" : "match"),
        "export traces there, or give the files on the command line"));
  }
  return out;
}

}  // namespace mlops::trace
