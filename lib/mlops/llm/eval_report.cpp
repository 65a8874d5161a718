#include "mlops/llm/eval_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <set>

#include "mlops/tracking/query.hpp"

namespace mlops::llm {

namespace {

using ojson = nlohmann::ordered_json;

std::string number_or_dash(const std::optional<double>& value) { return value ? human_number(*value) : "-"; }

std::string xml_escape(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\n':
        escaped += "&#10;";
        break;
      default:
        // XML 1.0 allows no other control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') {
          escaped += ' ';
        } else {
          escaped += c;
        }
    }
  }
  return escaped;
}

// Markdown table cells: a '|' or a newline would end the cell.
std::string cell(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|')
      escaped += "\\|";
    else if (c == '\n')
      escaped += ' ';
    else
      escaped += c;
  }
  return escaped;
}

ojson summary_json(const EvalSummary& s) {
  return {{"cases", s.cases},   {"passed", s.passed},   {"failed", s.failed},
          {"errors", s.errors}, {"skipped", s.skipped}, {"pass_rate", s.pass_rate}};
}

ojson flip_json(const CaseFlip& f) {
  return {{"id", f.id},
          {"provider", f.provider},
          {"before", to_string(f.before)},
          {"after", to_string(f.after)},
          {"regression", f.regression()}};
}

ojson optional_json(const std::optional<double>& value) { return value ? ojson(*value) : ojson(nullptr); }

std::string junit_case(const CaseResult& c, std::string_view note) {
  std::string name = xml_escape(c.id);
  std::string time = c.response ? fmt::format(" time=\"{:.3f}\"", c.response->latency_ms / 1000.0) : "";
  std::string head = fmt::format("    <testcase classname=\"{}\" name=\"{}\"{}", xml_escape(c.provider), name, time);
  std::string problem = xml_escape(std::string(note) + case_problem(c));
  switch (c.status) {
    case CaseStatus::pass:
      return head + "/>\n";
    case CaseStatus::fail:
      return head + fmt::format(">\n      <failure message=\"{}\"/>\n    </testcase>\n", problem);
    case CaseStatus::error:
      return head + fmt::format(">\n      <error message=\"{}\"/>\n    </testcase>\n", problem);
    case CaseStatus::skipped:
      return head + fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", problem);
  }
  return head + "/>\n";
}

std::string junit_cases(const EvalResults& results, const std::function<std::string(const CaseResult&)>& note) {
  auto s = results.summary();
  std::string xml =
      fmt::format("  <testsuite name=\"eval cases\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
                  s.cases, s.failed, s.errors, s.skipped);
  for (const auto& c : results.cases) xml += junit_case(c, note(c));
  return xml + "  </testsuite>\n";
}

}  // namespace

std::string signed_number(double value) {
  std::string text = human_number(value);
  return value > 0 ? "+" + text : text;
}

std::string golden_warning(const EvalComparison& comparison) {
  auto version = [](const std::string& v) { return v.size() > 17 ? v.substr(0, 17) : v.empty() ? "unknown" : v; };
  return fmt::format(
      "the two evaluations ran different golden sets (baseline {}, {} cases; candidate {}, {} cases): their metric "
      "deltas compare different cases",
      version(comparison.baseline_golden), comparison.baseline_cases, version(comparison.candidate_golden),
      comparison.candidate_cases);
}

std::optional<std::string> provider_warning(const EvalResults& baseline, const EvalResults& candidate,
                                            const EvalComparison& comparison) {
  bool shared =
      comparison.only_baseline < comparison.baseline_cases || comparison.only_candidate < comparison.candidate_cases;
  if (shared || baseline.cases.empty() || candidate.cases.empty()) return std::nullopt;
  auto providers = [](const EvalResults& results) {
    std::set<std::string> names;
    for (const auto& c : results.cases) names.insert(c.provider);
    return names;
  };
  auto a = providers(baseline), b = providers(candidate);
  if (a == b) return std::nullopt;
  return fmt::format(
      "no case in common: cases are matched by id and provider, and the providers differ (baseline {}; "
      "candidate {})",
      fmt::join(a, ", "), fmt::join(b, ", "));
}

std::string case_problem(const CaseResult& c) {
  if (!c.error.empty()) return c.error;
  for (const auto& a : c.assertions) {
    if (!a.passed) return fmt::format("{}: {}", a.name, a.error.empty() ? a.message : a.error);
  }
  return "";
}

ojson gate_check_json(const GateCheck& c) {
  return {{"gate", c.gate},
          {"value", optional_json(c.value)},
          {"baseline", optional_json(c.baseline)},
          {"bound", c.bound},
          {"status", c.status()},
          {"reason", c.reason.empty() ? ojson(nullptr) : ojson(c.reason)},
          {"passed", c.passed},
          {"incomplete", c.incomplete}};
}

ojson gate_json(const GateReport& report, const EvalResults& results, std::string_view source) {
  ojson doc;
  doc["evaluation"] = source;
  doc["passed"] = report.passed;
  doc["incomplete"] = report.incomplete;
  doc["summary"] = summary_json(report.summary);
  ojson checks = ojson::array();
  for (const auto& c : report.checks) checks.push_back(gate_check_json(c));
  doc["checks"] = checks;
  ojson metrics = ojson::object();
  for (const auto& [name, value] : report.summary.run_metrics) metrics[name] = value;
  doc["metrics"] = metrics;
  ojson failing = ojson::array();
  for (const auto& c : results.cases) {
    if (c.status == CaseStatus::pass) continue;
    failing.push_back(
        {{"id", c.id}, {"provider", c.provider}, {"status", to_string(c.status)}, {"problem", case_problem(c)}});
  }
  doc["cases_not_passed"] = failing;
  doc["comparison"] =
      report.comparison ? comparison_json(*report.comparison, report.baseline_source, source) : ojson(nullptr);
  return doc;
}

ojson comparison_json(const EvalComparison& comparison, std::string_view baseline, std::string_view candidate) {
  ojson doc;
  doc["baseline"] = baseline;
  doc["candidate"] = candidate;
  doc["regressions"] = comparison.regressions();
  ojson flips = ojson::array();
  for (const auto& f : comparison.flips) flips.push_back(flip_json(f));
  doc["flips"] = flips;
  ojson deltas = ojson::array();
  for (const auto& d : comparison.deltas) {
    auto worse = d.regression();
    deltas.push_back({{"metric", d.metric},
                      {"baseline", optional_json(d.baseline)},
                      {"candidate", optional_json(d.candidate)},
                      {"delta", d.baseline && d.candidate ? ojson(*d.candidate - *d.baseline) : ojson(nullptr)},
                      {"higher_is_better", d.higher_is_better},
                      {"worse", worse ? ojson(*worse > 0) : ojson(nullptr)}});
  }
  doc["metrics"] = deltas;
  doc["only_in_baseline"] = comparison.only_baseline;
  doc["only_in_candidate"] = comparison.only_candidate;
  ojson missing = ojson::array();
  for (const auto& c : comparison.missing)
    missing.push_back({{"id", c.id}, {"provider", c.provider}, {"before", to_string(c.before)}});
  doc["missing"] = missing;
  doc["golden"] = {{"baseline", comparison.baseline_golden},
                   {"candidate", comparison.candidate_golden},
                   {"same", comparison.same_golden()}};
  return doc;
}

std::string gate_markdown(const GateReport& report, const EvalResults& results, std::string_view source) {
  const auto& s = report.summary;
  std::string md = fmt::format("### Evaluation gate: {}\n\n", report.passed       ? "✅ passed"
                                                              : report.incomplete ? "❌ failed (incomplete)"
                                                                                  : "❌ failed");
  md += fmt::format("`{}` · {} cases: {} passed, {} failed, {} errors, {} skipped · pass rate {}\n\n", source, s.cases,
                    s.passed, s.failed, s.errors, s.skipped, human_number(s.pass_rate));
  md += "| gate | value | bound | result |\n|---|---|---|---|\n";
  for (const auto& c : report.checks) {
    md += fmt::format("| {} | {} | {} | {} |\n", cell(c.gate), cell(c.shown), cell(c.bound),
                      c.passed       ? "pass"
                      : c.incomplete ? "**incomplete**"
                                     : "**fail**");
  }
  std::string reasons;
  for (const auto& c : report.checks) {
    if (!c.reason.empty()) reasons += fmt::format("- {}: {}\n", c.gate, c.reason);
  }
  if (!reasons.empty()) md += "\n" + reasons;
  if (report.comparison) {
    std::string flips;
    for (const auto& f : report.comparison->flips) {
      if (f.regression())
        flips += fmt::format("- `{}` ({}): {} → {}\n", f.id, f.provider, to_string(f.before), to_string(f.after));
    }
    if (!flips.empty()) md += "\n**Cases that passed in the baseline and no longer do**\n\n" + flips;
  }
  std::string failing;
  std::size_t shown = 0;
  for (const auto& c : results.cases) {
    if (c.status == CaseStatus::pass) continue;
    if (++shown > 20) continue;
    failing += fmt::format("| {} | {} | {} | {} |\n", cell(c.id), cell(c.provider), to_string(c.status),
                           cell(case_problem(c)));
  }
  if (!failing.empty()) {
    md +=
        "\n<details><summary>Cases not passed</summary>\n\n| case | provider | status | problem "
        "|\n|---|---|---|---|\n" +
        failing;
    if (shown > 20) md += fmt::format("\n… and {} more\n", shown - 20);
    md += "\n</details>\n";
  }
  return md;
}

std::string comparison_markdown(const EvalComparison& comparison, std::string_view baseline,
                                std::string_view candidate) {
  std::string md = fmt::format("### Evaluation compared: `{}` → `{}`\n\n", baseline, candidate);
  if (!comparison.same_golden()) md += "⚠️ " + golden_warning(comparison) + "\n\n";
  md += comparison.regressions() == 0
            ? "No case that passed before fails now.\n"
            : fmt::format("**{} case{} that passed before fail{} now.**\n", comparison.regressions(),
                          comparison.regressions() == 1 ? "" : "s", comparison.regressions() == 1 ? "s" : "");
  if (!comparison.flips.empty()) {
    md += "\n| case | provider | before | after |\n|---|---|---|---|\n";
    for (const auto& f : comparison.flips) {
      md += fmt::format("| {}{} | {} | {} | {} |\n", f.regression() ? "⚠️ " : "", cell(f.id), cell(f.provider),
                        to_string(f.before), to_string(f.after));
    }
  }
  md += "\n| metric | baseline | candidate | delta |\n|---|---|---|---|\n";
  for (const auto& d : comparison.deltas) {
    auto worse = d.regression();
    std::string delta = d.baseline && d.candidate ? signed_number(*d.candidate - *d.baseline) : "-";
    md += fmt::format("| {} | {} | {} | {}{} |\n", cell(d.metric), number_or_dash(d.baseline),
                      number_or_dash(d.candidate), delta, worse && *worse > 0 ? " (worse)" : "");
  }
  return md;
}

std::string gate_junit(const GateReport& report, const EvalResults& results, std::string_view source) {
  std::size_t failed_gates = 0;
  for (const auto& c : report.checks) failed_gates += c.passed ? 0 : 1;
  auto s = report.summary;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format(
      "<testsuites name=\"mlops eval gate {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
      xml_escape(source), report.checks.size() + s.cases, failed_gates + s.failed, s.errors, s.skipped);
  xml += fmt::format("  <testsuite name=\"eval gates\" tests=\"{}\" failures=\"{}\">\n", report.checks.size(),
                     failed_gates);
  for (const auto& c : report.checks) {
    std::string head = fmt::format("    <testcase classname=\"gate\" name=\"{}\"", xml_escape(c.gate));
    if (c.passed) {
      xml += head + "/>\n";
    } else {
      xml += head + fmt::format(">\n      <failure message=\"{}{} (value {}, bound {})\"/>\n    </testcase>\n",
                                c.incomplete ? "incomplete: " : "", xml_escape(c.reason), xml_escape(c.shown),
                                xml_escape(c.bound));
    }
  }
  xml += "  </testsuite>\n";
  xml += junit_cases(results, [](const CaseResult&) { return std::string(); });
  return xml + "</testsuites>\n";
}

std::string comparison_junit(const EvalComparison& comparison, const EvalResults& candidate, std::string_view baseline,
                             std::string_view candidate_source) {
  std::set<std::pair<std::string, std::string>> regressed;
  for (const auto& f : comparison.flips) {
    if (f.regression()) regressed.insert({f.id, f.provider});
  }
  auto s = candidate.summary();
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format(
      "<testsuites name=\"mlops eval compare {} {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
      xml_escape(baseline), xml_escape(candidate_source), s.cases, s.failed, s.errors, s.skipped);
  xml += junit_cases(candidate, [&](const CaseResult& c) {
    return regressed.contains({c.id, c.provider}) ? std::string("passed in the baseline; ") : std::string();
  });
  return xml + "</testsuites>\n";
}

}  // namespace mlops::llm
