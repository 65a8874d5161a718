// The CSV/TSV/JSONL readers of `drift` and `schema` (gzip detected from the bytes), over one part
// or, split at the first byte's position, two parts that must agree on their columns.
#include <vector>

#include "fuzz.hpp"
#include "mlops/drift/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"data.csv", "data.tsv", "data.jsonl", "data.csv.gz"};
  const char* name = kNames[data[0] & 3];
  auto text = mlops::fuzz::text(data + 1, size - 1);
  std::vector<mlops::drift::Part> parts;
  if (data[0] & 4) {
    std::size_t half = text.size() / 2;
    parts.push_back({name, mlops::drift::Buffer::own(std::string(text.substr(0, half)))});
    parts.push_back({name, mlops::drift::Buffer::own(std::string(text.substr(half)))});
  } else {
    parts.push_back({name, mlops::drift::Buffer::own(std::string(text))});
  }
  mlops::drift::ReadOptions options;
  if (data[0] & 8) options.delimiter = ';';
  (void)mlops::drift::read_dataset(name, parts, options);
  return 0;
}
