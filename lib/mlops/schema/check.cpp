#include "mlops/schema/check.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "mlops/schema/scan.hpp"
#include "mlops/schema/unique.hpp"
#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {

// A column's rules made ready for the pass: bounds and listed values as comparable keys, the
// regex compiled. Shared read-only by every thread.
struct PreparedColumn {
  const ColumnRules* rules = nullptr;
  Type type = Type::string;
  bool typed = false;                         // values are compared as keys of `type` (not as text)
  std::vector<double> value_keys;             // sorted (typed columns)
  std::vector<std::string_view> value_texts;  // string columns: sorted
  double lo = -HUGE_VAL, hi = HUGE_VAL;
  std::unique_ptr<RE2> regex;
  bool unique = false;
};

PreparedColumn prepare(const ColumnRules& rules) {
  PreparedColumn p;
  p.rules = &rules;
  p.type = rules.value_type();
  p.typed = p.type != Type::string;
  double key;
  if (rules.values) {
    for (const auto& v : rules.values->allowed) {
      if (!p.typed)
        p.value_texts.push_back(v);
      else if (typed_key(p.type, v, false, key))
        p.value_keys.push_back(key);
    }
    std::sort(p.value_keys.begin(), p.value_keys.end());
    std::sort(p.value_texts.begin(), p.value_texts.end());
  }
  if (rules.range) {
    if (rules.range->min && typed_key(p.type, *rules.range->min, false, key)) p.lo = key;
    if (rules.range->max && typed_key(p.type, *rules.range->max, false, key)) p.hi = key;
  }
  if (rules.regex) {
    RE2::Options options;
    options.set_log_errors(false);
    p.regex = std::make_unique<RE2>(rules.regex->pattern, options);
  }
  p.unique = rules.unique && rules.unique->unique;
  return p;
}

// Whether `v` is in the sorted list: a few values are compared in turn, more are searched.
bool listed(const std::vector<std::string_view>& sorted, std::string_view v) {
  if (sorted.size() <= 8) return std::find(sorted.begin(), sorted.end(), v) != sorted.end();
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

// Counts of one check over the values it looked at, and its first distinct failing values.
struct Tally {
  std::uint64_t elements = 0, unexpected = 0;
  std::vector<Example> examples;

  void bad(std::string_view v, std::uint64_t row, std::size_t keep) {
    ++unexpected;
    if (examples.size() >= keep) return;
    for (const auto& e : examples) {
      if (e.value.size() <= 80 && std::string_view(e.value) == v) return;
    }
    examples.push_back(Example{clip(v), false, row});
  }
  void merge(Tally&& later, std::uint64_t offset, std::size_t keep) {
    elements += later.elements;
    unexpected += later.unexpected;
    for (auto& e : later.examples) {
      if (examples.size() >= keep) break;
      if (std::none_of(examples.begin(), examples.end(), [&](const Example& x) { return x.value == e.value; })) {
        e.row += offset;
        examples.push_back(std::move(e));
      }
    }
  }
};

// The accumulator of one column for scan_part (see scan.hpp for the contract).
class ColumnCheck {
 public:
  ColumnCheck(const PreparedColumn* column, std::size_t keep) : c_(column), keep_(keep) {}

  void value(std::string_view v, bool json_string, std::uint64_t row) {
    ++present_;
    if (!c_) return;
    const ColumnRules& r = *c_->rules;
    double key = 0;
    bool typed_ok = true;
    if (c_->typed) typed_ok = typed_key(c_->type, v, json_string, key);
    if (r.type) {
      ++type_.elements;  // every text is a string: a string column's values all pass
      if (!typed_ok) type_.bad(v, row, keep_);
    }
    if (r.values && typed_ok) {
      ++values_.elements;
      const bool in = c_->typed ? std::binary_search(c_->value_keys.begin(), c_->value_keys.end(), key)
                                : listed(c_->value_texts, v);
      if (!in) values_.bad(v, row, keep_);
    }
    if (r.range && typed_ok) {
      ++range_.elements;
      if (key < c_->lo || key > c_->hi) range_.bad(v, row, keep_);
    }
    if (r.length) {
      ++length_.elements;
      const std::uint64_t n = utf8_length(v);
      if ((r.length->min && n < *r.length->min) || (r.length->max && n > *r.length->max)) length_.bad(v, row, keep_);
    }
    if (c_->regex) {
      ++regex_.elements;
      if (!RE2::FullMatch(v, *c_->regex)) regex_.bad(v, row, keep_);
    }
    if (c_->unique) unique_.add(v);
  }
  void null(std::uint64_t row) {
    if (missing_++ == 0) first_missing_ = row;
  }
  void nulls(std::uint64_t first_row, std::uint64_t n) {
    if (n == 0) return;
    if (missing_ == 0 || first_row < first_missing_) first_missing_ = first_row;
    missing_ += n;
  }
  void merge(ColumnCheck&& later, std::uint64_t offset) {
    if (later.missing_ && (missing_ == 0 || later.first_missing_ + offset < first_missing_))
      first_missing_ = later.first_missing_ + offset;
    present_ += later.present_;
    missing_ += later.missing_;
    type_.merge(std::move(later.type_), offset, keep_);
    values_.merge(std::move(later.values_), offset, keep_);
    range_.merge(std::move(later.range_), offset, keep_);
    length_.merge(std::move(later.length_), offset, keep_);
    regex_.merge(std::move(later.regex_), offset, keep_);
    unique_.merge(std::move(later.unique_));
  }
  // Each piece sorts its own values on its thread; merging keeps them sorted.
  void piece_done() { unique_.piece_done(); }

  std::uint64_t present_ = 0, missing_ = 0, first_missing_ = 0;
  Tally type_, values_, range_, length_, regex_;
  UniqueHashes unique_;

 private:
  const PreparedColumn* c_;
  std::size_t keep_;
};

std::string list_words(const std::vector<std::string>& items, std::size_t limit = 10) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > limit) out += fmt::format(", … ({} in all)", items.size());
  return out;
}

std::string range_words(const std::optional<std::string>& min, const std::optional<std::string>& max) {
  if (min && max) return fmt::format("from {} to {}", *min, *max);
  if (min) return fmt::format("at least {}", *min);
  return fmt::format("at most {}", *max);
}

// Whether a check passes: the share of its values that passed is at least `mostly`.
bool passes(std::uint64_t elements, std::uint64_t unexpected, double mostly) {
  if (elements == 0 || unexpected == 0) return true;
  return static_cast<double>(elements - unexpected) >= mostly * static_cast<double>(elements) - 1e-9;
}

CheckResult from_tally(const std::string& column, std::string check, std::string expected, Severity severity,
                       double mostly, std::uint64_t missing, Tally&& t) {
  CheckResult r;
  r.column = column;
  r.check = std::move(check);
  r.expected = std::move(expected);
  r.severity = severity;
  r.mostly = mostly;
  r.missing = missing;
  r.elements = t.elements;
  r.unexpected = t.unexpected;
  r.unexpected_share = t.elements ? static_cast<double>(t.unexpected) / static_cast<double>(t.elements) : 0;
  r.status = passes(t.elements, t.unexpected, mostly) ? Status::passed : Status::failed;
  if (r.status == Status::failed) r.examples = std::move(t.examples);
  for (auto& e : r.examples) ++e.row;  // reports count rows from 1
  return r;
}

// `recheck`: the second pass's values of a unique column whose hashes repeat (null: none do).
void column_results(const ColumnRules& rules, ColumnCheck& acc, UniqueRecheck* recheck, std::uint64_t rows,
                    std::size_t keep, std::vector<CheckResult>& out) {
  const std::string& name = rules.name;
  const std::uint64_t missing = acc.missing_;
  auto missing_example = [&] { return Example{"", true, acc.first_missing_ + 1}; };
  if (rules.type) {
    out.push_back(from_tally(name, "type", std::string(to_string(rules.type->type)), rules.type->severity,
                             rules.type->mostly, missing, std::move(acc.type_)));
  }
  if (rules.nullable && !rules.nullable->allowed) {
    Tally t;
    t.elements = rows;
    t.unexpected = missing;
    if (missing) t.examples.push_back(Example{"", true, acc.first_missing_});
    out.push_back(
        from_tally(name, "nullable", "no missing values", rules.nullable->severity, 1, missing, std::move(t)));
  }
  if (rules.present) {
    CheckResult r;
    r.column = name;
    r.check = "present";
    r.expected = fmt::format("at least {} of rows have a value", percent(rules.present->min));
    r.severity = rules.present->severity;
    r.missing = missing;
    r.elements = rows;
    r.unexpected = missing;
    r.unexpected_share = rows ? static_cast<double>(missing) / static_cast<double>(rows) : 0;
    const double share = rows ? static_cast<double>(rows - missing) / static_cast<double>(rows) : 1;
    r.note = fmt::format("{} present", percent(share));
    r.status = share + 1e-12 >= rules.present->min ? Status::passed : Status::failed;
    if (missing && r.status == Status::failed) r.examples.push_back(missing_example());
    out.push_back(std::move(r));
  }
  if (rules.unique && rules.unique->unique) {
    Tally t;
    t.elements = acc.present_;
    Duplicates d = recheck ? find_duplicates(std::move(recheck->values), keep) : Duplicates{};
    t.unexpected = d.rows;
    CheckResult r = from_tally(name, "unique", "no duplicates", rules.unique->severity, rules.unique->mostly, missing,
                               std::move(t));
    if (r.status == Status::failed) r.examples = std::move(d.examples);  // their rows count from 1 already
    out.push_back(std::move(r));
  }
  if (rules.values) {
    out.push_back(from_tally(name, "values", "one of " + list_words(rules.values->allowed), rules.values->severity,
                             rules.values->mostly, missing, std::move(acc.values_)));
  }
  if (rules.range) {
    out.push_back(from_tally(name, "range", range_words(rules.range->min, rules.range->max), rules.range->severity,
                             rules.range->mostly, missing, std::move(acc.range_)));
  }
  if (rules.length) {
    std::optional<std::string> lo, hi;
    if (rules.length->min) lo = std::to_string(*rules.length->min);
    if (rules.length->max) hi = std::to_string(*rules.length->max);
    out.push_back(from_tally(name, "length", "length " + range_words(lo, hi), rules.length->severity,
                             rules.length->mostly, missing, std::move(acc.length_)));
  }
  if (rules.regex) {
    out.push_back(from_tally(name, "regex", fmt::format("the whole value matches {}", rules.regex->pattern),
                             rules.regex->severity, rules.regex->mostly, missing, std::move(acc.regex_)));
  }
}

// Every check of a column the data lacks, skipped (the columns check reports the column).
void skipped_results(const ColumnRules& rules, std::vector<CheckResult>& out) {
  std::vector<CheckResult> all;
  ColumnCheck none(nullptr, 0);
  column_results(rules, none, nullptr, 0, 0, all);
  for (auto& r : all) {
    r.status = Status::skipped;
    r.note = "the data has no such column";
    r.examples.clear();
    out.push_back(std::move(r));
  }
}

CheckResult columns_result(const Schema& schema, const std::vector<std::string>& names) {
  const ColumnsCheck rule = schema.columns_rule.value_or(ColumnsCheck{ColumnsRule::extra_allowed, Severity::error});
  std::vector<std::string> missing, extra;
  for (const auto& c : schema.columns) {
    if (std::find(names.begin(), names.end(), c.name) == names.end()) missing.push_back(c.name);
  }
  for (const auto& n : names) {
    if (!schema.find(n)) extra.push_back(n);
  }
  const bool missing_ok =
      rule.rule == ColumnsRule::missing_allowed || rule.rule == ColumnsRule::extra_and_missing_allowed;
  const bool extra_ok = rule.rule == ColumnsRule::extra_allowed || rule.rule == ColumnsRule::extra_and_missing_allowed;
  CheckResult r;
  r.check = "columns";
  r.severity = rule.severity;
  switch (rule.rule) {
    case ColumnsRule::exact:
      r.expected = "exactly the schema's columns";
      break;
    case ColumnsRule::extra_allowed:
      r.expected = "every schema column (others allowed)";
      break;
    case ColumnsRule::missing_allowed:
      r.expected = "no column outside the schema";
      break;
    case ColumnsRule::extra_and_missing_allowed:
      r.expected = "any columns";
      break;
  }
  // Judged: every column of the data or the schema (so that unexpected is a part of it).
  r.elements = names.size() + missing.size();
  std::vector<std::string> notes;
  if (!missing.empty()) notes.push_back("missing: " + list_words(missing));
  if (!extra.empty()) notes.push_back("extra: " + list_words(extra));
  r.note = notes.empty() ? fmt::format("{} columns", names.size()) : list_words(notes);
  if (!missing_ok) {
    r.unexpected += missing.size();
    for (const auto& m : missing) r.examples.push_back(Example{"missing: " + m, false, 0});
  }
  if (!extra_ok) {
    r.unexpected += extra.size();
    for (const auto& e : extra) r.examples.push_back(Example{"extra: " + e, false, 0});
  }
  if (r.examples.size() > 5) r.examples.resize(5);
  r.unexpected_share = r.elements ? static_cast<double>(r.unexpected) / static_cast<double>(r.elements) : 0;
  r.status = r.unexpected ? Status::failed : Status::passed;
  return r;
}

CheckResult rows_result(const RowsCheck& rows, std::uint64_t n) {
  CheckResult r;
  r.check = "rows";
  std::optional<std::string> lo, hi;
  if (rows.min) lo = std::to_string(*rows.min);
  if (rows.max) hi = std::to_string(*rows.max);
  r.expected = range_words(lo, hi) + " rows";
  r.severity = rows.severity;
  r.note = fmt::format("{} rows", n);
  // Judged: one thing, the table's row count.
  const bool ok = (!rows.min || n >= *rows.min) && (!rows.max || n <= *rows.max);
  r.elements = 1;
  r.status = ok ? Status::passed : Status::failed;
  r.unexpected = ok ? 0 : 1;
  r.unexpected_share = ok ? 0 : 1;
  // A dataset with no rows at all is broken (a header alone, a truncated export), not a smaller
  // batch: it fails as an error even where the schema made the row count a warning.
  if (n == 0 && !ok) {
    r.severity = Severity::error;
    r.note = "0 rows (no data at all is an error whatever the severity)";
  }
  return r;
}

}  // namespace

std::string_view to_string(Status s) {
  switch (s) {
    case Status::passed:
      return "passed";
    case Status::failed:
      return "failed";
    case Status::skipped:
      return "skipped";
  }
  return "?";
}

std::size_t CheckReport::failed_count(Severity severity) const {
  return static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [&](const CheckResult& c) {
    return c.status == Status::failed && c.severity == severity;
  }));
}

bool CheckReport::failed(bool strict) const {
  return failed_count(Severity::error) > 0 || (strict && failed_count(Severity::warn) > 0);
}

Result<CheckReport> check_schema(const Schema& schema, std::vector<drift::Part>& parts, const CheckOptions& options) {
  std::vector<PreparedColumn> prepared;
  prepared.reserve(schema.columns.size());
  for (const auto& c : schema.columns) prepared.push_back(prepare(c));
  const std::size_t keep = options.examples;
  auto make = [&](std::string_view name) {
    for (const auto& p : prepared) {
      if (p.rules->name == name) return ColumnCheck(&p, keep);
    }
    return ColumnCheck(nullptr, keep);
  };
  Scanned<ColumnCheck> scanned;
  for (auto& part : parts) MLOPS_TRY(scan_part(part, options.read, make, scanned));

  // Unique columns whose hashes repeat: those values are read again to compare their text.
  std::unordered_map<std::string_view, std::vector<std::uint64_t>> repeated;
  for (const auto& p : prepared) {
    auto j = scanned.index_of(p.rules->name);
    if (!p.unique || !j) continue;
    auto hashes = scanned.columns[*j].unique_.repeated();
    if (!hashes.empty()) repeated.emplace(p.rules->name, std::move(hashes));
  }
  Scanned<UniqueRecheck> rechecked;
  if (!repeated.empty()) {
    auto make_recheck = [&](std::string_view name) {
      auto it = repeated.find(name);
      return UniqueRecheck(it == repeated.end() ? nullptr : &it->second);
    };
    for (auto& part : parts) MLOPS_TRY(scan_part(part, options.read, make_recheck, rechecked));
  }

  CheckReport report;
  report.rows = scanned.rows;
  report.checks.push_back(columns_result(schema, scanned.names));
  if (schema.rows) report.checks.push_back(rows_result(*schema.rows, scanned.rows));
  for (const auto& rules : schema.columns) {
    auto j = scanned.index_of(rules.name);
    if (!j) {
      skipped_results(rules, report.checks);
      continue;
    }
    auto k = repeated.count(rules.name) ? rechecked.index_of(rules.name) : std::nullopt;
    column_results(rules, scanned.columns[*j], k ? &rechecked.columns[*k] : nullptr, scanned.rows, keep, report.checks);
  }
  return report;
}

}  // namespace mlops::schema
