#include "mlops/schema/infer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mlops/drift/text.hpp"
#include "mlops/schema/scan.hpp"
#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {

// What one column's values could be, and what was seen of them (the accumulator of scan.hpp).
class ColumnProfile {
 public:
  explicit ColumnProfile(std::size_t max_values) : cap_(max_values + 1) {}

  void value(std::string_view v, bool json_string, std::uint64_t) {
    ++present;
    double d;
    bool integral;
    int decimals;
    if (can_float) {
      if (!json_string && drift::parse_number(v, d, integral, decimals)) {
        can_int = can_int && integral && std::isfinite(d);
        if (std::isfinite(d)) {
          num_min = std::min(num_min, d);
          num_max = std::max(num_max, d);
          any_negative = any_negative || d < 0;
          if (!std::isnan(num_last) && !(d > num_last)) increasing = false;
          if (std::isnan(num_first)) num_first = d;
          num_last = d;
        }
      } else {
        can_float = can_int = false;
      }
    }
    if (can_bool) {
      bool b;
      can_bool = !json_string && parse_bool(v, b);
    }
    if (can_date) {
      std::int64_t days;
      can_date = parse_date(v, days);
      if (can_date) note_time(date_, static_cast<double>(days), v);
    }
    if (can_datetime) {
      double seconds;
      can_datetime = parse_datetime(v, seconds);
      if (can_datetime) note_time(datetime_, seconds, v);
    }
    const std::uint64_t length = utf8_length(v);
    len_min = std::min(len_min, length);
    len_max = std::max(len_max, length);
    if (!overflow) {
      auto [it, fresh] = distinct.try_emplace(v, 0);
      if (++it->second > 1) repeated = true;
      if (fresh && distinct.size() > cap_) {
        overflow = true;
        distinct.clear();
      }
    }
    if (!repeated) hashes.push_back(std::hash<std::string_view>{}(v));
  }
  void null(std::uint64_t) { ++missing; }
  void piece_done() {}
  void nulls(std::uint64_t, std::uint64_t n) { missing += n; }
  void merge(ColumnProfile&& o, std::uint64_t) {
    present += o.present;
    missing += o.missing;
    can_int = can_int && o.can_int;
    can_float = can_float && o.can_float;
    can_bool = can_bool && o.can_bool;
    can_date = can_date && o.can_date;
    can_datetime = can_datetime && o.can_datetime;
    num_min = std::min(num_min, o.num_min);
    num_max = std::max(num_max, o.num_max);
    if (!std::isnan(o.num_first)) {
      increasing = increasing && o.increasing && (std::isnan(num_last) || o.num_first > num_last);
      if (std::isnan(num_first)) num_first = o.num_first;
      num_last = o.num_last;
    }
    any_negative = any_negative || o.any_negative;
    merge_time(date_, o.date_);
    merge_time(datetime_, o.datetime_);
    len_min = std::min(len_min, o.len_min);
    len_max = std::max(len_max, o.len_max);
    repeated = repeated || o.repeated;
    overflow = overflow || o.overflow;
    if (!overflow) {
      for (const auto& [k, n] : o.distinct) {
        auto [it, fresh] = distinct.try_emplace(k, 0);
        it->second += n;
        if (it->second > 1) repeated = true;
      }
      if (distinct.size() > cap_) overflow = true;
    }
    if (overflow) distinct.clear();
    if (repeated) {
      hashes.clear();
    } else {
      hashes.insert(hashes.end(), o.hashes.begin(), o.hashes.end());
    }
  }

  struct Extreme {
    double min = HUGE_VAL, max = -HUGE_VAL;
    std::string_view min_text, max_text;
  };

  std::uint64_t present = 0, missing = 0;
  bool can_int = true, can_float = true, can_bool = true, can_date = true, can_datetime = true;
  bool any_negative = false;
  double num_min = HUGE_VAL, num_max = -HUGE_VAL;
  double num_first = NAN, num_last = NAN;  // the first and last finite numbers, in row order
  bool increasing = true;                  // each finite number is above the one before it
  Extreme date_, datetime_;
  std::uint64_t len_min = UINT64_MAX, len_max = 0;
  std::unordered_map<std::string_view, std::uint64_t> distinct;  // up to max_values + 1
  bool overflow = false;                                         // more distinct values than that
  bool repeated = false;                                         // some value was seen twice
  std::vector<std::uint64_t> hashes;                             // of every value, while none repeated: for uniqueness

 private:
  static void note_time(Extreme& e, double key, std::string_view text) {
    if (key < e.min) {
      e.min = key;
      e.min_text = text;
    }
    if (key > e.max) {
      e.max = key;
      e.max_text = text;
    }
  }
  static void merge_time(Extreme& e, const Extreme& o) {
    if (o.min < e.min) {
      e.min = o.min;
      e.min_text = o.min_text;
    }
    if (o.max > e.max) {
      e.max = o.max;
      e.max_text = o.max_text;
    }
  }
  std::size_t cap_;
};

Type type_of(const ColumnProfile& p) {
  if (p.present == 0) return Type::string;
  if (p.can_bool) return Type::boolean;
  if (p.can_int) return Type::integer;
  if (p.can_float) return Type::floating;
  if (p.can_date) return Type::date;
  if (p.can_datetime) return Type::datetime;
  return Type::string;
}

// Decimal text for a float bound rounded outward to the precision of the padding `pad`.
std::string rounded(double v, double pad, bool up) {
  const double step = std::pow(10.0, std::floor(std::log10(pad)));
  double q = v / step;
  if (std::fabs(q - std::round(q)) < 1e-9) q = std::round(q);  // 3.5 / 0.1 is 35.000000000000004
  const double r = (up ? std::ceil(q) : std::floor(q)) * step;
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step))));
  std::string text = fmt::format("{:.{}f}", r, decimals);
  return text == "-0" ? "0" : text;
}

void numeric_range(const ColumnProfile& p, Type type, Ranges ranges, ColumnRules& c) {
  if (!(p.num_min <= p.num_max)) return;  // only non-finite values
  RangeCheck r;
  r.severity = Severity::warn;
  if (ranges == Ranges::observed) {
    r.min = type == Type::integer ? fmt::format("{:.0f}", p.num_min) : format_number(p.num_min);
    r.max = type == Type::integer ? fmt::format("{:.0f}", p.num_max) : format_number(p.num_max);
  } else {
    const double span = p.num_max - p.num_min;
    const double pad = span > 0 ? span / 10 : std::max(std::fabs(p.num_max) / 10, 1.0);
    double lo = p.num_min - pad;
    if (!p.any_negative && lo < 0) lo = 0;
    const double hi = p.num_max + pad;
    if (type == Type::integer) {
      r.min = fmt::format("{:.0f}", std::floor(lo));
      r.max = fmt::format("{:.0f}", std::ceil(hi));
    } else {
      r.min = rounded(lo, pad, false);
      r.max = rounded(hi, pad, true);
    }
  }
  c.range = r;
}

// A unique integer column that counts up row by row, or fills most of its span, is a key (an
// id, a sequence number): new data brings new, usually higher, keys, so its range keeps only the
// lower bound, as dates do under padded. Unique values scattered over a wide span (ages of a
// few people) are not a key.
bool looks_like_key(const ColumnProfile& p) {
  const double span = p.num_max - p.num_min + 1;
  return p.increasing || span <= 2 * static_cast<double>(p.present);
}

ColumnRules column_rules(const std::string& name, const ColumnProfile& p, std::uint64_t rows,
                         const InferOptions& options) {
  ColumnRules c;
  c.name = name;
  const Type type = type_of(p);
  c.type = TypeCheck{type, 1, Severity::error};
  c.nullable = NullableCheck{p.missing > 0, Severity::error};
  if (p.missing > 0 && p.present > 0 && options.ranges != Ranges::none) {
    const double share = std::floor(static_cast<double>(p.present) / static_cast<double>(rows) * 100) / 100;
    if (share > 0) c.present = PresentCheck{share, Severity::warn};
  }
  if (p.present == 0) return c;
  if ((type == Type::integer || type == Type::string) && p.missing == 0 && p.present >= 2 && !p.repeated) {
    std::vector<std::uint64_t> hashes = p.hashes;
    std::sort(hashes.begin(), hashes.end());
    if (std::adjacent_find(hashes.begin(), hashes.end()) == hashes.end())
      c.unique = UniqueCheck{true, 1, Severity::warn};
  }
  const bool few = !p.overflow && p.distinct.size() <= options.max_values && p.distinct.size() * 2 <= p.present;
  if (type == Type::string && few && options.max_values > 0) {
    ValuesCheck v;
    v.severity = Severity::warn;
    for (const auto& [k, n] : p.distinct) v.allowed.emplace_back(k);
    std::sort(v.allowed.begin(), v.allowed.end());
    c.values = v;
  }
  if (options.ranges == Ranges::none) return c;
  if (type == Type::integer || type == Type::floating) {
    numeric_range(p, type, options.ranges, c);
    if (type == Type::integer && c.unique && c.range && looks_like_key(p)) c.range->max.reset();
  }
  if (type == Type::date || type == Type::datetime) {
    const auto& e = type == Type::date ? p.date_ : p.datetime_;
    RangeCheck r;
    r.severity = Severity::warn;
    r.min = std::string(e.min_text);
    // A later batch usually has later dates: padded ranges keep only the earliest.
    if (options.ranges == Ranges::observed) r.max = std::string(e.max_text);
    c.range = r;
  }
  if (type == Type::string && !c.values) {
    LengthCheck l;
    l.severity = Severity::warn;
    if (options.ranges == Ranges::observed) {
      l.min = p.len_min;
      l.max = p.len_max;
    } else {
      l.min = p.len_min * 9 / 10;
      l.max = (p.len_max * 11 + 9) / 10;
    }
    if (*l.min == 0) l.min.reset();
    c.length = l;
  }
  return c;
}

}  // namespace

std::optional<Ranges> parse_ranges(std::string_view text) {
  if (text == "none") return Ranges::none;
  if (text == "observed") return Ranges::observed;
  if (text == "padded") return Ranges::padded;
  return std::nullopt;
}

Result<Inferred> infer_schema(std::vector<drift::Part>& parts, const InferOptions& options) {
  auto make = [&](std::string_view) { return ColumnProfile(options.max_values); };
  Scanned<ColumnProfile> scanned;
  for (auto& part : parts) MLOPS_TRY(scan_part(part, options.read, make, scanned));
  if (scanned.rows == 0) {
    return std::unexpected(bad_input(fmt::format("'{}' has no data rows", parts.empty() ? "" : parts.front().name),
                                     "schema infer learns types and ranges from rows; give data with rows"));
  }
  Inferred inferred;
  inferred.rows = scanned.rows;
  Schema& schema = inferred.schema;
  schema.columns_rule = ColumnsCheck{ColumnsRule::exact, Severity::error};
  if (options.ranges != Ranges::none && scanned.rows / 2 > 0) {
    schema.rows = RowsCheck{scanned.rows / 2, std::nullopt, Severity::warn};
  }
  for (std::size_t j = 0; j < scanned.names.size(); ++j) {
    schema.columns.push_back(column_rules(scanned.names[j], scanned.columns[j], scanned.rows, options));
  }
  return inferred;
}

}  // namespace mlops::schema
