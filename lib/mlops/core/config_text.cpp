#include "mlops/core/config_text.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace mlops {

namespace {

using Lines = std::vector<std::string>;

Lines split_lines(std::string_view text) {
  Lines lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string join_lines(const Lines& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// --- the edit on the parsed tree: what the text must mean afterwards -------------------------

bool apply_to_tree(YAML::Node& root, const RemoteEdit& edit) {
  if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
  const YAML::Node& view = root;
  YAML::Node remotes = view["remotes"];
  bool has_remotes = remotes && remotes.IsMap();
  if (edit.op == RemoteEdit::Op::set) {
    if (!has_remotes) root["remotes"] = YAML::Node(YAML::NodeType::Map);
    YAML::Node section = root["remotes"];
    const YAML::Node& section_view = section;
    if (!section_view[edit.name] || !section_view[edit.name].IsMap()) {
      section[edit.name] = YAML::Node(YAML::NodeType::Map);
    }
    YAML::Node remote = section[edit.name];
    const YAML::Node& remote_view = remote;
    if (remote_view[edit.key] && remote_view[edit.key].IsScalar() && remote_view[edit.key].Scalar() == edit.value) {
      return false;
    }
    remote[edit.key] = edit.value;
    return true;
  }
  if (!has_remotes) return false;
  const YAML::Node& section_view = remotes;
  if (!section_view[edit.name]) return false;
  if (edit.op == RemoteEdit::Op::remove_remote) {
    remotes.remove(edit.name);
    return true;
  }
  YAML::Node remote = remotes[edit.name];
  const YAML::Node& remote_view = remote;
  if (!remote.IsMap() || !remote_view[edit.key]) return false;
  remote.remove(edit.key);
  if (remote.size() == 0) remotes.remove(edit.name);
  return true;
}

bool same_tree(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence:
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_tree(a[i], b[i])) return false;
      }
      return true;
    case YAML::NodeType::Map:
      if (a.size() != b.size()) return false;
      for (const auto& entry : a) {
        if (!entry.first.IsScalar()) return false;
        const YAML::Node other = b[entry.first.Scalar()];
        if (!other || !same_tree(entry.second, other)) return false;
      }
      return true;
    default:
      return true;
  }
}

// --- where the section, its remotes and their settings are in the text --------------------------

struct Item {
  std::string key;
  int line = 0;
  int col = 0;
  int value_col = 0;
};
struct Entry {
  std::string name;
  int line = 0;
  int col = 0;
  int last_line = 0;
  std::vector<Item> items;
};
struct Layout {
  int remotes_line = -1;  // no `remotes:` key
  int remotes_value_col = 0;
  bool remotes_empty = false;  // `remotes:` or `remotes: {}`
  std::vector<Entry> entries;

  const Entry* find(std::string_view name) const {
    for (const auto& e : entries) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }
};

// Nullopt for a layout a line edit cannot handle safely.
std::optional<Layout> locate(const YAML::Node& root, const Lines& lines) {
  Layout layout;
  if (!root || root.IsNull()) return layout;
  if (!root.IsMap()) return std::nullopt;
  for (const auto& top : root) {
    if (!top.first.IsScalar() || top.first.Scalar() != "remotes") continue;
    if (top.first.Mark().column != 0) return std::nullopt;
    layout.remotes_line = top.first.Mark().line;
    const YAML::Node& section = top.second;
    layout.remotes_value_col = static_cast<int>(lines[layout.remotes_line].find(':')) + 1;
    if (section.IsNull() || (section.IsMap() && section.size() == 0 && section.Mark().line == layout.remotes_line)) {
      layout.remotes_empty = true;
      if (section.IsMap()) layout.remotes_value_col = section.Mark().column;
      return layout;
    }
    if (!section.IsMap() || section.Style() != YAML::EmitterStyle::Block) return std::nullopt;
    for (const auto& remote : section) {
      Entry entry;
      if (!remote.first.IsScalar() || !remote.second.IsMap() || remote.second.size() == 0 ||
          remote.second.Style() != YAML::EmitterStyle::Block) {
        return std::nullopt;
      }
      entry.name = remote.first.Scalar();
      entry.line = entry.last_line = remote.first.Mark().line;
      entry.col = remote.first.Mark().column;
      if (entry.col == 0 || (!layout.entries.empty() && entry.col != layout.entries.front().col)) return std::nullopt;
      for (const auto& setting : remote.second) {
        const auto& key = setting.first;
        const auto& value = setting.second;
        if (!key.IsScalar() || !value.IsScalar() || value.Mark().line != key.Mark().line) return std::nullopt;
        Item item{key.Scalar(), key.Mark().line, key.Mark().column, value.Mark().column};
        if (item.col <= entry.col || (!entry.items.empty() && item.col != entry.items.front().col)) {
          return std::nullopt;
        }
        entry.last_line = std::max(entry.last_line, item.line);
        entry.items.push_back(item);
      }
      layout.entries.push_back(std::move(entry));
    }
    return layout;
  }
  return layout;
}

// The comment at the end of `line`, after the value that starts at `from` ("" when none).
std::string trailing_comment(std::string_view line, std::size_t from) {
  std::size_t i = std::min(from, line.size());
  if (i < line.size() && (line[i] == '\'' || line[i] == '"')) {
    char quote = line[i++];
    while (i < line.size()) {
      if (line[i] == '\\' && quote == '"') {
        i += 2;
        continue;
      }
      if (line[i] == quote) {
        if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      ++i;
    }
  }
  for (; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
      return "  " + std::string(line.substr(i));
  }
  return {};
}

std::optional<std::string> emit_scalar(const std::string& value) {
  YAML::Emitter out;
  out << value;
  std::string text = out.c_str();
  if (text.find('\n') != std::string::npos) return std::nullopt;
  return text;
}

std::string spaces(int n) { return std::string(static_cast<std::size_t>(std::max(n, 0)), ' '); }

bool is_comment_line(std::string_view line, int min_indent) {
  auto first = line.find_first_not_of(' ');
  return first != std::string_view::npos && line[first] == '#' && static_cast<int>(first) >= min_indent;
}

void insert_at(Lines& lines, int at, const Lines& added) {
  lines.insert(lines.begin() + std::min<std::ptrdiff_t>(at, static_cast<std::ptrdiff_t>(lines.size())), added.begin(),
               added.end());
}

// The remotes line once its section is empty: `remotes: {}`, keeping its comment.
std::string empty_section_line(const Lines& lines, const Layout& layout) {
  const auto& line = lines[layout.remotes_line];
  return "remotes: {}" + trailing_comment(line, line.find(':') + 1);
}

void erase_entry(Lines& lines, const Layout& layout, const Entry& entry) {
  int start = entry.line;
  while (start - 1 > layout.remotes_line && is_comment_line(lines[start - 1], entry.col)) --start;
  lines.erase(lines.begin() + start, lines.begin() + entry.last_line + 1);
  if (layout.entries.size() == 1) lines[layout.remotes_line] = empty_section_line(lines, layout);
}

// One edit of the text; false when the layout does not allow it.
bool apply_to_text(Lines& lines, const Layout& layout, const RemoteEdit& edit) {
  const Entry* entry = layout.find(edit.name);
  const Item* item = nullptr;
  if (entry) {
    for (const auto& i : entry->items) {
      if (i.key == edit.key) item = &i;
    }
  }
  if (edit.op == RemoteEdit::Op::remove_remote) {
    if (entry) erase_entry(lines, layout, *entry);
    return true;
  }
  if (edit.op == RemoteEdit::Op::unset) {
    if (!item) return true;
    if (entry->items.size() == 1) {
      erase_entry(lines, layout, *entry);
    } else {
      lines.erase(lines.begin() + item->line);
    }
    return true;
  }
  auto key = emit_scalar(edit.key);
  auto value = emit_scalar(edit.value);
  auto name = emit_scalar(edit.name);
  if (!key || !value || !name) return false;
  std::string setting = *key + ": " + *value;
  if (item) {
    lines[item->line] = spaces(item->col) + setting + trailing_comment(lines[item->line], item->value_col);
  } else if (entry) {
    insert_at(lines, entry->last_line + 1, {spaces(entry->items.front().col) + setting});
  } else if (layout.remotes_line < 0) {
    while (!lines.empty() && lines.back().find_first_not_of(" \t") == std::string::npos) lines.pop_back();
    lines.insert(lines.end(), {"remotes:", "  " + *name + ":", "    " + setting});
  } else if (layout.remotes_empty) {
    const auto& line = lines[layout.remotes_line];
    lines[layout.remotes_line] =
        "remotes:" + trailing_comment(line, static_cast<std::size_t>(layout.remotes_value_col));
    insert_at(lines, layout.remotes_line + 1, {"  " + *name + ":", "    " + setting});
  } else {
    const Entry& first = layout.entries.front();
    int step = first.items.front().col - first.col;
    insert_at(lines, layout.entries.back().last_line + 1,
              {spaces(first.col) + *name + ":", spaces(first.col + step) + setting});
  }
  return true;
}

void make_block(YAML::Node node) {
  node.SetStyle(YAML::EmitterStyle::Block);
  if (node.IsMap()) {
    for (auto entry : node) make_block(entry.second);
  }
}

}  // namespace

std::optional<EditedText> edit_remotes_text(std::string_view text, const std::vector<RemoteEdit>& edits) {
  YAML::Node expected = YAML::Load(std::string(text));
  bool changed = false;
  for (const auto& edit : edits) changed |= apply_to_tree(expected, edit);
  if (!changed) return std::nullopt;

  Lines lines = split_lines(text);
  bool in_place = true;
  for (const auto& edit : edits) {
    auto layout = locate(YAML::Load(join_lines(lines)), lines);
    if (!layout || !apply_to_text(lines, *layout, edit)) {
      in_place = false;
      break;
    }
  }
  if (in_place) {
    std::string edited = join_lines(lines);
    try {
      if (same_tree(YAML::Load(edited), expected)) return EditedText{edited, false};
    } catch (const YAML::Exception&) {
      // Not what was meant: written again below.
    }
  }
  // A layout the lines cannot be edited in safely: the whole file again, every mapping of the
  // section in block style (never one flow line).
  if (expected["remotes"]) make_block(expected["remotes"]);
  YAML::Emitter out;
  out << expected;
  return EditedText{std::string(out.c_str()) + "\n", true};
}

}  // namespace mlops
