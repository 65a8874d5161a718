// Reading the price table (YAML) and pricing a call.
#include "mlops/trace/prices.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "mlops/core/file.hpp"

namespace mlops::trace {

namespace {

Result<double> price_field(const YAML::Node& node, const char* field, const std::string& model,
                           const std::string& name) {
  try {
    double v = node[field].as<double>();
    if (v < 0) throw YAML::Exception(node.Mark(), "negative");
    return v;
  } catch (const YAML::Exception&) {
    return std::unexpected(bad_input(
        fmt::format("'{}': model '{}': '{}' is not a price (a number of USD per million tokens)", name, model, field),
        "for example: gpt-4o-mini: {input: 0.15, output: 0.60}"));
  }
}

}  // namespace

Result<PriceTable> PriceTable::load(const std::string& path) {
  auto text = read_file(path);
  if (!text) {
    Error e = text.error();
    if (e.hint.empty()) e.hint = "give the price table you keep (docs/traces.md, \"Prices\")";
    return std::unexpected(std::move(e));
  }
  return parse(*text, path);
}

Result<PriceTable> PriceTable::parse(std::string_view yaml_text, const std::string& name) {
  const char* example = "write prices per million tokens: models: {gpt-4o-mini: {input: 0.15, output: 0.60}}";
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    std::string where =
        e.mark.is_null() ? fmt::format("'{}'", name) : fmt::format("'{}', line {}", name, e.mark.line + 1);
    return std::unexpected(bad_input(fmt::format("{} is not valid YAML: {}", where, e.msg), example));
  }
  if (!root.IsMap() || !root["models"] || !root["models"].IsMap())
    return std::unexpected(bad_input(fmt::format("'{}' has no 'models' map", name), example));
  if (root["currency"] && root["currency"].as<std::string>("") != "USD") {
    return std::unexpected(
        bad_input(fmt::format("'{}': currency '{}' is not supported", name, root["currency"].as<std::string>("")),
                  "write prices in USD (cost_usd)"));
  }
  PriceTable table;
  for (const auto& entry : root["models"]) {
    auto model = entry.first.as<std::string>("");
    const YAML::Node& fields = entry.second;
    if (model.empty() || !fields.IsMap())
      return std::unexpected(
          bad_input(fmt::format("'{}': model '{}' needs input and output prices", name, model), example));
    for (const auto& f : fields) {
      auto key = f.first.as<std::string>("");
      if (key != "input" && key != "output" && key != "cached_input")
        return std::unexpected(bad_input(fmt::format("'{}': model '{}': unknown field '{}'", name, model, key),
                                         "the fields are input, output and cached_input"));
    }
    Price price;
    if (fields["input"]) {
      auto v = price_field(fields, "input", model, name);
      if (!v) return std::unexpected(v.error());
      price.input = *v;
      price.has_input = true;
    }
    if (fields["output"]) {
      auto v = price_field(fields, "output", model, name);
      if (!v) return std::unexpected(v.error());
      price.output = *v;
      price.has_output = true;
    }
    if (fields["cached_input"]) {
      auto v = price_field(fields, "cached_input", model, name);
      if (!v) return std::unexpected(v.error());
      price.cached_input = *v;
    }
    table.models_[model] = price;
  }
  return table;
}

const Price* PriceTable::find(std::string_view model) const {
  if (auto it = models_.find(model); it != models_.end()) return &it->second;
  const Price* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& [name, price] : models_) {
    if (name.size() > best_length && model.size() > name.size() && model.starts_with(name) &&
        model[name.size()] == '-') {
      best = &price;
      best_length = name.size();
    }
  }
  return best;
}

double PriceTable::cost(const Price& price, std::int64_t input, std::int64_t cached, std::int64_t output) {
  cached = std::clamp<std::int64_t>(cached, 0, input);
  double cached_price = price.cached_input.value_or(price.input);
  return (static_cast<double>(input - cached) * price.input + static_cast<double>(cached) * cached_price +
          static_cast<double>(output) * price.output) /
         1e6;
}

}  // namespace mlops::trace
