#include "mlops/view/terminal_plot.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace mlops::view;

namespace {
std::vector<std::string> plot_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}
}  // namespace

TEST_CASE("a terminal plot draws braille with axes and a legend") {
  PlotSeries rising{"run a", {}};
  for (int i = 0; i <= 100; ++i) rising.points.push_back({static_cast<double>(i), static_cast<double>(i)});
  PlotOptions options;
  options.width = 40;
  options.height = 5;
  options.title = "loss";
  auto lines = plot_lines(terminal_plot({rising}, options));
  REQUIRE(lines.size() == 1 + 5 + 2 + 1);
  CHECK(lines[0] == "loss");
  CHECK(lines[1].starts_with("100 ┤"));
  CHECK(lines[5].starts_with("  0 ┤"));
  CHECK(lines[1].find("\xE2\xA0") != std::string::npos);  // a braille character (U+28xx) on the top row
  CHECK(lines[7].find("step") != std::string::npos);
  CHECK(lines[8] == "  ━━ run a");
  CHECK(terminal_plot({rising}, options).find('\x1b') == std::string::npos);
  options.color = true;
  CHECK(terminal_plot({rising}, options).find("\x1b[34m") != std::string::npos);
}

TEST_CASE("a terminal plot without colour marks each series, and keeps a spike") {
  PlotSeries flat{"a", {}}, spiky{"b", {}};
  for (int i = 0; i < 10000; ++i) {
    flat.points.push_back({static_cast<double>(i), 1});
    spiky.points.push_back({static_cast<double>(i), i == 4321 ? 100.0 : 50.0});
  }
  PlotOptions options;
  options.width = 60;
  options.height = 10;
  options.style = PlotStyle::ascii;
  auto lines = plot_lines(terminal_plot({flat, spiky}, options));
  CHECK(lines[0].find('+') != std::string::npos);  // the spike reaches the top row
  CHECK(lines[9].find('*') != std::string::npos);  // the flat series is on the bottom row
  CHECK(lines.back() == "  ++ b");
}

TEST_CASE("a terminal plot with nothing to draw says so") {
  PlotOptions options;
  options.log_y = true;
  CHECK(terminal_plot({{"a", {{1, -1}, {2, 0}}}}, options) == "(no points to draw)\n");
}
