// The evaluation engine with shell-script providers: config errors, caching and replay, -j,
// budgets, results round trips, gates and comparisons.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "mlops/llm/eval_cache.hpp"
#include "mlops/llm/eval_config.hpp"
#include "mlops/llm/eval_gate.hpp"
#include "mlops/llm/eval_report.hpp"
#include "mlops/llm/eval_results.hpp"
#include "mlops/llm/eval_run.hpp"

using mlops::llm::CacheMode;
using mlops::llm::call_provider;
using mlops::llm::CaseStatus;
using mlops::llm::EvalPlan;
using mlops::llm::EvalResults;
using mlops::llm::EvalRunOptions;
using mlops::llm::evaluate_gate;
using mlops::llm::gate_json;
using mlops::llm::gate_junit;
using mlops::llm::gate_markdown;
using mlops::llm::GateOptions;
using mlops::llm::OutputFormat;
using mlops::llm::parse_eval_config;
using mlops::llm::parse_max_regression;
using mlops::llm::parse_provider_output;
using mlops::llm::plan_tasks;
using mlops::llm::ProviderSpec;
using mlops::llm::read_golden;
using mlops::llm::Response;
using mlops::llm::ResponseCache;
using mlops::llm::run_evaluation;

namespace {

struct EvalDir {
  std::filesystem::path path;
  EvalDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlops-eval-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~EvalDir() { std::filesystem::remove_all(path); }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

// A plan over `n` cases whose prompt is "question N" and whose expected output is "answer N".
EvalPlan make_test_plan(const EvalDir& dir, std::size_t n, const std::string& provider_command,
                        const std::string& extra_asserts = "") {
  std::string golden;
  for (std::size_t i = 0; i < n; ++i) {
    golden += "{\"id\": \"c" + std::to_string(i) + "\", \"input\": {\"n\": " + std::to_string(i) +
              "}, \"expected\": {\"output\": \"answer " + std::to_string(i) + "\"}}\n";
  }
  dir.write("golden.jsonl", golden);
  dir.write("p.prompt", "question {{n}}\n");
  auto config = parse_eval_config("prompt: p.prompt\ngolden: golden.jsonl\nproviders:\n  - id: bot\n    command: '" +
                                      provider_command + "'\nassert:\n  - type: equals\n" + extra_asserts,
                                  dir.path / "eval.yaml");
  if (!config) FAIL(config.error().message);
  EvalPlan plan;
  plan.config = std::move(*config);
  auto set = read_golden(dir.path / "golden.jsonl");
  if (!set) FAIL(set.error().message);
  plan.golden = std::move(*set);
  for (std::size_t i = 0; i < n; ++i) plan.prompts.push_back("question " + std::to_string(i));
  plan.prompt_file = "p.prompt";
  plan.prompt_version = "xxh3:0";
  plan.golden_file = "golden.jsonl";
  return plan;
}

// Answers "answer N" for "question N", except for the numbers in $WRONG.
const std::string kAnswer = R"(read q; n=${q#question }; if [ "$n" = 3 ]; then echo wrong; else echo "answer $n"; fi)";

EvalResults evaluate_plan(const EvalPlan& plan, ResponseCache& cache, CacheMode mode, std::size_t jobs = 1) {
  auto tasks = plan_tasks(plan, cache, mode);
  if (!tasks) FAIL(tasks.error().message);
  EvalRunOptions options;
  options.jobs = jobs;
  options.mode = mode;
  auto results = run_evaluation(plan, std::move(*tasks), cache, options);
  auto flushed = cache.flush();
  if (!flushed) FAIL(flushed.error().message);
  return results;
}

}  // namespace

TEST_CASE("llm eval: config errors name the file and the line") {
  auto error_of = [](const std::string& text) {
    auto config = parse_eval_config(text, "dir/eval.yaml");
    return config ? std::string() : config.error().message;
  };
  const std::string head = "prompt: p.prompt\ngolden: g.jsonl\nproviders:\n  - id: a\n    command: cat\n";
  CHECK(error_of(head + "assert:\n  - type: equals\n    treshold: 1\n") ==
        "'dir/eval.yaml' line 7: unknown assertion key 'treshold'");
  CHECK(error_of(head + "assert: []\n") == "'dir/eval.yaml' line 6: 'assert' must list at least one assertion");
  CHECK(error_of(head + "assert:\n  - type: equals\n  - type: equals\n") ==
        "'dir/eval.yaml' line 8: two assertions are named 'equals'");
  CHECK(error_of(head + "assert:\n  - type: equals\nthreshold: 2\n") ==
        "'dir/eval.yaml' line 8: 'threshold' must be a number from 0 to 1");
  CHECK(error_of("prompt: p\ngolden: g\nproviders:\n  - id: a\n    command: cat\n    timeout: soon\nassert:\n  - type: "
                 "is-json\n") == "'dir/eval.yaml' line 6: 'soon' is not a duration");
  CHECK(error_of("prompt: [p\n").starts_with("'dir/eval.yaml' line "));
  CHECK(error_of("golden: g\n") == "'dir/eval.yaml' line 1: 'prompt' must name a file");
  auto ok = parse_eval_config(head + "assert:\n  - type: rouge-l\n    weight: 0.5\n", "dir/eval.yaml");
  REQUIRE(ok);
  CHECK(ok->prompt == std::filesystem::path("dir/p.prompt"));
  CHECK(ok->providers[0].argv == std::vector<std::string>{"sh", "-c", "cat"});
  CHECK(ok->assertions[0].weight == 0.5);
}

TEST_CASE("llm eval: provider output as text or a JSON envelope; failures quote stderr") {
  auto text = parse_provider_output("hello\n", OutputFormat::automatic);
  CHECK(std::get<Response>(text).output == "hello");
  auto envelope = parse_provider_output(
      R"({"output": "hi", "usage": {"prompt_tokens": 3, "completion_tokens": 4}, "cost": 0.5, "retrieved_ids": ["d1"]})",
      OutputFormat::automatic);
  auto& r = std::get<Response>(envelope);
  CHECK(r.output == "hi");
  CHECK(r.total_tokens == 7);
  CHECK(r.cost == 0.5);
  CHECK(r.retrieved_ids == std::vector<std::string>{"d1"});
  // An answer that is itself JSON, without "output", is text in auto mode.
  CHECK(std::get<Response>(parse_provider_output(R"({"answer": 1})", OutputFormat::automatic)).output ==
        R"({"answer": 1})");
  CHECK(std::get<std::string>(parse_provider_output("{oops", OutputFormat::json)) ==
        "the provider printed malformed JSON");
  // An answer cut off inside a character (max_tokens) is kept, with U+FFFD for the broken bytes,
  // so that it can be stored in JSON.
  auto cut = std::get<Response>(parse_provider_output("caf\xC3", OutputFormat::text)).output;
  CHECK(cut == "caf\xEF\xBF\xBD");
  CHECK_NOTHROW(nlohmann::json(cut).dump());
  CHECK(std::get<Response>(parse_provider_output("\xFF ok \xE2\x82", OutputFormat::automatic)).output ==
        "\xEF\xBF\xBD ok \xEF\xBF\xBD\xEF\xBF\xBD");

  ProviderSpec provider;
  provider.id = "p";
  provider.argv = {"sh", "-c", "cat >/dev/null; echo boom >&2; exit 4"};
  auto failed = call_provider(provider, "x", nlohmann::json::object());
  CHECK(failed.error == "provider 'p' exited with 4; its stderr ends: boom");
  provider.argv = {"sh", "-c", "cat >/dev/null; printf 'caf\\303' >&2; exit 4"};
  CHECK(call_provider(provider, "x", {}).error == "provider 'p' exited with 4; its stderr ends: caf\xEF\xBF\xBD");
  provider.argv = {"no-such-provider-command-xyz"};
  CHECK(call_provider(provider, "x", {}).error == "provider 'p': command 'no-such-provider-command-xyz' not found");
  provider.argv = {"sh", "-c", "sleep 10"};
  provider.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  CHECK(call_provider(provider, "x", {}).error == "provider 'p' timed out after 200 ms");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  provider.argv = {"sh", "-c", "echo \"$MLOPS_PROVIDER_CONFIG\""};
  provider.timeout = std::chrono::seconds(10);
  CHECK(call_provider(provider, "", {{"temperature", 0}}).response->output == R"({"temperature":0})");
}

TEST_CASE("llm eval: a run scores every case; replays are byte-identical; -j changes nothing") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 8, kAnswer);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto first = evaluate_plan(plan, *cache, CacheMode::use, 1);
  auto summary = first.summary();
  CHECK(summary.cases == 8);
  CHECK(summary.passed == 7);
  CHECK(summary.failed == 1);
  CHECK(first.cases[3].status == CaseStatus::fail);
  CHECK(first.cases[3].response->output == "wrong");
  CHECK(summary.run_metrics.at("pass_rate") == 0.875);
  CHECK(summary.run_metrics.at("equals.mean") == 0.875);

  auto replay1 = evaluate_plan(plan, *cache, CacheMode::replay, 1);
  auto replay2 = evaluate_plan(plan, *cache, CacheMode::replay, 4);
  CHECK(replay1.dump() == replay2.dump());
  for (const auto& c : replay1.cases) CHECK(c.cached);

  auto recorded = evaluate_plan(plan, *cache, CacheMode::record, 4);
  auto serial = evaluate_plan(plan, *cache, CacheMode::record, 1);
  REQUIRE(recorded.cases.size() == serial.cases.size());
  for (std::size_t i = 0; i < serial.cases.size(); ++i) {
    CHECK(recorded.cases[i].id == serial.cases[i].id);
    CHECK(recorded.cases[i].status == serial.cases[i].status);
    CHECK(recorded.cases[i].response->output == serial.cases[i].response->output);
    CHECK_FALSE(recorded.cases[i].cached);
  }

  auto parsed = EvalResults::from_json(first.dump(), "results.json");
  REQUIRE(parsed);
  CHECK(parsed->dump() == first.dump());
}

TEST_CASE("llm eval: replay without a recording names the case; nothing is called") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 2, "touch called; " + kAnswer);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto tasks = plan_tasks(plan, *cache, CacheMode::replay);
  REQUIRE_FALSE(tasks);
  CHECK(tasks.error().message ==
        "--replay: no recorded response for case 'c0' (line 1) with provider 'bot', 'c1' (line 2) with provider 'bot'");
  CHECK_FALSE(std::filesystem::exists(dir.path / "called"));  // providers run in eval.yaml's folder
}

TEST_CASE("llm eval: provider errors are case errors; the budget skips the rest") {
  EvalDir dir;
  auto plan = make_test_plan(
      dir, 4,
      R"(read q; [ "$q" = "question 1" ] && { echo bad >&2; exit 1; }; echo "{\"output\": \"answer ${q#question }\", \"cost\": 1}")");
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto results = evaluate_plan(plan, *cache, CacheMode::use);
  CHECK(results.cases[1].status == CaseStatus::error);
  CHECK(results.cases[1].error == "provider 'bot' exited with 1; its stderr ends: bad");
  CHECK(results.summary().cost_total == 3.0);

  auto tasks = plan_tasks(plan, *cache, CacheMode::record);
  REQUIRE(tasks);
  EvalRunOptions options;
  options.mode = CacheMode::record;
  options.budget_usd = 1.5;  // the first two calls spend 1 (the second fails): the third starts, then none
  auto capped = run_evaluation(plan, std::move(*tasks), *cache, options);
  auto s = capped.summary();
  CHECK(s.passed == 2);
  CHECK(s.skipped == 1);
  CHECK(capped.cases[3].error == "budget of 1.5 USD spent");
}

TEST_CASE("llm eval: --rpm spaces the calls; a stop skips what has not started") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 3, kAnswer);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto tasks = plan_tasks(plan, *cache, CacheMode::record);
  REQUIRE(tasks);
  EvalRunOptions options;
  options.mode = CacheMode::record;
  options.rpm = 600;  // one call every 100 ms
  options.jobs = 3;
  auto start = std::chrono::steady_clock::now();
  auto results = run_evaluation(plan, std::move(*tasks), *cache, options);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(200));
  CHECK(results.summary().passed == 3);

  std::atomic<bool> stop{true};
  options.stop = &stop;
  auto stopped = run_evaluation(plan, *plan_tasks(plan, *cache, CacheMode::record), *cache, options);
  CHECK(stopped.interrupted);
  CHECK(stopped.summary().skipped == 3);
}

TEST_CASE("llm eval: weights and the case threshold decide a case") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 1, "cat >/dev/null; echo answer 0 extra",
                             "  - {type: contains, value: extra, weight: 3}\n  - {type: rouge-l, weight: 0}\n");
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto results = evaluate_plan(plan, *cache, CacheMode::use);
  CHECK(results.cases[0].score == 0.75);  // equals fails (weight 1), contains passes (weight 3)
  CHECK(results.cases[0].status == CaseStatus::fail);
  plan.config.threshold = 0.75;
  auto lenient = evaluate_plan(plan, *cache, CacheMode::use);
  CHECK(lenient.cases[0].status == CaseStatus::pass);
  CHECK(lenient.summary().run_metrics.contains("rouge_l.mean"));  // weight 0: recorded, never decides
}

TEST_CASE("llm eval: gates fail on missing metrics, incomplete runs and regressions; zero cases is bad input") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 5, kAnswer);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto results = evaluate_plan(plan, *cache, CacheMode::use);  // 4 of 5 pass

  GateOptions options;
  options.min_pass_rate = 0.8;
  auto passed = evaluate_gate(results, options);
  REQUIRE(passed);
  CHECK(passed->passed);
  options.min_pass_rate = 0.9;
  CHECK_FALSE(evaluate_gate(results, options)->passed);

  // A metric the evaluation could produce and did not (no provider reported a cost): incomplete.
  GateOptions missing;
  missing.requires_.push_back(*mlops::tracking::parse_query("metrics.cost.total <= 1"));
  auto incomplete = evaluate_gate(results, missing);
  REQUIRE(incomplete);
  CHECK_FALSE(incomplete->passed);
  CHECK(incomplete->incomplete);
  CHECK(incomplete->checks.back().reason ==
        "metrics.cost.total was not produced by this evaluation (no case gave it a value)");
  CHECK_FALSE(incomplete->checks.back().value);
  GateOptions present;
  present.requires_.push_back(*mlops::tracking::parse_query("metrics.equals.mean >= 0.8"));
  auto held = evaluate_gate(results, present);
  CHECK(held->passed);
  CHECK(held->checks.back().value == 0.8);  // a number, for scripts
  CHECK(held->checks.back().shown == "0.8");
  auto skipped = results;
  skipped.cases[0].status = CaseStatus::skipped;
  skipped.cases[0].response.reset();
  GateOptions lax;
  lax.min_pass_rate = 0.5;
  auto gate = evaluate_gate(skipped, lax);
  CHECK_FALSE(gate->passed);
  CHECK(gate->incomplete);
  lax.max_errors = 1;
  CHECK(evaluate_gate(skipped, lax)->passed);

  // A baseline where every case passed: case c3's flip is a regression, pass_rate drops.
  auto baseline = results;
  baseline.cases[3].status = CaseStatus::pass;
  GateOptions against;
  against.baseline = baseline;
  against.baseline_source = "run B";
  auto regressed = evaluate_gate(results, against);
  CHECK_FALSE(regressed->passed);
  REQUIRE(regressed->comparison);
  CHECK(regressed->comparison->regressions() == 1);
  CHECK(regressed->comparison->flips[0].id == "c3");
  // The pass rate may drop by 0.25, but the case that regressed still fails the gate...
  against.max_regressions.emplace_back("pass_rate", 0.25);
  auto tolerated = evaluate_gate(results, against);
  CHECK_FALSE(tolerated->passed);
  CHECK(tolerated->checks[2].gate == "no case of the baseline regressed");
  CHECK(tolerated->checks[2].reason == "1 passed in the baseline and not now: c3 (bot) pass -> fail");
  // ... unless one regressed case is tolerated too.
  against.max_regressed_cases = 1;
  CHECK(evaluate_gate(results, against)->passed);
  against.max_regressions = {{"latency_ms.p95", 1e9}};
  CHECK(evaluate_gate(results, against)->passed);  // lower is better: a slower run within the bound
  against.max_regressions = {{"pass_rat", 0}};     // a typo is bad input, not a verdict
  auto typo = evaluate_gate(results, against);
  REQUIRE_FALSE(typo);
  CHECK(typo.error().exit == mlops::Exit::bad_input);
  CHECK(typo.error().hint == "did you mean 'pass_rate'?");
  auto empty = results;
  empty.cases.clear();
  auto zero = evaluate_gate(empty, options);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().exit == mlops::Exit::bad_input);

  CHECK(parse_max_regression("pass_rate=0.02")->second == 0.02);
  CHECK_FALSE(parse_max_regression("pass_rate"));
  CHECK_FALSE(parse_max_regression("pass_rate=-1"));
}

TEST_CASE("llm eval: reports for CI are well-formed") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 4, kAnswer);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto results = evaluate_plan(plan, *cache, CacheMode::use);
  GateOptions options;
  options.min_pass_rate = 1;
  auto report = *evaluate_gate(results, options);
  auto junit = gate_junit(report, results, "run X");
  CHECK(
      junit.find("<testsuites name=\"mlops eval gate run X\" tests=\"6\" failures=\"2\" errors=\"0\" skipped=\"0\">") !=
      std::string::npos);
  CHECK(junit.find("<testcase classname=\"bot\" name=\"c3\"") != std::string::npos);
  CHECK(junit.find("<failure message=\"equals: the output differs from the expected output: expected &quot;") ==
        std::string::npos);
  CHECK(junit.find("<failure message=\"equals: the output differs from the expected output: expected 'answer 3', got "
                   "'wrong'\"/>") != std::string::npos);
  auto md = gate_markdown(report, results, "run X");
  CHECK(md.starts_with("### Evaluation gate: ❌ failed\n"));
  CHECK(md.find("| pass_rate >= 1 | 0.75 | >= 1 | **fail** |") != std::string::npos);
  auto json = gate_json(report, results, "run X");
  CHECK(json["passed"] == false);
  CHECK(json["cases_not_passed"][0]["id"] == "c3");
  // Numbers are numbers; why a check failed is apart; no baseline: a comparison of null.
  CHECK(json["checks"][0]["gate"] == "complete");
  CHECK(json["checks"][0]["value"] == 0);
  CHECK(json["checks"][0]["status"] == "pass");
  CHECK(json["checks"][0]["reason"].is_null());
  CHECK(json["checks"][1]["value"] == 0.75);
  CHECK(json["checks"][1]["status"] == "fail");
  CHECK(json["checks"][1]["reason"] == "3 of 4 cases passed");
  CHECK(json.contains("comparison"));
  CHECK(json["comparison"].is_null());
  options.baseline = results;
  options.baseline_source = "run 01BASE";
  auto compared = gate_json(*evaluate_gate(results, options), results, "run X");
  CHECK(compared["comparison"]["baseline"] == "run 01BASE");
  CHECK(compared["comparison"]["candidate"] == "run X");
  CHECK(compared["comparison"]["golden"]["same"] == true);
}

TEST_CASE("llm eval: a gate on a name that is no metric is bad input with did-you-mean") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 2, kAnswer, "  - {type: latency, threshold: 60000}\n");
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto results = evaluate_plan(plan, *cache, CacheMode::use);
  auto error_of = [&](const std::string& expression) {
    GateOptions options;
    options.requires_.push_back(*mlops::tracking::parse_query(expression));
    auto gate = evaluate_gate(results, options);
    REQUIRE_FALSE(gate);
    CHECK(gate.error().exit == mlops::Exit::bad_input);
    return gate.error();
  };
  auto unprefixed = error_of("pass_rate >= 0.9");
  CHECK(unprefixed.message.find("unknown key 'pass_rate': a gate reads the evaluation's metrics, metrics.NAME") !=
        std::string::npos);
  CHECK(unprefixed.hint == "did you mean 'metrics.pass_rate'?");
  auto typo = error_of("metrics.pass_rat >= 0.9");
  CHECK(typo.message == "--require 'metrics.pass_rat >= 0.9': 'metrics.pass_rat' is not a metric of this evaluation");
  CHECK(typo.hint == "did you mean 'metrics.pass_rate'?");
  CHECK(
      error_of("metrics.toxicity.mean < 0.1").hint ==
      "its metrics: metrics.cases, metrics.cost.total, metrics.equals.mean/.p50/.p95, metrics.errors, metrics.failed, "
      "metrics.latency_ms.mean/.p50/.p95, metrics.pass_rate, metrics.passed, metrics.skipped, metrics.tokens.total");
  // One latency family: a latency assertion's scores are latency_ms's, not a second copy.
  auto metrics = results.summary().run_metrics;
  CHECK(metrics.contains("latency_ms.p95"));
  CHECK_FALSE(metrics.contains("latency.p95"));
  CHECK(error_of("metrics.latency.p95 < 500").hint ==
        "a latency assertion's scores are the latency_ms metrics: did you mean 'metrics.latency_ms.p95'?");
  // The type is kept in the results, so a results file knows it too.
  auto read = EvalResults::from_json(results.dump(), "results.json");
  REQUIRE(read);
  CHECK(read->assertion_types.at("latency") == "latency");
  CHECK_FALSE(read->summary().run_metrics.contains("latency.mean"));
}

TEST_CASE("llm eval: --baseline fails on another golden set and on baseline cases not run") {
  EvalDir dir;
  auto plan = make_test_plan(dir, 5, kAnswer);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto baseline = evaluate_plan(plan, *cache, CacheMode::use);
  baseline.golden_version = "xxh3:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  // The hard case (c3, which fails) is dropped from the golden set: the pass rate goes up.
  auto candidate = baseline;
  candidate.golden_version = "xxh3:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  candidate.cases.erase(candidate.cases.begin() + 3);
  GateOptions options;
  options.baseline = baseline;
  auto gate = evaluate_gate(candidate, options);
  REQUIRE(gate);
  CHECK_FALSE(gate->passed);
  CHECK_FALSE(gate->incomplete);
  CHECK(gate->checks[1].gate == "the same golden set as the baseline");
  CHECK_FALSE(gate->checks[1].passed);
  CHECK(
      gate->checks[1].reason.starts_with("this evaluation ran golden set xxh3:bbbbbbbbbbbb (4 cases), the baseline "
                                         "xxh3:aaaaaaaaaaaa (5 cases)"));
  CHECK_FALSE(gate->checks[2].passed);
  CHECK(gate->checks[2].value == 1);
  CHECK(gate->checks[2].reason == "1 of the baseline's cases were not run: c3 (bot)");
  CHECK(gate->checks[3].passed);  // the pass rate alone would have let it through
  REQUIRE(gate->comparison->missing.size() == 1);
  CHECK(gate->comparison->missing[0].before == CaseStatus::fail);
  auto json = gate_json(*gate, candidate, "run C");
  CHECK(json["comparison"]["golden"]["same"] == false);
  CHECK(json["comparison"]["missing"][0]["id"] == "c3");
  CHECK(json["checks"][1]["value"].is_null());
}

TEST_CASE("llm eval: providers and command scorers run in eval.yaml's folder") {
  EvalDir dir;
  std::filesystem::create_directory(dir.path / "bot");
  dir.write("bot/answer.sh", "read q; echo \"answer ${q#question }\"\n");
  dir.write("score.sh", "cat >/dev/null; echo '{\"pass\": true}'\n");
  auto plan = make_test_plan(dir, 2, "sh bot/answer.sh", "  - {type: command, command: sh score.sh}\n");
  // mlops runs from elsewhere: the relative paths are still eval.yaml's.
  REQUIRE(std::filesystem::current_path() != dir.path);
  auto cache = ResponseCache::open(dir.path / "cache.db");
  REQUIRE(cache);
  auto results = evaluate_plan(plan, *cache, CacheMode::use);
  CHECK(results.cases[0].error == "");
  CHECK(results.summary().passed == 2);
  // The cache sees the script where the provider runs: editing it makes the answers stale.
  dir.write("bot/answer.sh", "read q; echo changed\n");
  auto again = evaluate_plan(plan, *cache, CacheMode::use);
  CHECK_FALSE(again.cases[0].cached);
  CHECK(again.cases[0].response->output == "changed");
}

TEST_CASE("llm eval: numbers for people") {
  using mlops::llm::human_number;
  CHECK(human_number(0.9666666666666667) == "0.9667");
  CHECK(human_number(208.19150000000005) == "208.2");
  CHECK(human_number(1.0959999999999998e-05) == "1.096e-05");
  CHECK(human_number(12345.6) == "12346");
  CHECK(human_number(240) == "240");
  CHECK(human_number(-3) == "-3");
  CHECK(human_number(0) == "0");
  CHECK(mlops::llm::signed_number(0.02) == "+0.02");
}

// tests/fuzz/regressions/eval: a mapping used as a key made yaml-cpp throw out of the parser.
TEST_CASE("an eval.yaml whose key is not a name is bad input, not an exception") {
  auto config = parse_eval_config("{{\"id\": \"x\"}: 1}\n", "eval.yaml");
  REQUIRE_FALSE(config);
  CHECK(config.error().exit == Exit::bad_input);
  CHECK(config.error().message.find("eval.yaml") != std::string::npos);
}
