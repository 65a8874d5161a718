#include <fmt/format.h>

#include <cmath>

#include "mlops/core/output.hpp"
#include "mlops/drift/report.hpp"

namespace mlops::drift {

std::string format_number(double v) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  if (std::abs(v) < 1e-4 || std::abs(v) >= 1e6) return fmt::format("{:.3g}", v);
  return fmt::format("{:.4f}", v);
}

namespace {

std::string percent(double share) { return fmt::format("{:.1f}%", share * 100); }

std::string name_of(const ColumnResult& c) {
  if (c.role == Role::feature) return c.name;
  return fmt::format("{} ({})", c.name, to_string(c.role));
}

}  // namespace

std::string render_table(const Report& report, bool color) {
  out::Table table({"column", "type", "method", "statistic", "p-value", "threshold", "drift", "missing ref→cur"});
  for (std::size_t i : {3u, 4u, 5u}) table.right_align(i);
  for (const auto& c : report.columns) {
    std::string drift = c.drifted ? "DRIFT" : "ok";
    if (color) drift = out::paint(drift, c.drifted ? out::Style::red : out::Style::green);
    std::string missing =
        fmt::format("{} → {}", percent(c.reference_missing_share()), percent(c.current_missing_share()));
    if (c.missing_changed) missing += " !";
    table.add_row({name_of(c), std::string(to_string(c.type)), method_label(c), format_number(c.statistic),
                   format_number(c.p_value), format_number(c.threshold), drift, missing});
  }
  std::string text = table.render();
  for (const auto& c : report.columns) {
    if (!c.unseen.empty()) {
      std::string names;
      for (std::size_t i = 0; i < c.unseen.size() && i < 10; ++i)
        names += (i ? ", " : "") + fmt::format("'{}'", c.unseen[i]);
      if (c.unseen.size() > 10) names += fmt::format(" and {} more", c.unseen.size() - 10);
      text += fmt::format("unseen categories in '{}': {}\n", c.name, names);
    }
  }
  for (const auto& s : report.skipped) text += fmt::format("skipped '{}': {}\n", s.name, s.reason);
  std::string verdict = report.verdict();
  if (color) verdict = out::paint(verdict, report.drift_found() ? out::Style::red : out::Style::green);
  text += fmt::format("\n{}: {} of {} columns drifted ({})\n", verdict, report.drifted, report.columns.size(),
                      report.verdict_detail());
  return text;
}

}  // namespace mlops::drift
