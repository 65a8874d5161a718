// The log-bucket sketch: bucket i holds the values in (gamma^(i-1), gamma^i] with
// gamma = (1 + a) / (1 - a); answering 2 gamma^i / (gamma + 1) for any of them is within a
// relative error a of the value (Masson, Rim and Lee, "DDSketch", VLDB 2019).
#include "mlops/trace/sketch.hpp"

#include <algorithm>
#include <cmath>

namespace mlops::trace {

namespace {

const double kGamma = (1 + Sketch::kRelativeAccuracy) / (1 - Sketch::kRelativeAccuracy);
const double kLogGamma = std::log(kGamma);
// Below this, a value counts as zero (1e-9 ms, tokens, or dollars is nothing).
constexpr double kMinPositive = 1e-9;

void grow_to(std::vector<std::uint64_t>& buckets, int& offset, int index) {
  if (buckets.empty()) {
    buckets.assign(1, 0);
    offset = index;
    return;
  }
  if (index < offset) {
    buckets.insert(buckets.begin(), static_cast<std::size_t>(offset - index), 0);
    offset = index;
  } else if (index - offset >= static_cast<int>(buckets.size())) {
    buckets.resize(static_cast<std::size_t>(index - offset + 1), 0);
  }
}

}  // namespace

int Sketch::index_of(double value) const { return static_cast<int>(std::ceil(std::log(value) / kLogGamma)); }

double Sketch::value_of(int index) const { return 2 * std::pow(kGamma, index) / (kGamma + 1); }

void Sketch::add_to_buckets(double value, std::uint64_t n) {
  if (std::fabs(value) < kMinPositive) {
    zeros_ += n;
    return;
  }
  auto& buckets = value > 0 ? positive_ : negative_;
  int& offset = value > 0 ? positive_offset_ : negative_offset_;
  int i = index_of(std::fabs(value));
  grow_to(buckets, offset, i);
  buckets[static_cast<std::size_t>(i - offset)] += n;
}

void Sketch::to_buckets() {
  bucketed_ = true;
  for (double v : values_) add_to_buckets(v, 1);
  values_.clear();
  values_.shrink_to_fit();
}

void Sketch::add(double value) {
  if (!std::isfinite(value)) return;
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  sum_ += value;
  if (!bucketed_) {
    values_.push_back(value);
    if (values_.size() > kExactLimit) to_buckets();
    return;
  }
  add_to_buckets(value, 1);
}

void Sketch::merge(const Sketch& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  sum_ += other.sum_;
  if (!bucketed_ && !other.bucketed_ && values_.size() + other.values_.size() <= kExactLimit) {
    values_.insert(values_.end(), other.values_.begin(), other.values_.end());
    return;
  }
  if (!bucketed_) to_buckets();
  for (double v : other.values_) add_to_buckets(v, 1);
  for (std::size_t i = 0; i < other.positive_.size(); ++i) {
    if (!other.positive_[i]) continue;
    int index = static_cast<int>(i) + other.positive_offset_;
    grow_to(positive_, positive_offset_, index);
    positive_[static_cast<std::size_t>(index - positive_offset_)] += other.positive_[i];
  }
  for (std::size_t i = 0; i < other.negative_.size(); ++i) {
    if (!other.negative_[i]) continue;
    int index = static_cast<int>(i) + other.negative_offset_;
    grow_to(negative_, negative_offset_, index);
    negative_[static_cast<std::size_t>(index - negative_offset_)] += other.negative_[i];
  }
  zeros_ += other.zeros_;
}

double Sketch::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  if (!bucketed_) {
    std::vector<double> sorted = values_;
    double rank = q * static_cast<double>(sorted.size() - 1);
    auto lo = static_cast<std::size_t>(std::floor(rank));
    auto hi = static_cast<std::size_t>(std::ceil(rank));
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(lo), sorted.end());
    double a = sorted[lo];
    if (hi == lo) return a;
    double b = *std::min_element(sorted.begin() + static_cast<std::ptrdiff_t>(lo) + 1, sorted.end());
    return a + (b - a) * (rank - static_cast<double>(lo));
  }
  if (q == 0) return min_;
  if (q == 1) return max_;
  // The value at rank floor(q (n - 1)), counted from the smallest: negatives (largest magnitude
  // first), zeros, then positives.
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1));
  std::uint64_t seen = 0;
  double result = max_;
  bool found = false;
  for (std::size_t i = negative_.size(); i-- > 0 && !found;) {
    seen += negative_[i];
    if (seen > rank) {
      result = -value_of(static_cast<int>(i) + negative_offset_);
      found = true;
    }
  }
  if (!found) {
    seen += zeros_;
    if (seen > rank) {
      result = 0;
      found = true;
    }
  }
  for (std::size_t i = 0; i < positive_.size() && !found; ++i) {
    seen += positive_[i];
    if (seen > rank) {
      result = value_of(static_cast<int>(i) + positive_offset_);
      found = true;
    }
  }
  return std::clamp(result, min_, max_);
}

}  // namespace mlops::trace
