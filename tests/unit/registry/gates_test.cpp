#include "mlops/registry/gates.hpp"

#include <catch2/catch.hpp>

using namespace mlops::registry;

namespace {

// A model with v0.0.1 (auc .91, in production) and v0.0.2 (auc .95, loss .2).
struct Fixture {
  std::vector<TagRecord> records;
  State state;
  Fixture() {
    auto add = [&](const std::string& tag, const std::string& commit, const std::string& message, std::int64_t t) {
      TagRecord r;
      r.tag = tag;
      r.name = *parse_tag_name(tag);
      r.commit = commit;
      r.time = t;
      r.message = message;
      records.push_back(r);
    };
    add("m@v0.0.1", "c1", "Registering artifact m version v0.0.1\n\nMetric: auc=0.91\nMetric: loss=0.3\n", 1);
    add("m@v0.0.2", "c2", "Registering artifact m version v0.0.2\n\nMetric: auc=0.95\nMetric: loss=0.2\n", 2);
    add("m#production#1", "c1", "Assigning stage production to artifact m version v0.0.1\n", 3);
    state = fold(records);
  }
  const Model& model() const { return *state.find("m"); }
  const Version& v(const char* name) const { return *model().find(name); }
};

std::vector<mlops::tracking::Query> queries(std::initializer_list<const char*> texts) {
  std::vector<mlops::tracking::Query> out;
  for (const char* t : texts) out.push_back(*mlops::tracking::parse_query(t));
  return out;
}

}  // namespace

TEST_CASE("require gates read the version's metrics") {
  Fixture f;
  auto report = evaluate_gates(f.model(), f.v("v0.0.2"), queries({"metrics.auc >= 0.9", "metrics.loss < 0.1"}), {});
  CHECK_FALSE(report.passed);
  REQUIRE(report.rows.size() == 2);
  CHECK(report.rows[0].passed);
  CHECK(report.rows[0].value == "0.95");
  CHECK(report.rows[0].bound == ">= 0.9");
  CHECK_FALSE(report.rows[1].passed);
  CHECK(report.trailers()[1] == "metrics.loss < 0.1: fail (value 0.2, bound < 0.1)");
  auto missing = evaluate_gates(f.model(), f.v("v0.0.2"), queries({"metrics.f1 > 0"}), {});
  CHECK_FALSE(missing.passed);
  CHECK(missing.rows[0].value == "missing");
}

TEST_CASE("a compound gate gets a row for the whole expression") {
  Fixture f;
  auto report = evaluate_gates(f.model(), f.v("v0.0.1"), queries({"metrics.auc > 0.99 or metrics.loss < 0.5"}), {});
  CHECK(report.passed);
  REQUIRE(report.rows.size() == 3);
  CHECK_FALSE(report.rows[0].passed);
  CHECK(report.rows[2].passed);
}

TEST_CASE("champion/challenger compares with the stage's holder") {
  Fixture f;
  CHECK(evaluate_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"production", "auc", false}).passed);
  auto lower = evaluate_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"production", "loss", true});
  CHECK(lower.passed);
  CHECK(lower.rows[0].bound == "< 0.3");
  CHECK_FALSE(evaluate_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"production", "loss", false}).passed);
  // No champion: nothing to beat.
  CHECK(evaluate_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"staging", "auc", false}).passed);
  // A metric the champion lacks cannot be beaten.
  CHECK_FALSE(evaluate_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"production", "f1", false}).passed);
}

TEST_CASE("gate rows carry numbers for JSON") {
  Fixture f;
  auto report = evaluate_gates(f.model(), f.v("v0.0.2"), queries({"metrics.auc >= 0.9", "metrics.loss in (0.1, 0.2)"}),
                               ChampionRule{"production", "auc", false});
  REQUIRE(report.rows.size() == 3);
  CHECK(report.rows[0].value_number == 0.95);
  CHECK(report.rows[0].op == ">=");
  CHECK(report.rows[0].bounds == std::vector<double>{0.9});
  CHECK_FALSE(report.rows[0].bound_list);
  CHECK(report.rows[1].bound_list);
  CHECK(report.rows[1].bounds == std::vector<double>{0.1, 0.2});
  CHECK(report.rows[2].op == ">");
  CHECK(report.rows[2].bounds == std::vector<double>{0.91});
}

TEST_CASE("a gate that cannot be evaluated is bad input, not a failed gate") {
  Fixture f;
  CHECK(
      check_gates(f.model(), f.v("v0.0.2"), queries({"metrics.auc >= 0.9"}), ChampionRule{"production", "loss", true}));
  auto unknown = check_gates(f.model(), f.v("v0.0.2"), queries({"auc >= 0.9"}), {});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().exit == mlops::Exit::bad_input);
  CHECK(unknown.error().message.find("unknown key 'auc'") != std::string::npos);
  CHECK(unknown.error().hint == "its metrics: metrics.auc, metrics.loss");
  auto unrecorded = check_gates(f.model(), f.v("v0.0.2"), queries({"metrics.auc > 0 or metrics.f1 > 0"}), {});
  REQUIRE_FALSE(unrecorded);
  CHECK(unrecorded.error().exit == mlops::Exit::bad_input);
  CHECK(unrecorded.error().message.find("recorded no metric 'f1'") != std::string::npos);
  CHECK(unrecorded.error().hint == "its metrics: auc, loss");
  auto champion = check_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"production", "f1", false});
  REQUIRE_FALSE(champion);
  CHECK(champion.error().exit == mlops::Exit::bad_input);
  // No holder in the stage: nothing to compare, nothing missing.
  CHECK(check_gates(f.model(), f.v("v0.0.2"), {}, ChampionRule{"staging", "auc", false}));
}

TEST_CASE("metric names that say lower is better") {
  for (const char* name :
       {"loss", "val_loss", "logloss", "train-error", "rmse", "MAE", "test_mse", "wer", "latency_ms"}) {
    CAPTURE(name);
    CHECK(sounds_lower_is_better(name));
  }
  for (const char* name : {"auc", "accuracy", "f1", "maestro", "precision", "recall", "r2"}) {
    CAPTURE(name);
    CHECK_FALSE(sounds_lower_is_better(name));
  }
}
