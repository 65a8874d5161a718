// The checklist's statuses, score and output.
#include "mlops/ready/checklist.hpp"

#include <catch2/catch.hpp>

using namespace mlops::ready;

namespace {

Item item(std::string name, std::vector<bool> oks) {
  Item i{std::move(name), {}};
  for (std::size_t k = 0; k < oks.size(); ++k)
    i.checks.push_back({"check " + std::to_string(k), oks[k], oks[k] ? "found" : "not found", oks[k] ? "" : "run x"});
  return i;
}

}  // namespace

TEST_CASE("ready: an item is done, partial or missing; the score is their mean", "[ready]") {
  CHECK(item("a", {true, true}).status() == Status::done);
  CHECK(item("a", {true, false}).status() == Status::partial);
  CHECK(item("a", {false, false}).status() == Status::missing);
  Checklist c{"m",
              "v0.0.1",
              {item("A", {true}), item("B", {true, false}), item("C", {false}), item("D", {true}), item("E", {true})}};
  CHECK(c.score() == Approx(0.7));
  auto j = to_json(c, 0.8);
  CHECK(j["ready"] == false);
  CHECK(j["items"][1]["status"] == "partial");
  CHECK(j["items"][1]["checks"][1]["fix"] == "run x");
  std::string text = to_text(c, 0.7);
  CHECK(text.starts_with("Production readiness of m (production: v0.0.1)\n"));
  CHECK(text.find("  [ ] check 1  not found\n") != std::string::npos);
  CHECK(text.find("fix: run x") != std::string::npos);
  CHECK(text.ends_with("score 0.70 (3 done, 1 partial, 1 missing); --min-score 0.70: ready\n"));
  CHECK(Checklist{}.score() == 0);
}
