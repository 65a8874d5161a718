// Reading the YAML form of a schema strictly: every key is known, every value checked, and each
// error names the file and the line, because a contract that silently ignores a misspelt check
// checks nothing.
#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/drift/text.hpp"
#include "mlops/schema/schema_io.hpp"
#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {

// Thrown inside the reader and returned as an Error by parse_schema.
struct SchemaError {
  Error error;
};

class SchemaReader {
 public:
  explicit SchemaReader(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message, std::string hint = {}) const {
    // A node yaml-cpp made up (a missing key, an empty document) has no line.
    const int line = node.Mark().line;
    throw SchemaError{bad_input(
        line >= 0 ? fmt::format("'{}' line {}: {}", name_, line + 1, message) : fmt::format("'{}': {}", name_, message),
        hint.empty() ? "see docs/schema.md ('The schema file') for every key" : std::move(hint))};
  }

  // An unknown key: the known key it is closest to ("did you mean"), else the list of them.
  [[noreturn]] void unknown_key(const YAML::Node& key, std::string_view what,
                                const std::vector<std::string_view>& known) const {
    const std::vector<std::string> names(known.begin(), known.end());
    const std::string best = closest(key.Scalar(), names);
    std::string list;
    for (auto k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
    fail(key,
         best.empty() ? fmt::format("unknown key '{}' in {}", key.Scalar(), what)
                      : fmt::format("unknown key '{}' in {} (did you mean '{}'?)", key.Scalar(), what, best),
         fmt::format("the keys of {}: {}", what, list));
  }

  // Calls f(key, value) for each entry of a mapping, failing on keys not in `known`.
  void entries(const YAML::Node& map, std::string_view what, std::initializer_list<std::string_view> known,
               const std::function<void(const std::string&, const YAML::Node&)>& f) const {
    if (!map.IsMap()) fail(map, fmt::format("{} must be a mapping", what));
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) unknown_key(entry.first, what, known);
      f(key, entry.second);
    }
  }

  std::string scalar(const YAML::Node& node, std::string_view what) const {
    if (!node.IsScalar()) fail(node, fmt::format("{} must be a single value", what));
    return node.Scalar();
  }

  bool boolean(const YAML::Node& node, std::string_view what) const {
    bool b;
    if (!node.IsScalar() || !parse_bool(node.Scalar(), b)) fail(node, fmt::format("{} must be true or false", what));
    return b;
  }

  double share(const YAML::Node& node, std::string_view what) const {
    double v;
    bool integral;
    int decimals;
    if (!node.IsScalar() || !drift::parse_number(node.Scalar(), v, integral, decimals) || !(v >= 0 && v <= 1)) {
      fail(node, fmt::format("{} must be a share from 0 to 1", what));
    }
    return v;
  }

  std::uint64_t count(const YAML::Node& node, std::string_view what) const {
    double v;
    bool integral;
    int decimals;
    if (!node.IsScalar() || !drift::parse_number(node.Scalar(), v, integral, decimals) || !integral || v < 0 ||
        v > 9e15) {
      fail(node, fmt::format("{} must be a whole number, 0 or more", what));
    }
    return static_cast<std::uint64_t>(v);
  }

  Severity severity(const YAML::Node& node) const {
    auto s = node.IsScalar() ? parse_severity(node.Scalar()) : std::nullopt;
    if (!s) fail(node, "severity must be 'error' or 'warn'");
    return *s;
  }

  double mostly(const YAML::Node& node) const {
    const double v = share(node, "mostly");
    if (v == 0) fail(node, "mostly must be above 0", "mostly is the share of non-null values that must pass");
    return v;
  }

  Schema read(const YAML::Node& root) const {
    Schema schema;
    if (!root.IsDefined() || root.IsNull()) {
      throw SchemaError{bad_input(fmt::format("'{}' is empty", name_),
                                  "a schema needs a 'columns' list; write one with `mlops schema infer DATA`")};
    }
    if (!root.IsMap()) fail(root, "a schema must be a mapping (version, table, columns)");
    bool have_columns = false;
    entries(root, "the schema", {"version", "table", "columns"}, [&](const std::string& key, const YAML::Node& v) {
      if (key == "version") {
        if (scalar(v, "version") != "1")
          fail(v, fmt::format("unsupported schema version '{}'", v.Scalar()),
               "this mlops reads version 1; upgrade mlops to read newer schemas");
      } else if (key == "table") {
        read_table(v, schema);
      } else {
        have_columns = true;
        if (v.IsNull()) return;
        if (!v.IsSequence()) fail(v, "columns must be a list of columns ('- name: ...')");
        for (const auto& c : v) {
          ColumnRules rules = read_column(c);
          if (schema.find(rules.name)) fail(c, fmt::format("column '{}' is listed twice", rules.name));
          schema.columns.push_back(std::move(rules));
        }
      }
    });
    if (!have_columns) fail(root, "the schema has no 'columns' list");
    return schema;
  }

 private:
  void read_table(const YAML::Node& node, Schema& schema) const {
    entries(node, "table", {"rows", "columns"}, [&](const std::string& key, const YAML::Node& v) {
      if (key == "rows") {
        RowsCheck rows;
        entries(v, "table.rows", {"min", "max", "severity"}, [&](const std::string& k, const YAML::Node& x) {
          if (k == "min") rows.min = count(x, "rows.min");
          if (k == "max") rows.max = count(x, "rows.max");
          if (k == "severity") rows.severity = severity(x);
        });
        if (!rows.min && !rows.max) fail(v, "table.rows needs min, max or both");
        if (rows.min && rows.max && *rows.min > *rows.max) fail(v, "table.rows: min is above max");
        schema.rows = rows;
      } else {
        ColumnsCheck check;
        auto rule = [&](const YAML::Node& x) {
          auto r = x.IsScalar() ? parse_columns_rule(x.Scalar()) : std::nullopt;
          if (!r) {
            fail(x, "table.columns must be exact, extra_allowed, missing_allowed or extra_and_missing_allowed");
          }
          return *r;
        };
        if (v.IsMap()) {
          bool have = false;
          entries(v, "table.columns", {"is", "severity"}, [&](const std::string& k, const YAML::Node& x) {
            if (k == "is") {
              check.rule = rule(x);
              have = true;
            } else {
              check.severity = severity(x);
            }
          });
          if (!have) fail(v, "table.columns needs 'is'");
        } else {
          check.rule = rule(v);
        }
        schema.columns_rule = check;
      }
    });
  }

  // A check written short (`type: int`) or long (`type: {is: int, severity: warn}`): `value_key`
  // is the long form's key for the short form's value.
  template <class Check>
  void check_entries(const YAML::Node& node, const std::string& what, std::string_view value_key, bool has_mostly,
                     std::initializer_list<std::string_view> other_keys, Check& check,
                     const std::function<void(const std::string&, const YAML::Node&)>& field) const {
    if (!node.IsMap()) {
      if (value_key.empty()) fail(node, fmt::format("{} must be a mapping", what));
      field(std::string(value_key), node);
      return;
    }
    std::vector<std::string_view> known;
    if (!value_key.empty()) known.push_back(value_key);
    known.insert(known.end(), other_keys.begin(), other_keys.end());
    if (has_mostly) known.push_back("mostly");
    known.push_back("severity");
    bool have_value = value_key.empty();
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) unknown_key(entry.first, what, known);
      if (key == "severity") {
        check.severity = severity(entry.second);
      } else if (key == "mostly") {
        if constexpr (requires { check.mostly; }) check.mostly = mostly(entry.second);
      } else {
        have_value = have_value || key == value_key;
        field(key, entry.second);
      }
    }
    if (!have_value) fail(node, fmt::format("{} needs '{}'", what, value_key));
  }

  // A type's name, or an error naming the unknown one.
  Type column_type(const YAML::Node& node, std::string_view what) const {
    auto type = node.IsScalar() ? parse_type(node.Scalar()) : std::nullopt;
    if (!type) {
      fail(node, fmt::format("unknown type '{}' in {}", node.IsScalar() ? node.Scalar() : "(not a single value)", what),
           "types: int, float, string, bool, date, datetime");
    }
    return *type;
  }

  ColumnRules read_column(const YAML::Node& node) const {
    ColumnRules c;
    if (!node.IsMap() || !node["name"]) fail(node, "each column needs a 'name'");
    c.name = scalar(node["name"], "a column's name");
    const std::string where = fmt::format("column '{}'", c.name);
    entries(node, where, {"name", "type", "nullable", "present", "unique", "values", "range", "length", "regex"},
            [&](const std::string& key, const YAML::Node& v) {
              const std::string what = fmt::format("'{}' of column '{}'", key, c.name);
              if (key == "type") {
                TypeCheck t;
                check_entries(v, what, "is", true, {}, t,
                              [&](const std::string&, const YAML::Node& x) { t.type = column_type(x, what); });
                c.type = t;
              } else if (key == "nullable") {
                NullableCheck n;
                check_entries(v, what, "is", false, {}, n,
                              [&](const std::string&, const YAML::Node& x) { n.allowed = boolean(x, what); });
                c.nullable = n;
              } else if (key == "present") {
                PresentCheck p;
                check_entries(v, what, "min", false, {}, p,
                              [&](const std::string&, const YAML::Node& x) { p.min = share(x, what); });
                c.present = p;
              } else if (key == "unique") {
                UniqueCheck u;
                check_entries(v, what, "is", true, {}, u,
                              [&](const std::string&, const YAML::Node& x) { u.unique = boolean(x, what); });
                c.unique = u;
              } else if (key == "values") {
                ValuesCheck vals;
                check_entries(v, what, "in", true, {}, vals, [&](const std::string&, const YAML::Node& x) {
                  if (!x.IsSequence()) fail(x, fmt::format("{} must be a list of values", what));
                  for (const auto& item : x) vals.allowed.push_back(scalar(item, "a value"));
                  if (vals.allowed.empty()) fail(x, fmt::format("{} lists no values", what));
                });
                c.values = vals;
              } else if (key == "range") {
                RangeCheck r;
                check_entries(v, what, "", true, {"min", "max"}, r, [&](const std::string& k, const YAML::Node& x) {
                  (k == "min" ? r.min : r.max) = scalar(x, what);
                });
                if (!r.min && !r.max) fail(v, fmt::format("{} needs min, max or both", what));
                c.range = r;
              } else if (key == "length") {
                LengthCheck l;
                check_entries(v, what, "", true, {"min", "max"}, l, [&](const std::string& k, const YAML::Node& x) {
                  (k == "min" ? l.min : l.max) = count(x, what);
                });
                if (!l.min && !l.max) fail(v, fmt::format("{} needs min, max or both", what));
                if (l.min && l.max && *l.min > *l.max) fail(v, fmt::format("{}: min is above max", what));
                c.length = l;
              } else if (key == "regex") {
                RegexCheck r;
                check_entries(v, what, "pattern", true, {}, r,
                              [&](const std::string&, const YAML::Node& x) { r.pattern = scalar(x, what); });
                RE2::Options options;
                options.set_log_errors(false);
                RE2 re(r.pattern, options);
                if (!re.ok())
                  fail(v, fmt::format("bad regex in {}: {}", what, re.error()),
                       "the syntax is RE2's (github.com/google/re2/wiki/Syntax)");
                c.regex = r;
              }
            });
    check_fits_type(node, c);
    return c;
  }

  // Range bounds and listed values must be of the column's type; a range needs an ordered type.
  void check_fits_type(const YAML::Node& node, const ColumnRules& c) const {
    const Type type = c.value_type();
    auto where = [&](std::string_view key) { return node[std::string(key)]; };
    if (c.range) {
      if (type == Type::string || type == Type::boolean) {
        fail(where("range"),
             fmt::format("column '{}' has a range, which needs type int, float, date or datetime", c.name),
             "use 'length' for the length of strings, 'values' for a set");
      }
      double lo = 0, hi = 0;
      for (const auto* bound : {&c.range->min, &c.range->max}) {
        double key;
        if (*bound && !typed_key(type, **bound, false, key)) {
          fail(where("range"),
               fmt::format("range bound '{}' of column '{}' is not a {}", **bound, c.name, to_string(type)));
        }
        (bound == &c.range->min ? lo : hi) = *bound ? key : 0;
      }
      if (c.range->min && c.range->max && lo > hi)
        fail(where("range"), fmt::format("range of column '{}': min is above max", c.name));
    }
    if (c.values && type != Type::string) {
      for (const auto& v : c.values->allowed) {
        if (!is_of_type(type, v, false)) {
          fail(where("values"), fmt::format("value '{}' of column '{}' is not a {}", v, c.name, to_string(type)));
        }
      }
    }
    if (c.nullable && !c.nullable->allowed && c.present) {
      fail(where("present"), fmt::format("column '{}' has both 'nullable: false' and 'present'", c.name),
           "give one: nullable: false means every row has a value");
    }
  }

  std::string name_;
};

}  // namespace

Result<Schema> parse_schema(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return std::unexpected(bad_input(fmt::format("'{}' line {}: {}", name, e.mark.line + 1, e.msg),
                                     "fix the YAML syntax (indentation, colons, quotes)"));
  }
  try {
    return SchemaReader(name).read(root);
  } catch (const SchemaError& e) {
    return std::unexpected(e.error);
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("'{}' line {}: {}", name, e.mark.line + 1, e.msg),
                                     "see docs/schema.md ('The schema file') for every key"));
  }
}

Result<Schema> load_schema(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  return parse_schema(*text, path);
}

}  // namespace mlops::schema
