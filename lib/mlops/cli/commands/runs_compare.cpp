// `mlops runs compare ID ID... [--json]`: params and final metrics side by side.
#include <fmt/format.h>

#include <set>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct RunsCompareOptions {
  std::vector<std::string> ids;
};

int run_runs_compare(const RunsCompareOptions& options) {
  if (options.ids.size() < 2) {
    throw Failure(bad_input("compare needs at least two runs", "mlops runs compare ID ID..."));
  }
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  std::vector<tracking::RunRecord> runs;
  for (const auto& given : options.ids) runs.push_back(unwrap(store.get(unwrap(store.resolve(given)))));

  std::set<std::string> param_keys, metric_keys;
  for (const auto& run : runs) {
    for (const auto& [key, value] : run.params) param_keys.insert(key);
    for (const auto& [key, point] : run.metrics) metric_keys.insert(key);
  }
  auto param_of = [](const tracking::RunRecord& run, const std::string& key) -> std::optional<std::string> {
    auto it = run.params.find(key);
    return it == run.params.end() ? std::nullopt : std::optional(it->second);
  };
  auto metric_of = [](const tracking::RunRecord& run, const std::string& key) -> std::optional<double> {
    auto it = run.metrics.find(key);
    return it == run.metrics.end() ? std::nullopt : std::optional(it->second.value);
  };
  auto differs = [&](auto&& value_of, const std::string& key) {
    std::optional<std::string> first;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      auto value = value_of(runs[i], key);
      std::string text = value ? fmt::format("{}", *value) : std::string("\x01");  // missing differs from any value
      if (i == 0)
        first = text;
      else if (text != *first)
        return true;
    }
    return false;
  };

  if (out::settings().json) {
    using ojson = nlohmann::ordered_json;
    ojson doc;
    ojson ids = ojson::array();
    for (const auto& run : runs)
      ids.push_back({{"id", run.id}, {"name", run.name}, {"status", tracking::to_string(run.status)}});
    doc["runs"] = std::move(ids);
    ojson params = ojson::object();
    for (const auto& key : param_keys) {
      ojson values = ojson::object();
      for (const auto& run : runs) {
        auto value = param_of(run, key);
        values[run.id] = value ? ojson(*value) : ojson(nullptr);
      }
      params[key] = {{"values", std::move(values)}, {"different", differs(param_of, key)}};
    }
    doc["params"] = std::move(params);
    ojson metrics = ojson::object();
    for (const auto& key : metric_keys) {
      ojson values = ojson::object();
      for (const auto& run : runs) {
        auto value = metric_of(run, key);
        values[run.id] = value ? tracking::metric_value_json(*value) : ojson(nullptr);
      }
      metrics[key] = {{"values", std::move(values)}, {"different", differs(metric_of, key)}};
    }
    doc["metrics"] = std::move(metrics);
    out::print_json(doc);
    return 0;
  }

  std::vector<std::string> header{"", "KEY"};
  for (const auto& run : runs) header.push_back(run.name.empty() ? run.id : fmt::format("{} ({})", run.id, run.name));
  out::Table table(header);
  for (std::size_t i = 2; i < header.size(); ++i) table.right_align(i);
  auto add = [&](const std::string& label, bool different, std::vector<std::string> cells) {
    std::vector<std::string> row{different ? out::paint("*", out::Style::yellow) : " ", label};
    for (auto& cell : cells) row.push_back(different ? out::paint(cell, out::Style::yellow) : cell);
    table.add_row(std::move(row));
  };
  for (const auto& key : param_keys) {
    std::vector<std::string> cells;
    for (const auto& run : runs) cells.push_back(param_of(run, key).value_or("-"));
    add("params." + key, differs(param_of, key), std::move(cells));
  }
  for (const auto& key : metric_keys) {
    std::vector<std::string> cells;
    for (const auto& run : runs) {
      auto value = metric_of(run, key);
      cells.push_back(value ? display_number(*value) : "-");
    }
    add("metrics." + key, differs(metric_of, key), std::move(cells));
  }
  if (table.empty()) {
    out::note("these runs have no params or metrics to compare");
    return 0;
  }
  out::print(table.render());
  out::note("* marks values that differ between the runs");
  return 0;
}

}  // namespace

void add_runs_compare(CLI::App& group) {
  auto options = std::make_shared<RunsCompareOptions>();
  auto* command = add_command(group, "compare", "Show the params and final metrics of runs side by side",
                              [options] { return run_runs_compare(*options); });
  command->add_option("ids", options->ids, "Two or more runs (ids or unambiguous prefixes)")
      ->required()
      ->option_text("ID ID...");
  add_json_flag(*command);
}

}  // namespace mlops::cli
