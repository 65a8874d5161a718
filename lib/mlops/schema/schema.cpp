#include "mlops/schema/schema.hpp"

#include <array>
#include <utility>

namespace mlops::schema {

namespace {

constexpr std::array<std::pair<Type, std::string_view>, 6> kTypes{{{Type::integer, "int"},
                                                                   {Type::floating, "float"},
                                                                   {Type::string, "string"},
                                                                   {Type::boolean, "bool"},
                                                                   {Type::date, "date"},
                                                                   {Type::datetime, "datetime"}}};
constexpr std::array<std::pair<ColumnsRule, std::string_view>, 4> kColumnsRules{
    {{ColumnsRule::exact, "exact"},
     {ColumnsRule::extra_allowed, "extra_allowed"},
     {ColumnsRule::missing_allowed, "missing_allowed"},
     {ColumnsRule::extra_and_missing_allowed, "extra_and_missing_allowed"}}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Severity s) { return s == Severity::error ? "error" : "warn"; }
std::string_view to_string(Type t) { return name_of(kTypes, t); }
std::string_view to_string(ColumnsRule r) { return name_of(kColumnsRules, r); }

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::error;
  if (text == "warn") return Severity::warn;
  return std::nullopt;
}
std::optional<Type> parse_type(std::string_view text) { return value_of(kTypes, text); }
std::optional<ColumnsRule> parse_columns_rule(std::string_view text) { return value_of(kColumnsRules, text); }

}  // namespace mlops::schema
