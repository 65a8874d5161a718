#pragma once
// The production-readiness checklist of `mlops ready` (docs/ready.md): five items, each a few
// checks with the evidence found or the command that would provide it. An item is done when every
// check passes, missing when none does, partial between; the score is the mean over the items
// (done 1, partial 0.5, missing 0).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::ready {

enum class Status { done, partial, missing };
std::string_view to_string(Status s);

struct Check {
  std::string name;  // "a golden set versioned with data add"
  bool ok = false;
  std::string evidence;  // what was found (or why it does not count)
  std::string fix;       // the command (or edit) that would provide it; empty when ok
};

struct Item {
  std::string name;  // "Reproducibility"
  std::vector<Check> checks;
  Status status() const;
  double score() const;
};

struct Checklist {
  std::string target;   // the model or prompt assessed ("" when none is registered)
  std::string version;  // its production version ("" when none)
  std::vector<Item> items;
  double score() const;
};

nlohmann::ordered_json to_json(const Checklist& checklist, double min_score);
std::string to_text(const Checklist& checklist, double min_score);

}  // namespace mlops::ready
