// The Reproducibility item's "a repro that was bit-identical": which rebuild decides, and what a
// rebuild whose command recorded its own run (an evaluation) is judged on.
#include <catch2/catch.hpp>

#include "mlops/ready/context.hpp"

using namespace mlops;
using namespace mlops::ready;

namespace {

const std::string kPromptHash = "xxh3:" + std::string(32, '1');
const std::string kResultsHash = "xxh3:" + std::string(32, '2');

tracking::RunRecord prompt_run(std::string id, std::vector<tracking::Artifact> artifacts,
                               tracking::RunStatus status = tracking::RunStatus::finished) {
  tracking::RunRecord run;
  run.id = std::move(id);
  run.status = status;
  run.git_commit = std::string(40, 'a');
  run.data = {{"data/golden.jsonl", "data/golden.jsonl.mlops", "xxh3:" + std::string(32, '3'), 10, "file"}};
  run.artifacts = std::move(artifacts);
  return run;
}

// A prompt version registered from an evaluation run that recorded the prompt and its results.
struct ProductionPrompt {
  registry::Model model;
  registry::Version version;
  Context c;
  ProductionPrompt() {
    version.name = "v0.0.1";
    version.message.meta.artifact = Hash::parse(kPromptHash);
    version.message.meta.path = "p.prompt";
    version.message.meta.run = "01m8aaaaaaaaaa";
    c.target = "p";
    c.model = &model;
    c.production = &version;
    c.run = prompt_run("01m8aaaaaaaaaa",
                       {{"eval-results.json", kResultsHash, 1, "file", 1}, {"p.prompt", kPromptHash, 1, "file", 1}});
  }
  Check rebuilt() const { return reproducibility(c).checks.at(3); }
};

// What `mlops repro` leaves for an evaluation: its own run (nothing made, the verdict) and,
// inside it, the evaluation's run with the prompt and new results.
Rebuild evaluation_rebuild(std::string outer, std::string inner, std::string results_hash) {
  Rebuild r{
      prompt_run(outer, {}),
      prompt_run(inner, {{"eval-results.json", results_hash, 1, "file", 1}, {"p.prompt", kPromptHash, 1, "file", 1}}),
      inner};
  r.run.tags = {{"repro_of", "01m8aaaaaaaaaa"}, {"repro_verdict", "differs"}, {"repro_compared", inner}};
  return r;
}

}  // namespace

TEST_CASE("ready: a rebuilt evaluation is judged on the run its command recorded", "[ready]") {
  ProductionPrompt f;
  f.c.rebuilds.push_back(evaluation_rebuild("01m8bbbbbbbbbb", "01m8cccccccccc", "xxh3:" + std::string(32, '4')));
  auto check = f.rebuilt();
  CHECK(check.ok);
  CHECK(check.evidence ==
        "rebuild 01m8cccc made p.prompt again, bit for bit (repro said \"differs\" of the rest: "
        "eval-results.json)");
  CHECK(check.fix.empty());

  SECTION("the same results too: repro's verdict adds nothing") {
    f.c.rebuilds[0] = evaluation_rebuild("01m8bbbbbbbbbb", "01m8cccccccccc", kResultsHash);
    f.c.rebuilds[0].run.tags["repro_verdict"] = "bit-identical";
    CHECK(f.rebuilt().evidence == "rebuild 01m8cccc made p.prompt again, bit for bit");
  }
  SECTION("the run repro compared is gone: not guessed from the run around it") {
    f.c.rebuilds[0].compared.reset();
    auto gone = f.rebuilt();
    CHECK_FALSE(gone.ok);
    CHECK(gone.evidence == "rebuild 01m8bbbb: the run its command recorded (01m8cccc) is no longer in the store");
    CHECK(gone.fix == "mlops repro 01m8aaaa");
  }
  SECTION("the evaluation killed: that rebuild does not decide") {
    f.c.rebuilds[0].compared->status = tracking::RunStatus::killed;
    CHECK(f.rebuilt().evidence == "1 rebuilds, none finished");
  }
}

TEST_CASE("ready: a rebuild of a command that records no run of its own is judged on its run", "[ready]") {
  ProductionPrompt f;
  // The newest finished rebuild decides: a newer failed one is passed over.
  f.c.rebuilds.push_back(Rebuild{prompt_run("01m8dddddddddd", {}, tracking::RunStatus::failed), std::nullopt, ""});
  f.c.rebuilds.push_back(
      Rebuild{prompt_run("01m8bbbbbbbbbb", {{"p.prompt", kPromptHash, 1, "file", 1}}), std::nullopt, ""});
  CHECK(f.rebuilt().evidence == "rebuild 01m8bbbb made p.prompt again, bit for bit");
  f.c.rebuilds[1].run.artifacts[0].hash = kResultsHash;
  auto differs = f.rebuilt();
  CHECK_FALSE(differs.ok);
  CHECK(differs.evidence == "rebuild 01m8bbbb: it did not make the registered artifact (p.prompt) with the same bytes");
}
