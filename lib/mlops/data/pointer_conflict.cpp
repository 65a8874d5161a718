#include "mlops/data/pointer_conflict.hpp"

#include <fmt/format.h>

namespace mlops::data {

namespace {

constexpr std::string_view kFilePrefix = "# conflicting file: ";

// A marker line: seven marker characters, then the end of the line or a space and a label.
bool is_marker(std::string_view line, char c) {
  if (line.size() < 7 || line.find_first_not_of(c) < 7) return false;
  return line.size() == 7 || line[7] == ' ';
}

}  // namespace

bool has_conflict_markers(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    if (is_marker(text.substr(at, end - at), '<')) return true;
    at = end + 1;
  }
  return false;
}

Result<PointerConflict> parse_pointer_conflict(std::string_view text, const std::filesystem::path& source) {
  enum class Part { common, ours, base, theirs };
  Part part = Part::common;
  std::string ours, base, theirs;
  bool every_hunk_has_base = true, any_hunk = false, hunk_has_base = false;
  PointerConflict conflict;
  auto malformed = [&](std::string_view what) {
    return bad_input(fmt::format("malformed pointer file '{}': {}", source.string(), what),
                     fmt::format("take one side with 'mlops data checkout {} --ours' (or --theirs), or edit the "
                                 "file to one pointer; then 'git add {}'",
                                 source.string(), source.string()));
  };
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = end + 1;
    if (is_marker(line, '<')) {
      if (part != Part::common) return std::unexpected(malformed("a conflict opens inside another"));
      part = Part::ours;
      any_hunk = true;
      hunk_has_base = false;
      continue;
    }
    if (is_marker(line, '|') && part == Part::ours) {
      part = Part::base;
      hunk_has_base = true;
      continue;
    }
    if (is_marker(line, '=') && (part == Part::ours || part == Part::base)) {
      part = Part::theirs;
      every_hunk_has_base &= hunk_has_base;
      continue;
    }
    if (is_marker(line, '>')) {
      if (part != Part::theirs) return std::unexpected(malformed("a conflict closes before '======='"));
      part = Part::common;
      continue;
    }
    std::string with_newline = std::string(line) + "\n";
    switch (part) {
      case Part::common:
        if (line.starts_with(kFilePrefix)) conflict.files.emplace_back(line.substr(kFilePrefix.size()));
        ours += with_newline;
        base += with_newline;
        theirs += with_newline;
        break;
      case Part::ours:
        ours += with_newline;
        break;
      case Part::base:
        base += with_newline;
        break;
      case Part::theirs:
        theirs += with_newline;
        break;
    }
  }
  if (!any_hunk) return std::unexpected(malformed("no conflict markers"));
  if (part != Part::common) return std::unexpected(malformed("a conflict is not closed with '>>>>>>>'"));
  auto ours_pointer = parse_pointer(ours, source.string() + " (ours)");
  if (!ours_pointer) return std::unexpected(ours_pointer.error());
  auto theirs_pointer = parse_pointer(theirs, source.string() + " (theirs)");
  if (!theirs_pointer) return std::unexpected(theirs_pointer.error());
  conflict.ours = *ours_pointer;
  conflict.theirs = *theirs_pointer;
  if (every_hunk_has_base) {
    // A base that is no pointer (an add/add conflict has an empty one) is simply not known.
    if (auto base_pointer = parse_pointer(base, source.string() + " (base)")) conflict.base = *base_pointer;
  }
  return conflict;
}

std::string format_pointer_conflict(const PointerConflict& conflict, std::string_view pointer_file) {
  std::string data_file(
      pointer_file.substr(0, pointer_file.size() - std::min(pointer_file.size(), kPointerSuffix.size())));
  std::string text =
      fmt::format("# mlops: merge conflict: 'mlops data checkout {} --ours' (or --theirs), then 'git add {}'\n",
                  data_file, pointer_file);
  for (const auto& f : conflict.files) text += fmt::format("{}{}\n", kFilePrefix, f);
  text += "<<<<<<< ours\n" + format_pointer(conflict.ours);
  if (conflict.base) text += "||||||| base\n" + format_pointer(*conflict.base);
  text += "=======\n" + format_pointer(conflict.theirs) + ">>>>>>> theirs\n";
  return text;
}

}  // namespace mlops::data
