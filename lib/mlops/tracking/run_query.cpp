#include "mlops/tracking/run_query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>

#include "mlops/core/suggest.hpp"

namespace mlops::tracking {

namespace {

constexpr std::string_view kAttributes[] = {"id",         "name",       "status",    "user",      "host",
                                            "start_time", "end_time",   "duration",  "exit_code", "command",
                                            "git.commit", "git.branch", "git.dirty", "data.dirty"};

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
  if (key == "status") return std::string(to_string(run.status));
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
  if (key == "data.dirty") return std::string(run.data_dirty ? "true" : "false");
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

namespace {

// The values of the metrics./params./tags. keys among `keys` for every run: key -> run id -> value.
using Columns = std::unordered_map<std::string, std::unordered_map<std::string, Value>>;
Result<Columns> read_columns(RunStore& store, const std::vector<std::string>& keys) {
  Columns columns;
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
  return columns;
}

// Adds to each of `runs` its values of `keys` (metrics./params./tags. keys and attributes).
Result<void> add_values(RunStore& store, std::vector<SelectedRun>& runs, const std::vector<std::string>& keys) {
  std::vector<std::string> ids;
  ids.reserve(runs.size());
  for (const auto& item : runs) ids.push_back(item.run.id);
  for (const auto& key : keys) {
    if (key.starts_with("metrics.") && has_prefix_key(key)) {
      MLOPS_TRY(store.visit_final_metrics(
          ids, [&](std::size_t run, std::string_view, double value) { runs[run].values.emplace(key, value); },
          std::string_view(key).substr(8)));
    } else if (has_prefix_key(key)) {
      auto dot = key.find('.');
      MLOPS_TRY(store.visit_pairs(
          key.substr(0, dot), ids,
          [&](std::size_t run, std::string_view, std::string_view value) {
            runs[run].values.emplace(key, std::string(value));
          },
          std::string_view(key).substr(dot + 1)));
    } else {
      for (auto& item : runs) {
        if (auto value = run_attribute(item.run, key)) item.values.emplace(key, std::move(*value));
      }
    }
  }
  return {};
}

std::optional<Value> column_value(const Columns& columns, const std::string& key, const std::string& id) {
  auto column = columns.find(key);
  if (column == columns.end()) return std::nullopt;
  auto value = column->second.find(id);
  if (value == column->second.end()) return std::nullopt;
  return value->second;
}

}  // namespace

Result<std::vector<SelectedRun>> select_runs(RunStore& store, const RunSelection& selection) {
  auto page = select_page(store, selection);
  if (!page) return std::unexpected(page.error());
  return std::move(page->runs);
}

Result<RunPage> select_page(RunStore& store, const RunSelection& selection) {
  // The keys that choose the runs (where, sort) and those only shown (columns).
  std::vector<std::string> choosing;
  std::vector<std::string> shown;
  auto want = [](std::vector<std::string>& keys, const std::string& key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  };
  if (selection.where) {
    if (auto checked = check_run_keys(*selection.where); !checked) return std::unexpected(checked.error());
    for (const auto& key : selection.where->keys()) want(choosing, key);
  }
  if (selection.sort) {
    if (!is_run_key(selection.sort->key)) {
      return std::unexpected(bad_input(fmt::format("unknown sort key '{}'", selection.sort->key),
                                       "sort by metrics.NAME, params.NAME, tags.NAME, start_time, name, ..."));
    }
    want(choosing, selection.sort->key);
  }
  for (const auto& key : choosing) want(shown, key);
  for (const auto& key : selection.columns) want(shown, key);
  bool with_command = std::find(shown.begin(), shown.end(), "command") != shown.end();

  // The candidates, newest first. Runs are read whole (without params, metrics, tags) only when
  // an attribute chooses them; else by id, and whole only once chosen. Without where or sort,
  // SQLite itself reads only the page (offset and limit) and counts the runs.
  std::vector<SelectedRun> candidates;
  const bool chosen_by_store = !selection.where && !selection.sort;
  std::size_t total = 0;
  bool whole = chosen_by_store;
  if (!whole) {
    whole = std::any_of(choosing.begin(), choosing.end(), [](const std::string& key) { return !has_prefix_key(key); });
  }
  if (chosen_by_store) {
    auto count = store.count_runs();
    if (!count) return std::unexpected(count.error());
    total = *count;
  }
  if (whole) {
    auto runs = chosen_by_store ? store.list_runs(with_command, selection.limit, selection.offset)
                                : store.list_runs(with_command);
    if (!runs) return std::unexpected(runs.error());
    candidates.resize(runs->size());
    for (std::size_t i = 0; i < runs->size(); ++i) candidates[i].run = std::move((*runs)[i]);
  } else {
    auto ids = store.list_ids();
    if (!ids) return std::unexpected(ids.error());
    candidates.resize(ids->size());
    for (std::size_t i = 0; i < ids->size(); ++i) candidates[i].run.id = std::move((*ids)[i]);
  }

  std::vector<SelectedRun*> order;
  order.reserve(candidates.size());
  if (selection.where || selection.sort) {
    auto columns = read_columns(store, choosing);
    if (!columns) return std::unexpected(columns.error());
    for (auto& item : candidates) {
      auto lookup = [&](std::string_view key) -> std::optional<Value> {
        if (has_prefix_key(key)) return column_value(*columns, std::string(key), item.run.id);
        return run_attribute(item.run, key);
      };
      if (selection.where && !selection.where->matches(lookup)) continue;
      for (const auto& key : choosing) {
        if (auto value = lookup(key)) item.values.emplace(key, std::move(*value));
      }
      order.push_back(&item);
    }
  } else {
    for (auto& item : candidates) order.push_back(&item);
  }
  // Sorted through pointers: a run record is large, and each is moved once, into the result.
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
  if (!chosen_by_store) {
    total = order.size();
    order.erase(order.begin(), order.begin() + static_cast<long>(std::min(selection.offset, order.size())));
    if (selection.limit > 0 && order.size() > selection.limit) order.resize(selection.limit);
  }
  std::vector<SelectedRun> selected;
  selected.reserve(order.size());
  for (auto* item : order) selected.push_back(std::move(*item));

  if (!whole) {
    std::vector<std::string> ids;
    ids.reserve(selected.size());
    for (const auto& item : selected) ids.push_back(item.run.id);
    auto runs = store.list_runs_of(ids, with_command);
    if (!runs) return std::unexpected(runs.error());
    if (runs->size() != selected.size()) {
      // A run deleted between the two reads: keep those still there.
      std::unordered_map<std::string, RunRecord> by_id;
      for (auto& run : *runs) by_id.emplace(run.id, std::move(run));
      std::vector<SelectedRun> kept;
      for (auto& item : selected) {
        if (auto it = by_id.find(item.run.id); it != by_id.end()) {
          item.run = std::move(it->second);
          kept.push_back(std::move(item));
        }
      }
      selected = std::move(kept);
    } else {
      for (std::size_t i = 0; i < selected.size(); ++i) selected[i].run = std::move((*runs)[i]);
    }
  }
  // The values of the keys only shown, for the selected runs only.
  std::vector<std::string> only_shown;
  for (const auto& key : shown) {
    if (std::find(choosing.begin(), choosing.end(), key) == choosing.end()) only_shown.push_back(key);
  }
  MLOPS_TRY(add_values(store, selected, only_shown));
  return RunPage{std::move(selected), total};
}

Result<std::vector<RunColumn>> varying_columns(RunStore& store, const std::vector<SelectedRun>& runs) {
  std::vector<RunColumn> varying;
  if (runs.size() < 2) return varying;
  std::vector<std::string> ids;
  ids.reserve(runs.size());
  for (const auto& item : runs) ids.push_back(item.run.id);
  // Every key's column; rows come grouped by key (or by run, when a few runs are read one by
  // one), so the column of the last key is looked up once per group.
  using Table = std::map<std::string, RunColumn, std::less<>>;
  Table params;
  Table metrics;
  RunColumn* last = nullptr;
  auto column = [&](Table& table, std::string_view key) -> RunColumn& {
    if (!last || last->key != key) {
      auto it = table.find(key);
      if (it == table.end()) {
        it = table.emplace(std::string(key), RunColumn{std::string(key), {}}).first;
        it->second.values.resize(runs.size());
      }
      last = &it->second;
    }
    return *last;
  };
  MLOPS_TRY(store.visit_pairs("params", ids, [&](std::size_t run, std::string_view key, std::string_view value) {
    column(params, key).values[run] = std::string(value);
  }));
  last = nullptr;
  MLOPS_TRY(store.visit_final_metrics(
      ids, [&](std::size_t run, std::string_view key, double value) { column(metrics, key).values[run] = value; }));
  auto same = [](const std::optional<Value>& a, const std::optional<Value>& b) {
    if (!a || !b) return !a && !b;
    auto* x = std::get_if<double>(&*a);
    auto* y = std::get_if<double>(&*b);
    if (x && y && std::isnan(*x) && std::isnan(*y)) return true;
    return *a == *b;
  };
  for (auto [table, prefix] : {std::pair{&params, "params."}, std::pair{&metrics, "metrics."}}) {
    for (auto& [name, values] : *table) {
      const auto& all = values.values;
      bool varies =
          std::any_of(all.begin() + 1, all.end(), [&](const auto& value) { return !same(all.front(), value); });
      if (!varies) continue;
      values.key = prefix + name;
      varying.push_back(std::move(values));
    }
  }
  return varying;
}

Result<std::vector<std::string>> unknown_key_warnings(RunStore& store, const std::vector<std::string>& keys) {
  std::vector<std::string> warnings, known, seen;
  bool loaded = false;
  for (const auto& key : keys) {
    if (!key.starts_with("params.") && !key.starts_with("metrics.") && !key.starts_with("tags.")) continue;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    if (!loaded) {
      for (std::string_view kind : {"params", "metrics", "tags"}) {
        auto names = store.keys(kind);
        if (!names) return std::unexpected(names.error());
        for (const auto& name : *names) known.push_back(fmt::format("{}.{}", kind, name));
      }
      loaded = true;
    }
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string suggestion = closest(key, known);
    warnings.push_back(
        fmt::format("no run has '{}'{}", key,
                    suggestion.empty() ? std::string() : fmt::format(": did you mean '{}'?", suggestion)));
  }
  return warnings;
}

}  // namespace mlops::tracking
