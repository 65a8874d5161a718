// Testing: a golden set versioned with `data add`, an evaluation config, a gate passed on the way to
// production, and CI (or pre-commit) that runs the prompt lint and the eval gate.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "mlops/core/file.hpp"
#include "mlops/ready/context.hpp"

namespace mlops::ready {

namespace {

namespace fs = std::filesystem;

// The CI and hook files a repository may have, relative to its root (folders: their YAML files).
constexpr std::string_view kCiPlaces[] = {
    ".github/workflows", ".gitlab-ci.yml",          ".circleci/config.yml",    "azure-pipelines.yml",
    "Jenkinsfile",       "bitbucket-pipelines.yml", ".pre-commit-config.yaml", "ci"};

std::vector<fs::path> ci_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto place : kCiPlaces) {
    fs::path p = root / place;
    if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        auto ext = e.path().extension();
        if (e.is_regular_file(ec) && (ext == ".yml" || ext == ".yaml")) files.push_back(e.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string repo_path(const fs::path& p, const fs::path& root) { return fs::relative(p, root).generic_string(); }

}  // namespace

Item testing(const Context& c) {
  Item item{"Testing", {}};
  Check golden{"a golden set versioned with data add", false, "", ""};
  Check eval{"an eval config with assertions", false, "", ""};
  if (!c.eval) {
    golden.evidence = eval.evidence = c.eval_problem;
    golden.fix = eval.fix = "write eval.yaml with the prompt, the golden set and assertions (docs/eval.md)";
  } else {
    std::string path = repo_path(c.eval->golden, c.repo.root);
    std::error_code ec;
    if (!fs::exists(c.eval->golden, ec)) {
      golden.evidence = fmt::format("'{}' (eval.yaml's golden) does not exist", path);
      golden.fix = fmt::format("write it, then: mlops data add {}", path);
    } else if (!fs::exists(c.eval->golden.string() + ".mlops", ec)) {
      golden.evidence = fmt::format("{} is not versioned", path);
      golden.fix = fmt::format("mlops data add {}", path);
    } else {
      golden.ok = true;
      golden.evidence = fmt::format("{} ({}.mlops)", path, path);
    }
    if (c.eval->assertions.empty()) {
      eval.evidence = "eval.yaml has no assertions";
      eval.fix = "add assert: entries to eval.yaml (docs/eval.md)";
    } else {
      eval.ok = true;
      eval.evidence =
          fmt::format("eval.yaml: {} assertions, a case passes at {}", c.eval->assertions.size(), c.eval->threshold);
    }
  }
  item.checks.push_back(golden);
  item.checks.push_back(eval);

  Check gate{"the production version passed a gate", false, "", ""};
  if (!c.production) {
    gate.evidence = "no production version";
    gate.fix = fmt::format("mlops model promote {} VERSION --to {} --require 'metrics.pass_rate >= 0.9'",
                           c.target.empty() ? "MODEL" : c.target, kProductionStage);
  } else if (c.production_gates.empty()) {
    gate.evidence = fmt::format("{} was promoted without --require", c.production->name);
    gate.fix = fmt::format("mlops model promote {} {} --to {} --require 'metrics.pass_rate >= 0.9'", c.target,
                           c.production->name, kProductionStage);
  } else {
    gate.ok = true;
    for (const auto& g : c.production_gates) {
      if (g.find(": pass") == std::string::npos) gate.ok = false;
      gate.evidence += (gate.evidence.empty() ? "" : "; ") + g;
    }
  }
  item.checks.push_back(gate);

  Check ci{"CI or pre-commit runs the lint and the gate", false, "", ""};
  std::vector<std::string> lint, gates;
  for (const auto& f : ci_files(c.repo.root)) {
    auto text = read_file(f);
    if (!text) continue;
    if (text->find("mlops prompt lint") != std::string::npos || text->find("mlops eval check") != std::string::npos)
      lint.push_back(repo_path(f, c.repo.root));
    if (text->find("mlops eval gate") != std::string::npos) gates.push_back(repo_path(f, c.repo.root));
  }
  if (!lint.empty() && !gates.empty()) {
    ci.ok = true;
    ci.evidence = lint.front() == gates.front() ? lint.front() : fmt::format("{}, {}", lint.front(), gates.front());
  } else {
    ci.evidence = lint.empty() && gates.empty()
                      ? "no CI or pre-commit file runs mlops prompt lint or mlops eval gate"
                      : fmt::format("{} runs {} but nothing runs {}", (lint.empty() ? gates : lint).front(),
                                    lint.empty() ? "the gate" : "the lint",
                                    lint.empty() ? "mlops prompt lint" : "mlops eval gate");
    ci.fix = "run mlops prompt lint and mlops eval gate in .github/workflows/ (examples/llm/ci/github-actions.yml)";
  }
  item.checks.push_back(ci);
  return item;
}

}  // namespace mlops::ready
