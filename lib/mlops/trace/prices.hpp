#pragma once
// The price table the user keeps (mlops has no prices built in: they change every few months):
//   models:
//     gpt-4o-mini: {input: 0.15, output: 0.60, cached_input: 0.075}   # USD per million tokens
// A model reported as gpt-4o-mini-2024-07-18 takes the price of the longest name in the table
// that it starts with, followed by '-'.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"

namespace mlops::trace {

struct Price {
  double input = 0;                    // USD per million input tokens
  double output = 0;                   // USD per million output tokens (reasoning tokens included)
  std::optional<double> cached_input;  // USD per million cached input tokens (default: input)
  bool has_input = false;              // the table gives `input` (an embedding model's may leave out output)
  bool has_output = false;
};

class PriceTable {
 public:
  static Result<PriceTable> load(const std::string& path);
  static Result<PriceTable> parse(std::string_view yaml_text, const std::string& name);
  bool empty() const { return models_.empty(); }
  const Price* find(std::string_view model) const;
  // The cost of a call in USD: input tokens (of which `cached` at the cached price) and output tokens.
  static double cost(const Price& price, std::int64_t input, std::int64_t cached, std::int64_t output);

 private:
  std::map<std::string, Price, std::less<>> models_;
};

}  // namespace mlops::trace
