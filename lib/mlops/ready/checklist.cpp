#include "mlops/ready/checklist.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mlops::ready {

namespace {

std::string score_text(double s) { return fmt::format("{:.2f}", s); }

}  // namespace

std::string_view to_string(Status s) {
  switch (s) {
    case Status::done:
      return "done";
    case Status::partial:
      return "partial";
    case Status::missing:
      return "missing";
  }
  return "missing";
}

Status Item::status() const {
  auto ok = static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [](const Check& c) { return c.ok; }));
  if (ok == checks.size()) return Status::done;
  return ok == 0 ? Status::missing : Status::partial;
}

double Item::score() const {
  switch (status()) {
    case Status::done:
      return 1;
    case Status::partial:
      return 0.5;
    case Status::missing:
      break;
  }
  return 0;
}

double Checklist::score() const {
  if (items.empty()) return 0;
  double sum = 0;
  for (const auto& i : items) sum += i.score();
  return sum / static_cast<double>(items.size());
}

nlohmann::ordered_json to_json(const Checklist& c, double min_score) {
  nlohmann::ordered_json j;
  j["target"] = c.target;
  j["production_version"] = c.version;
  auto items = nlohmann::ordered_json::array();
  for (const auto& i : c.items) {
    auto checks = nlohmann::ordered_json::array();
    for (const auto& k : i.checks)
      checks.push_back({{"check", k.name}, {"ok", k.ok}, {"evidence", k.evidence}, {"fix", k.fix}});
    items.push_back({{"item", i.name}, {"status", to_string(i.status())}, {"checks", checks}});
  }
  j["items"] = items;
  j["score"] = c.score();
  j["min_score"] = min_score;
  j["ready"] = c.score() >= min_score;
  return j;
}

std::string to_text(const Checklist& c, double min_score) {
  std::string out = c.target.empty() ? std::string("Production readiness (no registered model)\n")
                                     : fmt::format("Production readiness of {}{}\n", c.target,
                                                   c.version.empty() ? " (no production version)"
                                                                     : fmt::format(" (production: {})", c.version));
  std::size_t width = 0;
  for (const auto& i : c.items)
    for (const auto& k : i.checks) width = std::max(width, k.name.size());
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& i : c.items) {
    ++counts[static_cast<int>(i.status())];
    out += fmt::format("\n{:<18}{}\n", i.name, to_string(i.status()));
    for (const auto& k : i.checks) {
      out += fmt::format("  [{}] {:<{}}  {}\n", k.ok ? "x" : " ", k.name, width, k.evidence);
      if (!k.ok && !k.fix.empty()) out += fmt::format("      {:<{}}  fix: {}\n", "", width, k.fix);
    }
  }
  double s = c.score();
  out += fmt::format("\nscore {} ({} done, {} partial, {} missing); --min-score {}: {}\n", score_text(s), counts[0],
                     counts[1], counts[2], score_text(min_score), s >= min_score ? "ready" : "not ready");
  return out;
}

}  // namespace mlops::ready
