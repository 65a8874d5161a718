// What other clones and tools hand over about runs: `runs import` files and the run documents
// and index segments that `runs pull` reads from a remote any clone can write, and the feedback
// events `feedback import` reads from an application. The first byte picks.
#include "fuzz.hpp"
#include "mlops/trace/feedback.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/share.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto text = mlops::fuzz::text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      (void)mlops::tracking::parse_export_document(text, {"runs file", "fuzz.json", ""});
      break;
    case 1:
      (void)mlops::tracking::parse_run_document(text, "runs/docs/01kb0000000001.json", "01kb0000000001");
      break;
    case 2:
      (void)mlops::tracking::parse_index_segment(text);
      break;
    default:
      (void)mlops::trace::parse_feedback_line(text, "fuzz.jsonl:1");
  }
  return 0;
}
