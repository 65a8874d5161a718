#include "mlops/tracking/run_settings.hpp"

#include <catch2/catch.hpp>

#include "mlops/tracking/recorder.hpp"

using namespace mlops::tracking;

TEST_CASE("parse_size reads bytes with binary and decimal units") {
  CHECK(parse_size("0") == 0u);
  CHECK(parse_size("1048576") == 1048576u);
  CHECK(parse_size("512KiB") == 512u * 1024);
  CHECK(parse_size("1M") == 1u << 20);
  CHECK(parse_size("1 MiB") == 1u << 20);
  CHECK(parse_size("2MB") == 2'000'000u);
  CHECK(parse_size("3G") == 3ull << 30);
  CHECK_FALSE(parse_size(""));
  CHECK_FALSE(parse_size("lots"));
  CHECK_FALSE(parse_size("-1"));
  CHECK_FALSE(parse_size("1.5M"));
  CHECK_FALSE(parse_size("1TB"));
  CHECK_FALSE(parse_size("99999999999999999999G"));
}

TEST_CASE("DiffLeftOut survives its tag and describes itself") {
  DiffLeftOut left_out{1u << 20, {"big.csv", "data.zip"}, {"logo.png"}};
  auto back = DiffLeftOut::from_json(left_out.to_json());
  CHECK(back.max_file_bytes == 1u << 20);
  CHECK(back.too_big == left_out.too_big);
  CHECK(back.binary == left_out.binary);
  CHECK(back.describe() == "big.csv, data.zip (too big: untracked over 1.0 MiB); logo.png (untracked binary)");
  CHECK(DiffLeftOut::from_json("not json").empty());
  CHECK(DiffLeftOut::from_json(R"({"too_big": "x"})").empty());
  RunRecord run;
  CHECK(DiffLeftOut::of(run).empty());
  run.tags[std::string(kDiffLeftOutTag)] = R"({"binary": ["a.bin"]})";
  CHECK(DiffLeftOut::of(run).binary == std::vector<std::string>{"a.bin"});
}
