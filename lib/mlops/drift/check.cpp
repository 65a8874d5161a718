#include "mlops/drift/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "mlops/core/parallel.hpp"
#include "mlops/drift/sort.hpp"
#include "mlops/drift/stats.hpp"

namespace mlops::drift {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::prediction:
      return "prediction";
    case Role::target:
      return "target";
    case Role::feature:
      return "feature";
  }
  return "feature";
}

std::string method_label(const ColumnResult& c) {
  if (!c.instead_of) return std::string(to_string(c.method));
  return fmt::format("{} (profile bins, not {})", to_string(c.method), to_string(*c.instead_of));
}

double ColumnResult::reference_missing_share() const {
  return reference_rows ? static_cast<double>(reference_missing) / static_cast<double>(reference_rows) : 0.0;
}
double ColumnResult::current_missing_share() const {
  return current_rows ? static_cast<double>(current_missing) / static_cast<double>(current_rows) : 0.0;
}

std::vector<double> reference_bin_edges(const std::vector<double>& sorted) {
  const double lo = sorted.front(), hi = sorted.back();
  auto k = static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(sorted.size())) + 1.0));
  k = std::max<std::size_t>(k, 1);
  const double step = (hi - lo) / static_cast<double>(k);
  std::vector<double> inner;
  for (std::size_t i = 1; i < k; ++i) inner.push_back(static_cast<double>(i) * step + lo);
  return inner;
}

std::uint64_t distinct_sorted(const std::vector<double>& v) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i == 0 || v[i] != v[i - 1]) ++n;
  }
  return n;
}

std::vector<double> reference_bin_counts(const std::vector<double>& sorted, const std::vector<double>& inner) {
  std::vector<double> counts;
  std::size_t prev = 0;
  for (double e : inner) {
    auto pos = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), e) - sorted.begin());
    counts.push_back(static_cast<double>(pos - prev));
    prev = pos;
  }
  counts.push_back(static_cast<double>(sorted.size() - prev));
  return counts;
}

ColumnType detect_type(const Column& ref, const Column& cur, std::uint64_t ref_distinct) {
  if (!ref.numeric || !cur.numeric) return ColumnType::categorical;
  const bool ref_empty = ref.bins ? ref.bins->values == 0 : ref.values.empty();
  std::uint64_t n = ref_empty ? distinct_sorted(cur.values) : ref_distinct;
  return (ref.integral && cur.integral && n <= 5) ? ColumnType::categorical : ColumnType::numeric;
}

namespace {

std::uint64_t distinct_union(const std::vector<double>& a, const std::vector<double>& b) {
  // A branch-free merge counting each new value once.
  std::uint64_t n = 0;
  std::size_t i = 0, j = 0;
  double last = -std::numeric_limits<double>::infinity();
  bool first = true;
  while (i < a.size() && j < b.size()) {
    const bool take_a = a[i] <= b[j];
    const double x = take_a ? a[i] : b[j];
    n += (first || x != last);
    first = false;
    last = x;
    i += take_a;
    j += !take_a;
  }
  for (; i < a.size(); ++i, first = false) {
    n += (first || a[i] != last);
    last = a[i];
  }
  for (; j < b.size(); ++j, first = false) {
    n += (first || b[j] != last);
    last = b[j];
  }
  return n;
}

// Counts per category on each side, over the union of categories (sorted by name).
struct Categories {
  std::vector<std::string> keys;
  std::vector<double> reference, current;
  double reference_total = 0, current_total = 0;
};

void count_side(const Column& col, std::unordered_map<std::string, std::pair<double, double>>& into, bool reference) {
  auto add = [&](const std::string& key, double n) {
    auto& slot = into[key];
    (reference ? slot.first : slot.second) += n;
  };
  if (col.numeric) {
    for (std::size_t i = 0; i < col.values.size();) {
      std::size_t j = i;
      while (j < col.values.size() && col.values[j] == col.values[i]) ++j;
      add(number_label(col.values[i]), static_cast<double>(j - i));
      i = j;
    }
  } else {
    for (const auto& [k, n] : col.counts) add(k, static_cast<double>(n));
  }
}

Categories categories_of(const Column& ref, const Column& cur) {
  std::unordered_map<std::string, std::pair<double, double>> map;
  count_side(ref, map, true);
  count_side(cur, map, false);
  Categories c;
  c.keys.reserve(map.size());
  for (const auto& [k, v] : map) c.keys.push_back(k);
  std::sort(c.keys.begin(), c.keys.end());
  for (const auto& k : c.keys) {
    const auto& v = map[k];
    c.reference.push_back(v.first);
    c.current.push_back(v.second);
    c.reference_total += v.first;
    c.current_total += v.second;
  }
  return c;
}

// Shares per bin (numeric columns with more than 20 distinct reference values) or per value.
struct Shares {
  std::vector<std::string> labels;
  std::vector<double> reference, current;
};

std::string short_number(double v) { return fmt::format("{:.4g}", v); }

Shares shares_of(ColumnType type, const Column& ref, const Column& cur, const Categories* cats,
                 std::uint64_t ref_distinct) {
  Shares s;
  if (type == ColumnType::numeric && ref_distinct > 20) {
    // A profile keeps the bins it computed from the reference; else they come from the values.
    auto inner = ref.bins ? ref.bins->inner : reference_bin_edges(ref.values);
    s.reference = ref.bins ? ref.bins->counts : reference_bin_counts(ref.values, inner);
    s.current = reference_bin_counts(cur.values, inner);
    for (std::size_t i = 0; i <= inner.size(); ++i) {
      std::string lo = i == 0 ? "-inf" : short_number(inner[i - 1]);
      std::string hi = i == inner.size() ? "inf" : short_number(inner[i]);
      s.labels.push_back(fmt::format("[{}, {})", lo, hi));
    }
    double nr = static_cast<double>(ref.bins ? ref.bins->values : ref.values.size()),
           nc = static_cast<double>(cur.values.size());
    for (auto& x : s.reference) x /= nr;
    for (auto& x : s.current) x /= nc;
    return s;
  }
  s.labels = cats->keys;
  for (std::size_t i = 0; i < cats->keys.size(); ++i) {
    s.reference.push_back(cats->reference[i] / cats->reference_total);
    s.current.push_back(cats->current[i] / cats->current_total);
  }
  return s;
}

bool applicable(Method m, ColumnType type, std::uint64_t distinct) {
  if (m == Method::ks || m == Method::wasserstein) return type == ColumnType::numeric;
  if (m == Method::ztest) return distinct <= 2;
  return true;
}

struct Work {
  std::string name;
  Role role;
  std::optional<ColumnResult> result;
  std::optional<SkippedColumn> skipped;
  std::optional<Error> error;
};

void analyse(Work& w, Column& ref, Column& cur, const CheckOptions& options) {
  const std::string& name = w.name;
  // The command line's override, else the one the profile was made with.
  const bool named = names_contain(options.numeric, name) || names_contain(options.categorical, name);
  const bool forced_numeric = names_contain(options.numeric, name) || (!named && ref.forced_type == 1);
  const bool forced_categorical = names_contain(options.categorical, name) || (!named && ref.forced_type == 2);
  if (forced_numeric && (!ref.numeric || !cur.numeric)) {
    w.error = bad_input(fmt::format("column '{}' has text values in the {} data, so it cannot be --numeric", name,
                                    ref.numeric ? "current" : "reference"),
                        "drop --numeric for it, or clean the column");
    return;
  }
  if (ref.numeric) sort_values(ref.values, ref.decimals);
  if (cur.numeric) sort_values(cur.values, cur.decimals);

  const std::uint64_t ref_distinct = !ref.numeric ? 0 : ref.bins ? ref.bins->distinct : distinct_sorted(ref.values);
  ColumnType type = forced_categorical ? ColumnType::categorical
                    : forced_numeric   ? ColumnType::numeric
                                       : detect_type(ref, cur, ref_distinct);
  // A profile that kept bins for a column cannot count its values one by one.
  auto needs_values = [&](std::string_view what) {
    return bad_input(
        fmt::format("the profile keeps bins for column '{}', not its values: {} needs the count of each value", name,
                    what),
        "use psi or jensenshannon for it, or check against the reference data itself");
  };
  if (ref.bins && type == ColumnType::categorical) {
    w.error = needs_values("a categorical column");
    return;
  }

  ColumnResult r;
  r.name = name;
  r.role = w.role;
  r.type = type;
  r.reference_missing = ref.missing;
  r.current_missing = cur.missing;
  r.reference_non_finite = ref.non_finite;
  r.current_non_finite = cur.non_finite;

  std::optional<Categories> cats;
  bool union_pending = false;
  if (type == ColumnType::categorical) {
    cats = categories_of(ref, cur);
    r.reference_values = static_cast<std::uint64_t>(cats->reference_total);
    r.current_values = static_cast<std::uint64_t>(cats->current_total);
    r.distinct = cats->keys.size();
  } else {
    r.reference_values = ref.bins ? ref.bins->values : ref.values.size();
    r.current_values = cur.values.size();
    // The count across both sides costs a merge. With more than 5 in the reference alone, every
    // decision on it below (> 5, > 2, <= 2) comes out the same from the reference's count, and
    // the exact count is taken later, from the Wasserstein distance's merge when there is one.
    union_pending = ref_distinct > 5;
    r.distinct = union_pending ? ref_distinct : distinct_union(ref.values, cur.values);
  }
  if (r.reference_values == 0 || r.current_values == 0) {
    const char* side = r.reference_values == 0 ? "reference" : "current";
    w.skipped = SkippedColumn{name, fmt::format("no values in the {} data (all missing)", side)};
    return;
  }

  const ColumnSettings* settings = nullptr;
  if (auto it = options.per_column.find(name); it != options.per_column.end()) settings = &it->second;
  if (settings && settings->method) {
    r.method = *settings->method;
  } else if (options.method) {
    r.method = *options.method;
  } else {
    r.method = default_method(type, r.reference_values, r.distinct);
    // A profile has no sample for KS or Wasserstein: its bins judge the column instead.
    if (ref.from_profile && (r.method == Method::ks || r.method == Method::wasserstein)) {
      r.instead_of = r.method;
      r.method = Method::jensenshannon;
    }
  }
  if (ref.from_profile && (r.method == Method::ks || r.method == Method::wasserstein)) {
    w.error =
        bad_input(fmt::format("a profile keeps bins, not the sample: {} needs the reference data itself (column '{}')",
                              to_string(r.method), name),
                  "use psi, jensenshannon, chisquare or ztest with a profile, or check against the reference data");
    return;
  }
  if (ref.bins && r.method == Method::chisquare) {
    w.error = needs_values("chisquare");
    return;
  }
  if (!applicable(r.method, type, r.distinct)) {
    if (union_pending && !ref.bins) r.distinct = distinct_union(ref.values, cur.values);  // for the message
    w.error = r.method == Method::ztest
                  ? bad_input(fmt::format("the Z-test needs a column with two values; '{}' has {}", name, r.distinct),
                              "use chisquare or jensenshannon for it")
                  : bad_input(fmt::format("method '{}' needs a numeric column; '{}' is categorical",
                                          to_string(r.method), name),
                              "use chisquare, psi or jensenshannon for it, or mark it --numeric");
    return;
  }
  r.threshold = default_threshold(r.method);
  if (auto it = options.thresholds.find(r.method); it != options.thresholds.end()) r.threshold = it->second;
  if (settings && settings->threshold) r.threshold = *settings->threshold;

  if (type == ColumnType::numeric && !cats && ref_distinct <= 20) cats = categories_of(ref, cur);
  std::optional<Shares> shares;
  auto need_shares = [&]() -> const Shares& {
    if (!shares) shares = shares_of(type, ref, cur, cats ? &*cats : nullptr, ref_distinct);
    return *shares;
  };

  auto compute = [&](Method m) -> Statistic {
    Statistic s{m};
    switch (m) {
      case Method::ks: {
        KsResult ks = ks_2samp(ref.values, cur.values);
        s.statistic = ks.statistic;
        s.p_value = ks.p_value;
        break;
      }
      case Method::wasserstein: {
        double sd = population_std(ref.values);
        r.constant_reference = sd == 0;
        std::uint64_t distinct = 0;
        s.statistic =
            wasserstein_distance(ref.values, cur.values, union_pending ? &distinct : nullptr) / std::max(sd, 0.001);
        if (union_pending) {
          r.distinct = distinct;
          union_pending = false;
        }
        break;
      }
      case Method::psi: {
        const Shares& sh = need_shares();
        s.statistic = psi(sh.reference, sh.current, kPsiEpsilon);
        break;
      }
      case Method::jensenshannon: {
        const Shares& sh = need_shares();
        s.statistic = jensen_shannon(sh.reference, sh.current);
        break;
      }
      case Method::chisquare: {
        if (!cats) cats = categories_of(ref, cur);
        std::vector<double> expected(cats->reference);
        const double k = cats->current_total / cats->reference_total;
        for (auto& e : expected) e *= k;
        TestResult t = chi_square_gof(cats->current, expected);
        s.statistic = t.statistic;
        s.p_value = t.p_value;
        break;
      }
      case Method::ztest: {
        if (!cats) cats = categories_of(ref, cur);
        auto hits_ref = static_cast<std::uint64_t>(cats->reference[0]);
        auto hits_cur = static_cast<std::uint64_t>(cats->current[0]);
        TestResult t = two_proportion_z(hits_ref, r.reference_values, hits_cur, r.current_values);
        s.statistic = t.statistic;
        s.p_value = t.p_value;
        break;
      }
    }
    return s;
  };

  if (options.all_stats) {
    for (Method m : kAllMethods) {
      const bool from_sample = m == Method::ks || m == Method::wasserstein || (m == Method::chisquare && ref.bins);
      if (applicable(m, type, r.distinct) && !(ref.from_profile && from_sample)) r.stats.push_back(compute(m));
    }
  }
  Statistic main = compute(r.method);
  r.statistic = main.statistic;
  r.p_value = main.p_value;
  // With a profile's bins the reference's own count stands (its values are not there to merge).
  if (union_pending && !ref.bins) r.distinct = distinct_union(ref.values, cur.values);
  r.drifted = is_drift(r.method, r.statistic, r.p_value, r.threshold);
  if (uses_p_value(r.method)) {
    r.severity = r.p_value > 0 ? r.threshold / r.p_value : std::numeric_limits<double>::infinity();
  } else {
    r.severity = r.threshold > 0 ? r.statistic / r.threshold : std::numeric_limits<double>::infinity();
  }

  if (type == ColumnType::categorical && cats) {
    std::vector<std::pair<double, std::string>> unseen;
    for (std::size_t i = 0; i < cats->keys.size(); ++i) {
      if (cats->reference[i] == 0 && cats->current[i] > 0) unseen.emplace_back(-cats->current[i], cats->keys[i]);
    }
    std::sort(unseen.begin(), unseen.end());
    for (auto& [n, k] : unseen) r.unseen.push_back(std::move(k));
  }

  if (options.histograms) {
    const Shares& sh = need_shares();
    // At most 20 bars: the largest categories, the rest summed as "(other)".
    std::vector<std::size_t> order(sh.labels.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (type == ColumnType::categorical && order.size() > 20) {
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sh.reference[a] + sh.current[a] > sh.reference[b] + sh.current[b];
      });
      double other_r = 0, other_c = 0;
      for (std::size_t i = 19; i < order.size(); ++i) {
        other_r += sh.reference[order[i]];
        other_c += sh.current[order[i]];
      }
      order.resize(19);
      for (auto i : order) {
        r.histogram.labels.push_back(sh.labels[i]);
        r.histogram.reference.push_back(sh.reference[i]);
        r.histogram.current.push_back(sh.current[i]);
      }
      r.histogram.labels.push_back("(other)");
      r.histogram.reference.push_back(other_r);
      r.histogram.current.push_back(other_c);
    } else {
      r.histogram = {sh.labels, sh.reference, sh.current};
    }
  }
  w.result = std::move(r);
}

}  // namespace

Result<Report> check_drift(Dataset& reference, Dataset& current, const CheckOptions& options) {
  auto known = [&](const std::string& name) { return reference.find(name) || current.find(name); };
  auto unknown = [&](const std::string& name, std::string_view flag) {
    std::string names;
    for (std::size_t i = 0; i < reference.columns.size() && i < 8; ++i) {
      names += (i ? ", " : "") + reference.columns[i].name;
    }
    if (reference.columns.size() > 8) names += ", ...";
    return bad_input(fmt::format("unknown column '{}' ({})", name, flag), fmt::format("the columns are: {}", names));
  };
  for (const auto& [list, flag] :
       {std::pair{&options.columns, "--columns"}, std::pair{&options.exclude, "--exclude"},
        std::pair{&options.numeric, "--numeric"}, std::pair{&options.categorical, "--categorical"}}) {
    for (const auto& name : *list) {
      if (!known(name)) return std::unexpected(unknown(name, flag));
    }
  }
  if (!options.prediction.empty() && !known(options.prediction))
    return std::unexpected(unknown(options.prediction, "--prediction"));
  if (!options.target.empty() && !known(options.target)) return std::unexpected(unknown(options.target, "--target"));

  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!names_contain(names, n) && !names_contain(options.exclude, n)) names.push_back(n);
  };
  if (!options.prediction.empty()) add(options.prediction);
  if (!options.target.empty()) add(options.target);
  if (!options.columns.empty()) {
    for (const auto& n : options.columns) add(n);
  } else {
    for (const auto& c : reference.columns) add(c.name);
    for (const auto& c : current.columns) add(c.name);
  }

  Report report;
  report.reference = reference.source;
  report.current = current.source;
  report.reference_rows = reference.rows;
  report.current_rows = current.rows;
  report.drift_share = options.drift_share;

  std::vector<Work> work;
  for (const auto& n : names) {
    Role role = n == options.prediction ? Role::prediction : n == options.target ? Role::target : Role::feature;
    Work w{n, role, {}, {}, {}};
    if (!reference.find(n) || !current.find(n)) {
      w.skipped = SkippedColumn{n, reference.find(n) ? "only in the reference data" : "only in the current data"};
    }
    work.push_back(std::move(w));
  }
  parallel_for(work.size(), [&](std::size_t i) {
    Work& w = work[i];
    if (w.skipped) return;
    try {
      analyse(w, const_cast<Column&>(*reference.find(w.name)), const_cast<Column&>(*current.find(w.name)), options);
    } catch (const std::bad_alloc&) {
      w.error = environment_error("out of memory");
    } catch (const std::exception& e) {
      // Never let an exception escape a worker thread (that would end the process).
      w.error = environment_error(fmt::format("cannot check column '{}': {}", w.name, e.what()),
                                  "please report this with the data that caused it");
    }
  });
  for (auto& w : work) {
    if (w.error) return std::unexpected(*w.error);
  }
  for (auto& w : work) {
    if (w.skipped) report.skipped.push_back(std::move(*w.skipped));
    if (!w.result) continue;
    w.result->reference_rows = reference.rows;
    w.result->current_rows = current.rows;
    double a = w.result->reference_missing_share(), b = w.result->current_missing_share();
    w.result->missing_changed = std::abs(a - b) >= 0.01 || ((a == 0) != (b == 0));
    report.columns.push_back(std::move(*w.result));
  }
  std::stable_sort(report.columns.begin(), report.columns.end(), [](const ColumnResult& a, const ColumnResult& b) {
    if (a.role != b.role) return a.role < b.role;
    if (a.drifted != b.drifted) return a.drifted;
    return a.severity > b.severity;
  });
  for (const auto& c : report.columns) report.drifted += c.drifted ? 1 : 0;
  report.dataset_drift = !report.columns.empty() && report.share() >= report.drift_share;
  return report;
}

}  // namespace mlops::drift
