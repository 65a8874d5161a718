#include "mlops/tracking/display.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace mlops::tracking;

TEST_CASE("metric values print as the shortest text that reads back the same") {
  CHECK(display_number(0.1) == "0.1");
  CHECK(display_number(0.93123456789) == "0.93123456789");
  CHECK(display_number(0.016) == "0.016");
  CHECK(display_number(3.0) == "3");
  CHECK(display_number(-0.25) == "-0.25");
  CHECK(display_number(std::nan("")) == "nan");
  CHECK(display_number(-INFINITY) == "-inf");
  CHECK(std::stod(display_number(0.1 + 0.2)) == 0.1 + 0.2);
}

TEST_CASE("a delta has the decimal places of its operands") {
  CHECK(display_delta(0.914, 0.93) == "+0.016");
  CHECK(display_delta(0.93, 0.914) == "-0.016");
  CHECK(display_delta(2, 3) == "+1");
  CHECK(display_delta(0.5, 0.5) == "0");
  CHECK(display_delta(1e-9, 2e-9) == "+1e-09");
  CHECK(display_delta(1, INFINITY) == "inf");
}

TEST_CASE("times in tables are UTC and say so") {
  CHECK(display_time("2026-11-29T02:41:07.123Z") == "2026-11-29 02:41:07 UTC");
  CHECK(display_time("bad") == "bad");
}

TEST_CASE("a recorded command reads back as the shell would take it") {
  CHECK(display_command({"python3", "train.py", "--lr=0.1"}) == "python3 train.py --lr=0.1");
  CHECK(display_command({"sh", "-c", "echo oops >&2; exit 3"}) == "sh -c 'echo oops >&2; exit 3'");
  CHECK(display_command({"echo", "it's", ""}) == "echo 'it'\\''s' ''");
  CHECK(display_command({}).empty());
}
