#include "mlops/tracking/stream.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace mlops::tracking;

TEST_CASE("run stream lines: metrics, params and tags") {
  std::vector<MetricPoint> metrics;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  CHECK_FALSE(
      parse_stream_line(R"({"metric":"loss","value":0.5,"step":3,"timestamp":1700000000000})", metrics, params, tags));
  CHECK_FALSE(parse_stream_line(R"({"metric":"odd","value":"NaN"})", metrics, params, tags));
  CHECK_FALSE(parse_stream_line(R"({"params":{"lr":"0.1","layers":3}})", metrics, params, tags));
  CHECK_FALSE(parse_stream_line(R"({"tags":{"stage":"smoke"}})", metrics, params, tags));
  REQUIRE(metrics.size() == 2);
  CHECK(metrics[0].key == "loss");
  CHECK(metrics[0].value == 0.5);
  CHECK(metrics[0].step == 3);
  CHECK(metrics[0].timestamp_ms == 1700000000000);
  CHECK(std::isnan(metrics[1].value));
  CHECK(metrics[1].step == 0);
  CHECK(params.at("lr") == "0.1");
  CHECK(params.at("layers") == "3");
  CHECK(tags.at("stage") == "smoke");
}

TEST_CASE("malformed run stream lines say what is wrong") {
  std::vector<MetricPoint> metrics;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  CHECK(parse_stream_line("not json", metrics, params, tags) == "not a JSON object");
  CHECK(parse_stream_line(R"({"metric":"m","value":"abc"})", metrics, params, tags) ==
        "metric value \"abc\" is not a number");
  CHECK(parse_stream_line(R"({"metric":"m"})", metrics, params, tags) == "a metric without a value");
  CHECK(parse_stream_line(R"({"metric":"m","value":1,"step":1.5})", metrics, params, tags) ==
        "'step' is not an integer");
  CHECK(parse_stream_line(R"({"other":1})", metrics, params, tags) == "neither a metric, params nor tags");
  CHECK(metrics.empty());
}
