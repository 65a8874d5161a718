// Fallback: a previous production version to roll back to, or a rule-based fallback the prompt
// names (front matter metadata.fallback).
#include <fmt/format.h>

#include "mlops/ready/context.hpp"

namespace mlops::ready {

Item fallback(const Context& c) {
  Item item{"Fallback", {}};
  Check check{"a version or a rule to fall back to", false, "", ""};
  // The version that held production before the current one, if it is still registered.
  if (c.model && c.production && c.holders.size() >= 2) {
    const std::string& previous = c.holders[c.holders.size() - 2];
    const registry::Version* v = c.model->find(previous);
    if (v && v->active) {
      check.ok = true;
      check.evidence = fmt::format("{} held {} before: mlops model rollback {} --stage {}", previous, kProductionStage,
                                   c.target, kProductionStage);
    }
  }
  if (!check.ok) {
    for (const auto& p : c.prompts) {
      if (!p.prompt || (p.name != c.target && !c.target.empty())) continue;
      auto f = p.prompt->metadata.find("fallback");
      if (f == p.prompt->metadata.end() || !f->is_string() || f->get<std::string>().empty()) continue;
      check.ok = true;
      check.evidence = fmt::format("{}: metadata.fallback: {}", p.path, f->get<std::string>());
      break;
    }
  }
  if (!check.ok) {
    check.evidence = c.holders.size() >= 2
                         ? "the version before in production is no longer registered"
                         : fmt::format("no earlier {} version, no metadata.fallback", kProductionStage);
    check.fix =
        "promote a new version over this one (keeping it to roll back to), or name a rule-based fallback in the "
        "prompt's front matter: metadata: {fallback: \"...\"}";
  }
  item.checks.push_back(check);
  return item;
}

}  // namespace mlops::ready
