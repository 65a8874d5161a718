#include "mlops/cli/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace mlops::cli {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string suggest_for_parse_error(const CLI::App& app, std::string_view message) {
  const CLI::App* command = &app;
  for (auto chosen = app.get_subcommands(); !chosen.empty(); chosen = command->get_subcommands()) {
    command = chosen.front();
  }
  // The unknown word is named in CLI11's message, or left over when a subcommand was required.
  std::string word;
  constexpr std::string_view marker = "not expected: ";
  if (auto at = message.find(marker); at != std::string_view::npos) {
    word = std::string(message.substr(at + marker.size()));
    word = word.substr(0, word.find_first_of(" \n"));
  } else if (auto left = command->remaining(); !left.empty()) {
    word = left.front();
  }
  if (word.empty() || word.front() == '-') return {};
  std::string best;
  std::size_t best_distance = 3;  // at most two edits away
  for (const auto* sub : command->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    std::size_t d = edit_distance(word, sub->get_name());
    if (d < best_distance) {
      best_distance = d;
      best = sub->get_name();
    }
  }
  if (best.empty()) return fmt::format("'{}' is not a command; see 'mlops --help'", word);
  return fmt::format("'{}' is not a command; did you mean '{}'?", word, best);
}

}  // namespace mlops::cli
