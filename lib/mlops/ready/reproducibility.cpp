// Reproducibility: the production version has a run, a commit, data versions, and a rebuild of
// that run (`mlops repro`) made the same bytes.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "mlops/ready/context.hpp"

namespace mlops::ready {

namespace {

std::string short_id(const std::string& id) { return id.substr(0, 8); }

// Artifacts that say how a run went rather than what it made: they differ between any two runs.
bool is_log(const std::string& name) { return name.ends_with(".log") || name == "git.diff"; }

// Why `made` (what a rebuild made) does not count as a bit-identical rebuild, or nullopt when it
// does: it made the version's registered artifact with the same bytes (what is deployed is what
// must come back); a version without one is judged on every artifact of its run but the logs.
std::optional<std::string> differs(const registry::Metadata& meta, const tracking::RunRecord& run,
                                   const tracking::RunRecord& made) {
  if (meta.artifact) {
    std::string want = meta.artifact->str();
    for (const auto& a : made.artifacts)
      if (a.hash == want) return std::nullopt;
    std::string name = meta.path.empty() ? want.substr(0, 17) : meta.path;
    return fmt::format("it did not make the registered artifact ({}) with the same bytes", name);
  }
  std::map<std::string, std::string> hashes;
  for (const auto& a : made.artifacts) hashes[a.name] = a.hash;
  for (const auto& a : run.artifacts) {
    if (is_log(a.name)) continue;
    auto it = hashes.find(a.name);
    if (it == hashes.end()) return fmt::format("the rebuild did not make '{}'", a.name);
    if (it->second != a.hash) return fmt::format("'{}' differs", a.name);
  }
  return std::nullopt;
}

// When repro said "differs" of a rebuild that made the registered artifact again: what else
// differed, so that the evidence does not hide it (an evaluation's results, whose latencies vary
// from run to run).
std::string rest_differs(const registry::Metadata& meta, const tracking::RunRecord& run,
                         const tracking::RunRecord& made) {
  std::map<std::string, std::string> hashes;
  for (const auto& a : made.artifacts) hashes[a.name] = a.hash;
  std::string names;
  for (const auto& a : run.artifacts) {
    if (is_log(a.name) || (meta.artifact && a.hash == meta.artifact->str())) continue;
    auto it = hashes.find(a.name);
    if (it != hashes.end() && it->second == a.hash) continue;
    names += fmt::format("{}{}", names.empty() ? "" : ", ", a.name);
  }
  return names.empty() ? "its metrics" : names;
}

// The check's verdict on the newest finished rebuild.
void judge(const Context& c, const Rebuild& last, Check& rebuilt) {
  const auto& meta = c.production->message.meta;
  std::string id = short_id(last.made().id);
  if (!last.compared_id.empty() && !last.compared) {
    rebuilt.evidence = fmt::format("rebuild {}: the run its command recorded ({}) is no longer in the store",
                                   short_id(last.run.id), short_id(last.compared_id));
    return;
  }
  if (auto why = differs(meta, *c.run, last.made())) {
    rebuilt.evidence = fmt::format("rebuild {}: {}", id, *why);
    return;
  }
  rebuilt.ok = true;
  rebuilt.fix.clear();
  rebuilt.evidence = meta.artifact ? fmt::format("rebuild {} made {} again, bit for bit", id,
                                                 meta.path.empty() ? "the registered artifact" : meta.path)
                                   : fmt::format("rebuild {} made the same bytes", id);
  if (meta.artifact && last.verdict() == "differs") {
    rebuilt.evidence +=
        fmt::format(" (repro said \"differs\" of the rest: {})", rest_differs(meta, *c.run, last.made()));
  }
}

}  // namespace

Item reproducibility(const Context& c) {
  Item item{"Reproducibility", {}};
  std::string model = c.target.empty() ? "MODEL" : c.target;
  Check version{"the production version has a run", false, "", ""};
  if (!c.model) {
    version.evidence = c.target.empty() ? "no model is registered" : fmt::format("'{}' is not registered", c.target);
    version.fix = fmt::format("mlops model register {} --run RUN --artifact FILE", model);
  } else if (!c.production) {
    version.evidence = fmt::format("no version of {} is in {}", c.target, kProductionStage);
    version.fix = fmt::format("mlops model promote {} VERSION --to {}", c.target, kProductionStage);
  } else if (!c.run) {
    version.evidence = c.run_problem;
    version.fix = fmt::format("register a version from a recorded run: mlops model register {} --run RUN", c.target);
  } else {
    version.ok = true;
    version.evidence = fmt::format("{} from run {}", c.production->name, short_id(c.run->id));
  }
  item.checks.push_back(version);

  Check commit{"a commit, clean", false, "", ""};
  Check data{"data versions", false, "", ""};
  Check rebuilt{"a repro that was bit-identical", false, "", ""};
  if (!c.run) {
    commit.evidence = data.evidence = rebuilt.evidence = "no run to look at";
    commit.fix = data.fix = rebuilt.fix = version.fix;
  } else {
    const auto& run = *c.run;
    if (run.git_commit.empty()) {
      commit.evidence = "the run has no commit";
      commit.fix = "run it again after a commit: mlops run -- CMD";
    } else if (run.git_dirty) {
      commit.evidence = fmt::format("{} with uncommitted changes", run.git_commit.substr(0, 12));
      commit.fix = "commit, then run and register again";
    } else {
      commit.ok = true;
      commit.evidence = run.git_commit.substr(0, 12);
    }
    if (run.data.empty()) {
      data.evidence = "the run recorded no tracked data";
      data.fix = "version its inputs: mlops data add PATH, then run again";
    } else if (run.data_dirty) {
      data.evidence = "the run's data was not as its pointers say";
      data.fix = "mlops data status; commit the data, then run again";
    } else {
      data.ok = true;
      for (const auto& d : run.data)
        data.evidence += fmt::format("{}{}@{}", data.evidence.empty() ? "" : ", ", d.path,
                                     d.hash.substr(0, std::min<std::size_t>(d.hash.size(), 13)));
    }
    rebuilt.fix = fmt::format("mlops repro {}", short_id(run.id));
    if (c.rebuilds.empty()) {
      rebuilt.evidence = "never rebuilt";
    } else {
      // The newest finished rebuild decides.
      const Rebuild* last = nullptr;
      for (const auto& r : c.rebuilds)
        if (!last && r.run.status == tracking::RunStatus::finished && r.made().status == tracking::RunStatus::finished)
          last = &r;
      if (!last) {
        rebuilt.evidence = fmt::format("{} rebuilds, none finished", c.rebuilds.size());
      } else {
        judge(c, *last, rebuilt);
      }
    }
  }
  item.checks.push_back(commit);
  item.checks.push_back(data);
  item.checks.push_back(rebuilt);
  return item;
}

}  // namespace mlops::ready
