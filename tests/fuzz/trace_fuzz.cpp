// Trace exports (OTLP/JSON lines and documents, written by any collector or app) through the
// reader and span classification, and the monitor inputs users write: monitors.yaml, rule
// expressions and price tables. The first byte picks which.
#include "fuzz.hpp"
#include "mlops/trace/facts.hpp"
#include "mlops/trace/otlp.hpp"
#include "mlops/trace/prices.hpp"
#include "mlops/trace/read.hpp"
#include "mlops/trace/rules.hpp"

namespace {

// Classifies every span as `trace stats` does, so that the attribute readers run too.
class ClassifyingSink : public mlops::trace::RecordSink {
 public:
  void span(const mlops::trace::Span& span) override {
    mlops::trace::SpanFacts facts;
    mlops::trace::classify(span, {"app.guardrail.triggered"}, facts);
  }
  void log(const mlops::trace::LogRecord&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto text = mlops::fuzz::text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
    case 1: {
      ClassifyingSink sink;
      auto skip = data[0] % 4 == 0 ? mlops::trace::SkipBad::no : mlops::trace::SkipBad::yes;
      (void)mlops::trace::read_text(text, "traces.jsonl", skip, sink);
      break;
    }
    case 2:
      (void)mlops::trace::parse_monitor_file(text, "monitors.yaml");
      (void)mlops::trace::parse_expr(text, "monitors.yaml");
      break;
    default:
      (void)mlops::trace::PriceTable::parse(text, "prices.yaml");
  }
  return 0;
}
