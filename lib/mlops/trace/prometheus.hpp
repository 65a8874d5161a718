#pragma once
// The Prometheus text exposition format (version 0.0.4) of a monitor check: the GenAI series by
// label set (counters, gauges, latency histograms), each rule's value, and an ALERTS series for
// pending and firing alerts, as Prometheus itself exposes them. No timestamps: node_exporter's
// textfile collector refuses them.
#include <cstdint>
#include <string>

#include "mlops/trace/collect.hpp"
#include "mlops/trace/monitor.hpp"

namespace mlops::trace {

std::string prometheus_text(const Collection& collection, const MonitorReport& report);

// A label value as the format escapes it (\\, \", \n).
std::string prometheus_escape(std::string_view value);

}  // namespace mlops::trace
