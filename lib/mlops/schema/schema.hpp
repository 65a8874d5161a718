#pragma once
// A data contract: what `mlops schema infer` writes and `mlops schema check` reads. The YAML form
// (schema_read.cpp, schema_write.cpp) is documented in docs/schema.md; every field here has a key
// there, so a schema read and written again loses nothing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::schema {

// What a failed check does: `error` fails `schema check` (exit 1); `warn` is reported and fails
// only under --strict.
enum class Severity { error, warn };

enum class Type { integer, floating, string, boolean, date, datetime };

// Which columns the data may have besides (extra) or instead of (missing) the schema's.
enum class ColumnsRule { exact, extra_allowed, missing_allowed, extra_and_missing_allowed };

std::string_view to_string(Severity s);
std::string_view to_string(Type t);  // int, float, string, bool, date, datetime
std::string_view to_string(ColumnsRule r);
std::optional<Severity> parse_severity(std::string_view text);
std::optional<Type> parse_type(std::string_view text);
std::optional<ColumnsRule> parse_columns_rule(std::string_view text);

// Every check has a severity; those that judge values one by one also have `mostly`: the share
// of the non-null values that must pass (1: all of them).
struct TypeCheck {
  Type type = Type::string;
  double mostly = 1;
  Severity severity = Severity::error;
};
struct NullableCheck {
  bool allowed = true;  // false: no value may be missing
  Severity severity = Severity::error;
};
struct PresentCheck {
  double min = 1;  // the least share of rows that must have a value
  Severity severity = Severity::error;
};
struct ValuesCheck {
  std::vector<std::string> allowed;  // as written; compared by the column's type (1.0 == 1)
  double mostly = 1;
  Severity severity = Severity::error;
};
// Inclusive bounds, as written: numbers for int and float columns, ISO dates and times for date
// and datetime columns. At least one is set.
struct RangeCheck {
  std::optional<std::string> min, max;
  double mostly = 1;
  Severity severity = Severity::error;
};
// String length in characters (Unicode code points), inclusive.
struct LengthCheck {
  std::optional<std::uint64_t> min, max;
  double mostly = 1;
  Severity severity = Severity::error;
};
// RE2 syntax; the whole value must match (not a substring).
struct RegexCheck {
  std::string pattern;
  double mostly = 1;
  Severity severity = Severity::error;
};
struct UniqueCheck {
  bool unique = true;  // false: no check (kept so that a schema says so explicitly)
  double mostly = 1;
  Severity severity = Severity::error;
};

struct ColumnRules {
  std::string name;
  std::optional<TypeCheck> type;
  std::optional<NullableCheck> nullable;
  std::optional<PresentCheck> present;
  std::optional<UniqueCheck> unique;
  std::optional<ValuesCheck> values;
  std::optional<RangeCheck> range;
  std::optional<LengthCheck> length;
  std::optional<RegexCheck> regex;

  // The column's type for comparing values: its type check's, else string.
  Type value_type() const { return type ? type->type : Type::string; }
};

struct RowsCheck {
  std::optional<std::uint64_t> min, max;
  Severity severity = Severity::error;
};
struct ColumnsCheck {
  ColumnsRule rule = ColumnsRule::exact;
  Severity severity = Severity::error;
};

struct Schema {
  int version = 1;
  std::optional<RowsCheck> rows;
  std::optional<ColumnsCheck> columns_rule;
  std::vector<ColumnRules> columns;

  const ColumnRules* find(std::string_view name) const {
    for (const auto& c : columns) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
};

}  // namespace mlops::schema
