// Evaluation inputs: `eval.yaml` (providers, assertions, gates) and golden sets (JSONL cases).
#include "fuzz.hpp"
#include "mlops/llm/eval_config.hpp"
#include "mlops/llm/golden.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = mlops::fuzz::text(data, size);
  (void)mlops::llm::parse_eval_config(text, mlops::fuzz::scratch() / "eval.yaml");
  auto golden = mlops::fuzz::write_scratch("golden.jsonl", text);
  (void)mlops::llm::check_golden(golden);
  (void)mlops::llm::read_golden(golden);
  return 0;
}
