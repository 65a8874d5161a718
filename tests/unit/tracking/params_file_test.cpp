#include "mlops/tracking/params_file.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;
using namespace mlops::tracking;

namespace {

struct TempFile {
  fs::path path;
  TempFile(std::string name, std::string_view content) {
    std::random_device random;
    path = fs::temp_directory_path() / (std::to_string(random()) + "-" + name);
    std::ofstream(path) << content;
  }
  ~TempFile() { fs::remove(path); }
};

}  // namespace

TEST_CASE("params files flatten nested maps to dotted keys, keeping scalars as written") {
  TempFile yaml("params.yaml", "model:\n  name: rf\n  depth: 7\nopt:\n  lr: 0.010\nlayers: [64, 32]\nempty:\n");
  auto params = read_params_file(yaml.path);
  REQUIRE(params);
  CHECK(
      *params ==
      std::map<std::string, std::string>{
          {"empty", "null"}, {"layers", "[64, 32]"}, {"model.depth", "7"}, {"model.name", "rf"}, {"opt.lr", "0.010"}});
  TempFile json("params.json", R"({"a": {"b": {"c": true}}, "d": "x"})");
  params = read_params_file(json.path);
  REQUIRE(params);
  CHECK(*params == std::map<std::string, std::string>{{"a.b.c", "true"}, {"d", "x"}});
}

TEST_CASE("malformed and unreadable params files name the file and the line") {
  TempFile bad("bad.yaml", "a: [1, 2\nb: 3\n");
  auto params = read_params_file(bad.path);
  REQUIRE_FALSE(params);
  CHECK(params.error().exit == mlops::Exit::bad_input);
  CHECK(params.error().message.find("malformed file") != std::string::npos);
  CHECK(params.error().message.find("line") != std::string::npos);
  TempFile list("list.yaml", "- a\n- b\n");
  CHECK_FALSE(read_params_file(list.path));
  CHECK_FALSE(read_params_file("/nonexistent/params.yaml"));
}

TEST_CASE("metrics files: JSON, YAML and CSV") {
  TempFile json("m.json", R"({"acc": 0.9, "per_class": {"cat": 0.8}, "loss": [0.5, 0.25]})");
  auto points = read_metrics_file(json.path, 7);
  REQUIRE(points);
  REQUIRE(points->size() == 4);
  CHECK(points->at(0).key == "acc");
  CHECK(points->at(0).timestamp_ms == 7);
  CHECK(points->at(1).key == "loss");
  CHECK(points->at(2).key == "loss");
  CHECK(points->at(2).step == 1);
  CHECK(points->at(3).key == "per_class.cat");

  TempFile yaml("m.yaml", "acc: 0.5\nbad: .nan\nbig: .inf\n");
  points = read_metrics_file(yaml.path, 0);
  REQUIRE(points);
  REQUIRE(points->size() == 3);
  CHECK(std::isnan(points->at(1).value));
  CHECK(std::isinf(points->at(2).value));

  auto csv = parse_metrics_csv("step,name,value\n1,loss,0.5\n\n2,loss,nan\n", "m.csv", 0);
  REQUIRE(csv);
  REQUIRE(csv->size() == 2);
  CHECK(csv->at(1).step == 2);
  CHECK(std::isnan(csv->at(1).value));
  auto headerless = parse_metrics_csv("3,acc,0.9\r\n", "m.csv", 0);
  REQUIRE(headerless);
  CHECK(headerless->at(0).step == 3);
  auto reordered = parse_metrics_csv("name,value,step\nacc,0.9,4\n", "m.csv", 0);
  REQUIRE(reordered);
  CHECK(reordered->at(0).step == 4);
  CHECK(reordered->at(0).key == "acc");
}

TEST_CASE("malformed metrics name the line") {
  auto bad_value = parse_metrics_csv("step,name,value\n1,loss,abc\n", "m.csv", 0);
  REQUIRE_FALSE(bad_value);
  CHECK(bad_value.error().message == "malformed file 'm.csv': line 2: value 'abc' is not a number");
  auto bad_step = parse_metrics_csv("step,name,value\n1.5,loss,1\n", "m.csv", 0);
  REQUIRE_FALSE(bad_step);
  CHECK(bad_step.error().message.find("step '1.5'") != std::string::npos);
  CHECK_FALSE(parse_metrics_csv("1,loss\n", "m.csv", 0));
  CHECK_FALSE(parse_metrics_csv("a,b,c\n", "m.csv", 0));
  TempFile json("m.json", R"({"acc": "high"})");
  auto points = read_metrics_file(json.path, 0);
  REQUIRE_FALSE(points);
  CHECK(points.error().message.find("metric 'acc' is not a number") != std::string::npos);
  TempFile broken("b.json", R"({"acc": )");
  CHECK_FALSE(read_metrics_file(broken.path, 0));
  // A number no double holds: nlohmann throws out_of_range, not parse_error (found by fuzzing).
  TempFile huge("h.json", R"({"acc": 4e8888})");
  auto overflow = read_metrics_file(huge.path, 0);
  REQUIRE_FALSE(overflow);
  CHECK(overflow.error().message.find("number overflow") != std::string::npos);
}

TEST_CASE("metric values from the command line") {
  CHECK(parse_metric_value("0.93") == 0.93);
  CHECK(parse_metric_value("-1e-3") == -1e-3);
  CHECK(parse_metric_value("+2") == 2);
  CHECK(std::isnan(*parse_metric_value("nan")));
  CHECK(std::isinf(*parse_metric_value("-inf")));
  CHECK_FALSE(parse_metric_value("abc"));
  CHECK_FALSE(parse_metric_value("1.5x"));
  CHECK_FALSE(parse_metric_value(""));
  CHECK_FALSE(parse_metric_value("1e999"));
}
