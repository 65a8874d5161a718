#include "mlops/schema/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {

// "[29, 55]"; an open end in the words `schema check` uses ("at least 2024-01-01"), never "inf".
std::string bounds(const std::optional<std::string>& lo, const std::optional<std::string>& hi) {
  if (lo && hi) return fmt::format("[{}, {}]", *lo, *hi);
  if (lo) return fmt::format("at least {} (no upper bound)", *lo);
  if (hi) return fmt::format("at most {} (no lower bound)", *hi);
  return "no bounds";
}

// What a columns rule lets through besides exactly the schema's columns.
struct Allowance {
  bool extra = false, missing = false;
};
Allowance allowance(ColumnsRule r) {
  return Allowance{r == ColumnsRule::extra_allowed || r == ColumnsRule::extra_and_missing_allowed,
                   r == ColumnsRule::missing_allowed || r == ColumnsRule::extra_and_missing_allowed};
}

// Loosened when the new rule allows all the old one did, tightened when the old allowed all the
// new one does; extra_allowed ↔ missing_allowed is neither.
ChangeKind compare_rules(ColumnsRule before, ColumnsRule after) {
  const Allowance a = allowance(before), b = allowance(after);
  if (b.extra >= a.extra && b.missing >= a.missing) return ChangeKind::loosened;
  if (b.extra <= a.extra && b.missing <= a.missing) return ChangeKind::tightened;
  return ChangeKind::changed;
}

// How bounds moved: loosened when neither end moved in, tightened when neither moved out.
ChangeKind compare_bounds(std::optional<double> lo0, std::optional<double> hi0, std::optional<double> lo1,
                          std::optional<double> hi1) {
  const double a0 = lo0.value_or(-HUGE_VAL), b0 = hi0.value_or(HUGE_VAL);
  const double a1 = lo1.value_or(-HUGE_VAL), b1 = hi1.value_or(HUGE_VAL);
  if (a1 <= a0 && b1 >= b0) return ChangeKind::loosened;
  if (a1 >= a0 && b1 <= b0) return ChangeKind::tightened;
  return ChangeKind::changed;
}

std::string_view moved(ChangeKind k) {
  return k == ChangeKind::loosened ? "widened" : k == ChangeKind::tightened ? "narrowed" : "moved";
}

std::optional<double> key_of(Type type, const std::optional<std::string>& text) {
  double key;
  if (text && typed_key(type, *text, false, key)) return key;
  return std::nullopt;
}

std::optional<double> number_of(const std::optional<std::uint64_t>& v) {
  if (v) return static_cast<double>(*v);
  return std::nullopt;
}

class Differ {
 public:
  std::vector<Change> changes;

  void add(const std::string& column, std::string check, ChangeKind kind, std::string text) {
    changes.push_back(Change{column, std::move(check), kind, std::move(text)});
  }

  // The severity and mostly of a check present on both sides.
  void common(const std::string& col, const std::string& check, Severity s0, Severity s1, double m0, double m1) {
    if (s0 != s1) {
      add(col, check, s1 == Severity::error ? ChangeKind::tightened : ChangeKind::loosened,
          fmt::format("{} severity {} → {}", check, to_string(s0), to_string(s1)));
    }
    if (m0 != m1) {
      add(col, check, m1 > m0 ? ChangeKind::tightened : ChangeKind::loosened,
          fmt::format("{} mostly {} → {}", check, format_number(m0), format_number(m1)));
    }
  }

  template <class Check, class Describe>
  bool presence(const std::string& col, const std::string& check, const std::optional<Check>& a,
                const std::optional<Check>& b, Describe describe) {
    if (!a && !b) return false;
    if (!a) {
      add(col, check, ChangeKind::tightened, fmt::format("{} added: {}", check, describe(*b)));
      return false;
    }
    if (!b) {
      add(col, check, ChangeKind::loosened, fmt::format("{} removed (was {})", check, describe(*a)));
      return false;
    }
    return true;
  }

  void column(const ColumnRules& a, const ColumnRules& b) {
    const std::string& c = b.name;
    if (presence(c, "type", a.type, b.type, [](const TypeCheck& t) { return std::string(to_string(t.type)); })) {
      if (a.type->type != b.type->type) {
        const bool wider = a.type->type == Type::integer && b.type->type == Type::floating;
        add(c, "type", wider ? ChangeKind::loosened : ChangeKind::changed,
            fmt::format("type changed from {} to {}", to_string(a.type->type), to_string(b.type->type)));
      }
      common(c, "type", a.type->severity, b.type->severity, a.type->mostly, b.type->mostly);
    }
    auto null_words = [](const NullableCheck& n) { return n.allowed ? "nulls allowed" : "no nulls"; };
    if (presence(c, "nullable", a.nullable, b.nullable, null_words)) {
      if (a.nullable->allowed != b.nullable->allowed) {
        add(c, "nullable", b.nullable->allowed ? ChangeKind::loosened : ChangeKind::tightened,
            b.nullable->allowed ? "became nullable" : "no longer nullable");
      }
      common(c, "nullable", a.nullable->severity, b.nullable->severity, 1, 1);
    }
    if (presence(c, "present", a.present, b.present, [](const PresentCheck& p) { return format_number(p.min); })) {
      if (a.present->min != b.present->min) {
        add(c, "present", b.present->min < a.present->min ? ChangeKind::loosened : ChangeKind::tightened,
            fmt::format("least present share {} → {}", format_number(a.present->min), format_number(b.present->min)));
      }
      common(c, "present", a.present->severity, b.present->severity, 1, 1);
    }
    auto unique_words = [](const UniqueCheck& u) { return u.unique ? "unique" : "not required unique"; };
    if (presence(c, "unique", a.unique, b.unique, unique_words)) {
      if (a.unique->unique != b.unique->unique) {
        add(c, "unique", b.unique->unique ? ChangeKind::tightened : ChangeKind::loosened,
            b.unique->unique ? "became unique" : "no longer unique");
      }
      common(c, "unique", a.unique->severity, b.unique->severity, a.unique->mostly, b.unique->mostly);
    }
    auto value_words = [](const ValuesCheck& v) {
      std::string s;
      for (std::size_t i = 0; i < v.allowed.size(); ++i) s += (i ? ", " : "") + v.allowed[i];
      return "[" + s + "]";
    };
    if (presence(c, "values", a.values, b.values, value_words)) {
      std::vector<std::string> added, removed;
      for (const auto& v : b.values->allowed) {
        if (std::find(a.values->allowed.begin(), a.values->allowed.end(), v) == a.values->allowed.end())
          added.push_back(v);
      }
      for (const auto& v : a.values->allowed) {
        if (std::find(b.values->allowed.begin(), b.values->allowed.end(), v) == b.values->allowed.end())
          removed.push_back(v);
      }
      auto words = [](const std::vector<std::string>& list) {
        std::string s;
        for (std::size_t i = 0; i < list.size(); ++i) s += fmt::format("{}'{}'", i ? ", " : "", list[i]);
        return s;
      };
      if (!added.empty() && !removed.empty()) {
        add(c, "values", ChangeKind::changed,
            fmt::format("values: added {}; removed {}", words(added), words(removed)));
      } else if (!added.empty()) {
        add(c, "values", ChangeKind::loosened, fmt::format("values: added {}", words(added)));
      } else if (!removed.empty()) {
        add(c, "values", ChangeKind::tightened, fmt::format("values: removed {}", words(removed)));
      }
      common(c, "values", a.values->severity, b.values->severity, a.values->mostly, b.values->mostly);
    }
    auto range_words = [](const RangeCheck& r) { return bounds(r.min, r.max); };
    if (presence(c, "range", a.range, b.range, range_words)) {
      if (a.range->min != b.range->min || a.range->max != b.range->max) {
        const Type t0 = a.value_type(), t1 = b.value_type();
        const ChangeKind k = compare_bounds(key_of(t0, a.range->min), key_of(t0, a.range->max),
                                            key_of(t1, b.range->min), key_of(t1, b.range->max));
        add(c, "range", k,
            fmt::format("range {} from {} to {}", moved(k), range_words(*a.range), range_words(*b.range)));
      }
      common(c, "range", a.range->severity, b.range->severity, a.range->mostly, b.range->mostly);
    }
    auto length_words = [](const LengthCheck& l) {
      std::optional<std::string> lo, hi;
      if (l.min) lo = std::to_string(*l.min);
      if (l.max) hi = std::to_string(*l.max);
      return bounds(lo, hi);
    };
    if (presence(c, "length", a.length, b.length, length_words)) {
      if (a.length->min != b.length->min || a.length->max != b.length->max) {
        const ChangeKind k = compare_bounds(number_of(a.length->min), number_of(a.length->max),
                                            number_of(b.length->min), number_of(b.length->max));
        add(c, "length", k,
            fmt::format("length {} from {} to {}", moved(k), length_words(*a.length), length_words(*b.length)));
      }
      common(c, "length", a.length->severity, b.length->severity, a.length->mostly, b.length->mostly);
    }
    auto regex_words = [](const RegexCheck& r) { return r.pattern; };
    if (presence(c, "regex", a.regex, b.regex, regex_words)) {
      if (a.regex->pattern != b.regex->pattern) {
        add(c, "regex", ChangeKind::changed,
            fmt::format("regex changed from {} to {}", a.regex->pattern, b.regex->pattern));
      }
      common(c, "regex", a.regex->severity, b.regex->severity, a.regex->mostly, b.regex->mostly);
    }
  }
};

std::string column_summary(const ColumnRules& c) {
  std::string s = c.type ? std::string(to_string(c.type->type)) : "any type";
  if (c.nullable) s += c.nullable->allowed ? ", nullable" : ", not nullable";
  return s;
}

}  // namespace

std::string_view to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::added:
      return "added";
    case ChangeKind::removed:
      return "removed";
    case ChangeKind::loosened:
      return "loosened";
    case ChangeKind::tightened:
      return "tightened";
    case ChangeKind::changed:
      return "changed";
  }
  return "?";
}

std::vector<Change> diff_schemas(const Schema& before, const Schema& after) {
  Differ d;
  auto rows_words = [](const RowsCheck& r) {
    std::optional<std::string> lo, hi;
    if (r.min) lo = std::to_string(*r.min);
    if (r.max) hi = std::to_string(*r.max);
    return bounds(lo, hi);
  };
  if (d.presence("", "rows", before.rows, after.rows, rows_words)) {
    if (before.rows->min != after.rows->min || before.rows->max != after.rows->max) {
      const ChangeKind k = compare_bounds(number_of(before.rows->min), number_of(before.rows->max),
                                          number_of(after.rows->min), number_of(after.rows->max));
      d.add("", "rows", k,
            fmt::format("row count {} from {} to {}", moved(k), rows_words(*before.rows), rows_words(*after.rows)));
    }
    d.common("", "rows", before.rows->severity, after.rows->severity, 1, 1);
  }
  auto rule_words = [](const ColumnsCheck& c) { return std::string(to_string(c.rule)); };
  if (d.presence("", "columns", before.columns_rule, after.columns_rule, rule_words)) {
    if (before.columns_rule->rule != after.columns_rule->rule) {
      d.add("", "columns", compare_rules(before.columns_rule->rule, after.columns_rule->rule),
            fmt::format("columns rule changed from {} to {}", to_string(before.columns_rule->rule),
                        to_string(after.columns_rule->rule)));
    }
    d.common("", "columns", before.columns_rule->severity, after.columns_rule->severity, 1, 1);
  }
  for (const auto& c : after.columns) {
    const ColumnRules* old = before.find(c.name);
    if (!old) {
      d.add(c.name, "", ChangeKind::added, fmt::format("column added ({})", column_summary(c)));
      continue;
    }
    d.column(*old, c);
  }
  for (const auto& c : before.columns) {
    if (!after.find(c.name)) {
      d.add(c.name, "", ChangeKind::removed, fmt::format("column removed (was {})", column_summary(c)));
    }
  }
  return std::move(d.changes);
}

}  // namespace mlops::schema
