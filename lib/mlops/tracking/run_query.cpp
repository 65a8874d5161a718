#include "mlops/tracking/run_query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace mlops::tracking {

namespace {

constexpr std::string_view kAttributes[] = {"id",         "name",       "status",   "user",      "host",
                                            "start_time", "end_time",   "duration", "exit_code", "command",
                                            "git.commit", "git.branch", "git.dirty"};

bool has_prefix_key(std::string_view key) {
  for (std::string_view prefix : {"metrics.", "params.", "tags."}) {
    if (key.starts_with(prefix) && key.size() > prefix.size()) return true;
  }
  return false;
}

// <0, 0, >0; missing values sort last whatever the direction, then by id (newest first).
int compare_values(const std::optional<Value>& a, const std::optional<Value>& b) {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  auto* x = std::get_if<double>(&*a);
  auto* y = std::get_if<double>(&*b);
  if (x && y) {
    if (std::isnan(*x) || std::isnan(*y)) return std::isnan(*x) ? (std::isnan(*y) ? 0 : 1) : -1;
    return *x < *y ? -1 : *x > *y ? 1 : 0;
  }
  if (x || y) return x ? -1 : 1;  // numbers before text
  return std::get<std::string>(*a).compare(std::get<std::string>(*b));
}

}  // namespace

std::vector<std::string_view> run_attributes() { return {std::begin(kAttributes), std::end(kAttributes)}; }

bool is_run_key(std::string_view key) {
  return has_prefix_key(key) || std::find(std::begin(kAttributes), std::end(kAttributes), key) != std::end(kAttributes);
}

std::optional<Value> run_attribute(const RunRecord& run, std::string_view key) {
  if (key == "id") return run.id;
  if (key == "name") return run.name;
  if (key == "status") return run.status;
  if (key == "user") return run.user;
  if (key == "host") return run.host;
  if (key == "start_time") return run.start_time;
  if (key == "end_time") return run.end_time ? std::optional<Value>(*run.end_time) : std::nullopt;
  if (key == "duration") return run.duration ? std::optional<Value>(*run.duration) : std::nullopt;
  if (key == "exit_code") return run.exit_code ? std::optional<Value>(double(*run.exit_code)) : std::nullopt;
  if (key == "command") return fmt::format("{}", fmt::join(run.command, " "));
  if (key == "git.commit") return run.git_commit.empty() ? std::nullopt : std::optional<Value>(run.git_commit);
  if (key == "git.branch") return run.git_branch.empty() ? std::nullopt : std::optional<Value>(run.git_branch);
  if (key == "git.dirty") return std::string(run.git_dirty ? "true" : "false");
  return std::nullopt;
}

Result<void> check_run_keys(const Query& query) {
  for (const Comparison* comparison : query.comparisons()) {
    if (!is_run_key(comparison->key)) {
      return std::unexpected(
          query_error(query.text(), comparison->position,
                      fmt::format("unknown key '{}': use metrics.NAME, params.NAME, tags.NAME or one of {}",
                                  comparison->key, fmt::join(kAttributes, ", "))));
    }
  }
  return {};
}

Result<std::vector<SelectedRun>> select_runs(RunStore& store, const RunSelection& selection) {
  std::vector<std::string> keys;
  auto want = [&](const std::string& key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  };
  if (selection.where) {
    if (auto checked = check_run_keys(*selection.where); !checked) return std::unexpected(checked.error());
    for (const auto& key : selection.where->keys()) want(key);
  }
  if (selection.sort) {
    if (!is_run_key(selection.sort->key)) {
      return std::unexpected(bad_input(fmt::format("unknown sort key '{}'", selection.sort->key),
                                       "sort by metrics.NAME, params.NAME, tags.NAME, start_time, name, ..."));
    }
    want(selection.sort->key);
  }
  for (const auto& key : selection.columns) want(key);

  auto runs = store.list_runs(std::find(keys.begin(), keys.end(), "command") != keys.end());
  if (!runs) return std::unexpected(runs.error());
  // Values of metrics./params./tags. keys, fetched one key at a time for every run.
  std::unordered_map<std::string, std::unordered_map<std::string, Value>> columns;
  for (const auto& key : keys) {
    if (!has_prefix_key(key)) continue;
    auto& column = columns[key];
    if (key.starts_with("metrics.")) {
      auto values = store.column_metric(std::string_view(key).substr(8));
      if (!values) return std::unexpected(values.error());
      for (auto& [id, value] : *values) column.emplace(id, value);
    } else {
      auto values = store.column_text(key);
      if (!values) return std::unexpected(values.error());
      for (auto& [id, value] : *values) column.emplace(id, std::move(value));
    }
  }

  std::vector<SelectedRun> matched;
  matched.reserve(runs->size());
  for (auto& run : *runs) {
    auto lookup = [&](std::string_view key) -> std::optional<Value> {
      if (has_prefix_key(key)) {
        auto column = columns.find(std::string(key));
        if (column == columns.end()) return std::nullopt;
        auto value = column->second.find(run.id);
        if (value == column->second.end()) return std::nullopt;
        return value->second;
      }
      return run_attribute(run, key);
    };
    if (selection.where && !selection.where->matches(lookup)) continue;
    SelectedRun item;
    for (const auto& key : keys) {
      if (auto value = lookup(key)) item.values.emplace(key, std::move(*value));
    }
    item.run = std::move(run);
    matched.push_back(std::move(item));
  }
  // Sorted through pointers: a run record is large, and each is moved once, into the result.
  std::vector<SelectedRun*> order;
  order.reserve(matched.size());
  for (auto& item : matched) order.push_back(&item);
  if (selection.sort) {
    const auto& sort = *selection.sort;
    auto value_of = [&](const SelectedRun* item) -> std::optional<Value> {
      auto it = item->values.find(sort.key);
      return it == item->values.end() ? std::nullopt : std::optional<Value>(it->second);
    };
    std::stable_sort(order.begin(), order.end(), [&](const SelectedRun* a, const SelectedRun* b) {
      auto x = value_of(a), y = value_of(b);
      if (!x || !y) return x.has_value() && !y.has_value();  // missing last
      int cmp = compare_values(x, y);
      return sort.descending ? cmp > 0 : cmp < 0;
    });
  }
  if (selection.limit > 0 && order.size() > selection.limit) order.resize(selection.limit);
  std::vector<SelectedRun> selected;
  selected.reserve(order.size());
  for (auto* item : order) selected.push_back(std::move(*item));
  return selected;
}

}  // namespace mlops::tracking
