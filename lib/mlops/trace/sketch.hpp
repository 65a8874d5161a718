#pragma once
// A distribution of values (latencies, tokens, scores) that gives quantiles: exact while it holds
// up to kExactLimit values, then a log-bucket sketch (the DDSketch construction) whose quantiles
// are within 1% relative error of the exact ones, in a few kilobytes whatever the count. Two
// sketches merge exactly as if one had seen both inputs, so the cores can fill one each.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mlops::trace {

class Sketch {
 public:
  static constexpr std::size_t kExactLimit = 4096;
  static constexpr double kRelativeAccuracy = 0.01;

  void add(double value);
  void merge(const Sketch& other);

  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double min() const { return min_; }
  double max() const { return max_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }
  // True while every value is kept (quantiles are exact).
  bool exact() const { return !bucketed_; }
  // The q-quantile (0 <= q <= 1), interpolated linearly between the two nearest ranks as numpy's
  // default and Prometheus' quantile_over_time do; from the buckets once there are too many values.
  double quantile(double q) const;

 private:
  void to_buckets();
  void add_to_buckets(double value, std::uint64_t n);
  int index_of(double value) const;
  double value_of(int index) const;

  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
  bool bucketed_ = false;
  std::vector<double> values_;           // while exact
  std::vector<std::uint64_t> positive_;  // bucket i + positive_offset_ counts values in (g^(i-1), g^i]
  int positive_offset_ = 0;
  std::vector<std::uint64_t> negative_;  // the same for -value
  int negative_offset_ = 0;
  std::uint64_t zeros_ = 0;
};

}  // namespace mlops::trace
