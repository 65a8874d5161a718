#include "mlops/data/attributes.hpp"

#include <string_view>

#include "mlops/core/file.hpp"

namespace mlops::data {

namespace {

constexpr std::string_view kLines[] = {"*.mlops merge=mlops", ".gitignore merge=union",
                                       ".mlops/dvc-history.jsonl merge=union"};

bool has_line(std::string_view text, std::string_view wanted) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    if (line == wanted) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

Result<bool> ensure_gitattributes(const Repo& repo) {
  auto file = repo.root / ".gitattributes";
  std::string text;
  if (auto existing = read_file(file)) {
    text = std::move(*existing);
  } else if (existing.error().exit != Exit::bad_input) {
    return std::unexpected(existing.error());
  }
  std::string added;
  for (auto line : kLines) {
    if (!has_line(text, line)) added += std::string(line) + "\n";
  }
  if (added.empty()) return false;
  if (!text.empty() && text.back() != '\n') text += '\n';
  text +=
      "# mlops: pointers merge by their manifests ('mlops hooks install'), ignore lists and the DVC history as a "
      "union\n" +
      added;
  if (auto r = write_file_atomic(file, text); !r) return std::unexpected(r.error());
  return true;
}

}  // namespace mlops::data
