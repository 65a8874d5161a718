#include "mlops/drift/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "mlops/core/parallel.hpp"
#include "mlops/drift/sort.hpp"
#include "mlops/drift/stats.hpp"

namespace mlops::drift {

std::string_view to_string(FailOn fail_on) {
  switch (fail_on) {
    case FailOn::dataset:
      return "dataset";
    case FailOn::column:
      return "column";
    case FailOn::never:
      return "never";
  }
  return "dataset";
}

std::optional<FailOn> parse_fail_on(std::string_view text) {
  for (FailOn f : {FailOn::dataset, FailOn::column, FailOn::never})
    if (to_string(f) == text) return f;
  return std::nullopt;
}

bool Report::failed() const {
  switch (fail_on) {
    case FailOn::dataset:
      return dataset_drift;
    case FailOn::column:
      return drifted > 0;
    case FailOn::never:
      return false;
  }
  return dataset_drift;
}

bool Report::drift_found() const { return fail_on == FailOn::column ? drifted > 0 : dataset_drift; }

std::string Report::verdict(bool capital) const {
  std::string text = fail_on == FailOn::column ? (drifted > 0 ? "Column drift detected" : "No column drift")
                                               : (dataset_drift ? "Dataset drift detected" : "No dataset drift");
  if (!capital) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string Report::verdict_detail() const {
  if (fail_on == FailOn::column) return fmt::format("{:.1f}%; --fail-on column fails on any", share() * 100);
  std::string detail = fmt::format("{:.1f}%, threshold {:.1f}%", share() * 100, drift_share * 100);
  if (fail_on == FailOn::never && dataset_drift) detail += "; not a failure with --fail-on never";
  return detail;
}

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

// One column's check, stage by stage: its type, the values tested on each side, the method and
// threshold, the statistics, then what the report shows besides (unseen categories, histogram).
// Each stage may end the check with an error or a skip, recorded in the Work.
class ColumnAnalysis {
 public:
  ColumnAnalysis(Work& w, Column& ref, Column& cur, const CheckOptions& options)
      : w_(w), name_(w.name), ref_(ref), cur_(cur), options_(options) {}

  void run() {
    if (!decide_type() || !count_values() || !choose_method()) return;
    if (options_.all_stats) {
      for (Method m : kAllMethods) {
        const bool from_sample = m == Method::ks || m == Method::wasserstein || (m == Method::chisquare && ref_.bins);
        if (applicable(m, type_, r_.distinct) && !(ref_.from_profile && from_sample)) r_.stats.push_back(compute(m));
      }
    }
    Statistic main = compute(r_.method);
    r_.statistic = main.statistic;
    r_.p_value = main.p_value;
    // With a profile's bins the reference's own count stands (its values are not there to merge).
    if (union_pending_ && !ref_.bins) r_.distinct = distinct_union(ref_.values, cur_.values);
    r_.drifted = is_drift(r_.method, r_.statistic, r_.p_value, r_.threshold);
    if (uses_p_value(r_.method)) {
      r_.severity = r_.p_value > 0 ? r_.threshold / r_.p_value : std::numeric_limits<double>::infinity();
    } else {
      r_.severity = r_.threshold > 0 ? r_.statistic / r_.threshold : std::numeric_limits<double>::infinity();
    }
    if (type_ == ColumnType::categorical && cats_) list_unseen();
    if (options_.histograms) keep_histogram();
    w_.result = std::move(r_);
  }

 private:
  // The column's type: the command line's override, else the one the profile was made with, else
  // detected. Sorts the numeric values (every later stage wants them sorted).
  bool decide_type() {
    const bool named = names_contain(options_.numeric, name_) || names_contain(options_.categorical, name_);
    const bool forced_numeric = names_contain(options_.numeric, name_) || (!named && ref_.forced_type == 1);
    const bool forced_categorical = names_contain(options_.categorical, name_) || (!named && ref_.forced_type == 2);
    if (forced_numeric && (!ref_.numeric || !cur_.numeric)) {
      w_.error = bad_input(fmt::format("column '{}' has text values in the {} data, so it cannot be --numeric", name_,
                                       ref_.numeric ? "current" : "reference"),
                           "drop --numeric for it, or clean the column");
      return false;
    }
    if (ref_.numeric) sort_values(ref_.values, ref_.decimals);
    if (cur_.numeric) sort_values(cur_.values, cur_.decimals);

    ref_distinct_ = !ref_.numeric ? 0 : ref_.bins ? ref_.bins->distinct : distinct_sorted(ref_.values);
    type_ = forced_categorical ? ColumnType::categorical
            : forced_numeric   ? ColumnType::numeric
                               : detect_type(ref_, cur_, ref_distinct_);
    if (ref_.bins && type_ == ColumnType::categorical) {
      w_.error = needs_values("a categorical column");
      return false;
    }
    return true;
  }

  // A profile that kept bins for a column cannot count its values one by one.
  Error needs_values(std::string_view what) const {
    return bad_input(
        fmt::format("the profile keeps bins for column '{}', not its values: {} needs the count of each value", name_,
                    what),
        "use psi or jensenshannon for it, or check against the reference data itself");
  }

  // The values tested on each side and the distinct values; skips a side without any.
  bool count_values() {
    r_.name = name_;
    r_.role = w_.role;
    r_.type = type_;
    r_.reference_missing = ref_.missing;
    r_.current_missing = cur_.missing;
    r_.reference_non_finite = ref_.non_finite;
    r_.current_non_finite = cur_.non_finite;
    if (type_ == ColumnType::categorical) {
      cats_ = categories_of(ref_, cur_);
      r_.reference_values = static_cast<std::uint64_t>(cats_->reference_total);
      r_.current_values = static_cast<std::uint64_t>(cats_->current_total);
      r_.distinct = cats_->keys.size();
    } else {
      r_.reference_values = ref_.bins ? ref_.bins->values : ref_.values.size();
      r_.current_values = cur_.values.size();
      // The count across both sides costs a merge. With more than 5 in the reference alone, every
      // decision on it below (> 5, > 2, <= 2) comes out the same from the reference's count, and
      // the exact count is taken later, from the Wasserstein distance's merge when there is one.
      union_pending_ = ref_distinct_ > 5;
      r_.distinct = union_pending_ ? ref_distinct_ : distinct_union(ref_.values, cur_.values);
    }
    if (r_.reference_values == 0 || r_.current_values == 0) {
      const char* side = r_.reference_values == 0 ? "reference" : "current";
      w_.skipped = SkippedColumn{name_, fmt::format("no values in the {} data (all missing)", side)};
      return false;
    }
    return true;
  }

  // The method (per-column config, else --method, else the default rules) and its threshold.
  bool choose_method() {
    const ColumnSettings* settings = nullptr;
    if (auto it = options_.per_column.find(name_); it != options_.per_column.end()) settings = &it->second;
    if (settings && settings->method) {
      r_.method = *settings->method;
    } else if (options_.method) {
      r_.method = *options_.method;
    } else {
      r_.method = default_method(type_, r_.reference_values, r_.distinct);
      // A profile has no sample for KS or Wasserstein: its bins judge the column instead.
      if (ref_.from_profile && (r_.method == Method::ks || r_.method == Method::wasserstein)) {
        r_.instead_of = r_.method;
        r_.method = Method::jensenshannon;
      }
    }
    if (ref_.from_profile && (r_.method == Method::ks || r_.method == Method::wasserstein)) {
      w_.error = bad_input(
          fmt::format("a profile keeps bins, not the sample: {} needs the reference data itself (column '{}')",
                      to_string(r_.method), name_),
          "use psi, jensenshannon, chisquare or ztest with a profile, or check against the reference data");
      return false;
    }
    if (ref_.bins && r_.method == Method::chisquare) {
      w_.error = needs_values("chisquare");
      return false;
    }
    if (!applicable(r_.method, type_, r_.distinct)) {
      if (union_pending_ && !ref_.bins) r_.distinct = distinct_union(ref_.values, cur_.values);  // for the message
      w_.error =
          r_.method == Method::ztest
              ? bad_input(fmt::format("the Z-test needs a column with two values; '{}' has {}", name_, r_.distinct),
                          "use chisquare or jensenshannon for it")
              : bad_input(
                    fmt::format("method '{}' needs a numeric column; '{}' is categorical", to_string(r_.method), name_),
                    "use chisquare, psi or jensenshannon for it, or mark it --numeric");
      return false;
    }
    r_.threshold = default_threshold(r_.method);
    if (auto it = options_.thresholds.find(r_.method); it != options_.thresholds.end()) r_.threshold = it->second;
    if (settings && settings->threshold) r_.threshold = *settings->threshold;
    if (type_ == ColumnType::numeric && !cats_ && ref_distinct_ <= 20) cats_ = categories_of(ref_, cur_);
    return true;
  }

  const Shares& shares() {
    if (!shares_) shares_ = shares_of(type_, ref_, cur_, cats_ ? &*cats_ : nullptr, ref_distinct_);
    return *shares_;
  }

  Statistic compute(Method m) {
    Statistic s{m};
    switch (m) {
      case Method::ks: {
        KsResult ks = ks_2samp(ref_.values, cur_.values);
        s.statistic = ks.statistic;
        s.p_value = ks.p_value;
        break;
      }
      case Method::wasserstein: {
        double sd = population_std(ref_.values);
        r_.constant_reference = sd == 0;
        std::uint64_t distinct = 0;
        s.statistic =
            wasserstein_distance(ref_.values, cur_.values, union_pending_ ? &distinct : nullptr) / std::max(sd, 0.001);
        if (union_pending_) {
          r_.distinct = distinct;
          union_pending_ = false;
        }
        break;
      }
      case Method::psi: {
        const Shares& sh = shares();
        s.statistic = psi(sh.reference, sh.current, kPsiEpsilon);
        break;
      }
      case Method::jensenshannon: {
        const Shares& sh = shares();
        s.statistic = jensen_shannon(sh.reference, sh.current);
        break;
      }
      case Method::chisquare: {
        if (!cats_) cats_ = categories_of(ref_, cur_);
        std::vector<double> expected(cats_->reference);
        const double k = cats_->current_total / cats_->reference_total;
        for (auto& e : expected) e *= k;
        TestResult t = chi_square_gof(cats_->current, expected);
        s.statistic = t.statistic;
        s.p_value = t.p_value;
        break;
      }
      case Method::ztest: {
        if (!cats_) cats_ = categories_of(ref_, cur_);
        auto hits_ref = static_cast<std::uint64_t>(cats_->reference[0]);
        auto hits_cur = static_cast<std::uint64_t>(cats_->current[0]);
        TestResult t = two_proportion_z(hits_ref, r_.reference_values, hits_cur, r_.current_values);
        s.statistic = t.statistic;
        s.p_value = t.p_value;
        break;
      }
    }
    return s;
  }

  // Current categories the reference never had, the most frequent first.
  void list_unseen() {
    std::vector<std::pair<double, std::string>> unseen;
    for (std::size_t i = 0; i < cats_->keys.size(); ++i) {
      if (cats_->reference[i] == 0 && cats_->current[i] > 0) unseen.emplace_back(-cats_->current[i], cats_->keys[i]);
    }
    std::sort(unseen.begin(), unseen.end());
    for (auto& [n, k] : unseen) r_.unseen.push_back(std::move(k));
  }

  // At most 20 bars: the largest categories, the rest summed as "(other)".
  void keep_histogram() {
    const Shares& sh = shares();
    std::vector<std::size_t> order(sh.labels.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (type_ != ColumnType::categorical || order.size() <= 20) {
      r_.histogram = {sh.labels, sh.reference, sh.current};
      return;
    }
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
      r_.histogram.labels.push_back(sh.labels[i]);
      r_.histogram.reference.push_back(sh.reference[i]);
      r_.histogram.current.push_back(sh.current[i]);
    }
    r_.histogram.labels.push_back("(other)");
    r_.histogram.reference.push_back(other_r);
    r_.histogram.current.push_back(other_c);
  }

  Work& w_;
  const std::string& name_;
  Column& ref_;
  Column& cur_;
  const CheckOptions& options_;
  ColumnType type_ = ColumnType::numeric;
  std::uint64_t ref_distinct_ = 0;
  ColumnResult r_;
  std::optional<Categories> cats_;
  std::optional<Shares> shares_;
  bool union_pending_ = false;
};

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
  report.fail_on = options.fail_on;

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
      ColumnAnalysis(w, const_cast<Column&>(*reference.find(w.name)), const_cast<Column&>(*current.find(w.name)),
                     options)
          .run();
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
