// Params and metrics files of `mlops run --params-file/--metrics-file` (YAML, JSON, CSV). The
// first byte picks the file name, whose extension picks the reader.
#include "fuzz.hpp"
#include "mlops/tracking/params_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"params.yaml", "params.json", "metrics.json", "metrics.yaml", "metrics.csv"};
  const char* name = kNames[data[0] % 5];
  auto text = mlops::fuzz::text(data + 1, size - 1);
  auto path = mlops::fuzz::write_scratch(name, text);
  if (name[0] == 'p') {
    (void)mlops::tracking::read_params_file(path);
  } else {
    (void)mlops::tracking::read_metrics_file(path, 0);
  }
  (void)mlops::tracking::parse_metrics_csv(text, "metrics.csv", 0);
  (void)mlops::tracking::parse_metric_value(text);
  return 0;
}
