#include "mlops/interop/dvc_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "mlops/interop/md5.hpp"

namespace mlops::interop {

namespace {

// The fields dvc.org documents for a .dvc file's root and its output entries (DVC 1-3), plus
// the stage fields a DVC 1 single-stage .dvc file could carry.
constexpr std::array<std::string_view, 10> kDvcRootKeys = {"outs", "deps", "wdir",   "md5", "frozen",
                                                           "meta", "desc", "locked", "cmd", "always_changed"};
constexpr std::array<std::string_view, 18> kOutKeys = {"path",   "md5",    "etag",  "checksum", "version_id", "size",
                                                       "nfiles", "isexec", "cache", "remote",   "persist",    "push",
                                                       "hash",   "desc",   "type",  "labels",   "meta",       "files"};
constexpr std::array<std::string_view, 8> kLockStageKeys = {"cmd",    "deps", "params", "outs",
                                                            "frozen", "meta", "desc",   "always_changed"};

template <std::size_t N>
bool known(const std::array<std::string_view, N>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Error file_error(std::string_view source, const YAML::Mark& mark, std::string_view what) {
  std::string where =
      mark.is_null() || mark.line < 0 ? std::string(source) : fmt::format("{}:{}", source, mark.line + 1);
  return bad_input(fmt::format("'{}': {}", where, what), "fix the file, or leave it out by naming the others");
}

Result<YAML::Node> load_yaml(std::string_view text, std::string_view source) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return std::unexpected(file_error(source, e.mark, "not valid YAML: " + e.msg));
  }
}

std::string folder_of(std::string_view source) {
  return std::filesystem::path(std::string(source)).parent_path().generic_string();
}

Result<std::uint64_t> count_field(const YAML::Node& node, std::string_view key, std::string_view source) {
  std::string text = node.IsScalar() ? node.Scalar() : std::string();
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::unexpected(file_error(source, node.Mark(), fmt::format("'{}' must be a whole number", key)));
  }
  return value;
}

Result<bool> bool_field(const YAML::Node& node, std::string_view key, std::string_view source) {
  std::string text = node.IsScalar() ? node.Scalar() : std::string();
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  return std::unexpected(file_error(source, node.Mark(), fmt::format("'{}' must be true or false", key)));
}

// One entry of `outs`: `base` is the folder its path is relative to.
Result<DvcOut> parse_out(const YAML::Node& node, std::string_view base, std::string_view source) {
  if (!node.IsMap()) return std::unexpected(file_error(source, node.Mark(), "each entry of 'outs' must be a mapping"));
  DvcOut out;
  out.source = std::string(source);
  std::string path, hash_name;
  for (const auto& field : node) {
    std::string key = field.first.Scalar();
    if (!known(kOutKeys, key)) {
      return std::unexpected(file_error(source, field.first.Mark(), fmt::format("unknown field '{}' in an out", key)));
    }
    const YAML::Node& value = field.second;
    if (key == "path") {
      path = value.IsScalar() ? value.Scalar() : "";
    } else if (key == "md5") {
      std::string md5 = value.IsScalar() ? value.Scalar() : "";
      if (md5.ends_with(".dir")) {
        out.is_dir = true;
        md5.resize(md5.size() - 4);
      }
      if (!is_md5_hex(md5)) {
        return std::unexpected(file_error(source, value.Mark(), fmt::format("'md5' is not an MD5 hash: '{}'", md5)));
      }
      out.md5 = md5;
    } else if (key == "etag" || key == "checksum") {
      out.other_hash = key;
    } else if (key == "size") {
      auto n = count_field(value, key, source);
      if (!n) return std::unexpected(n.error());
      out.size = *n;
    } else if (key == "nfiles") {
      auto n = count_field(value, key, source);
      if (!n) return std::unexpected(n.error());
      out.nfiles = *n;
    } else if (key == "isexec" || key == "cache") {
      auto b = bool_field(value, key, source);
      if (!b) return std::unexpected(b.error());
      (key == "isexec" ? out.executable : out.cached) = *b;
    } else if (key == "hash") {
      hash_name = value.IsScalar() ? value.Scalar() : "";
    } else if (key == "remote") {
      out.remote = value.IsScalar() ? value.Scalar() : "";
    }
  }
  if (path.empty()) return std::unexpected(file_error(source, node.Mark(), "an out has no 'path'"));
  auto joined = join_inside(base, path);
  if (!joined) {
    return std::unexpected(file_error(source, node.Mark(), fmt::format("out '{}' is outside the repository", path)));
  }
  out.path = *joined;
  // DVC 3 writes `hash: md5` on outs it hashed itself; without it the MD5 is DVC 2's.
  if (!hash_name.empty() && hash_name != "md5" && hash_name != "md5-dos2unix") {
    return std::unexpected(
        file_error(source, node.Mark(), fmt::format("unknown hash '{}' of out '{}'", hash_name, path)));
  }
  out.legacy = hash_name != "md5";
  return out;
}

Result<std::vector<DvcOut>> parse_outs(const YAML::Node& outs, std::string_view base, std::string_view source) {
  if (!outs.IsSequence()) return std::unexpected(file_error(source, outs.Mark(), "'outs' must be a list"));
  std::vector<DvcOut> result;
  for (const auto& entry : outs) {
    auto out = parse_out(entry, base, source);
    if (!out) return std::unexpected(out.error());
    result.push_back(std::move(*out));
  }
  return result;
}

}  // namespace

std::optional<std::string> join_inside(std::string_view base, std::string_view path) {
  std::filesystem::path p{std::string(path)};
  if (p.is_absolute() || path.empty()) return std::nullopt;
  std::filesystem::path joined = (std::filesystem::path(std::string(base)) / p).lexically_normal();
  // Callers pass a repository-relative base; an absolute one must not make an absolute result
  // (found by tests/fuzz/dvc_fuzz).
  if (joined.is_absolute()) return std::nullopt;
  std::string text = joined.generic_string();
  while (text.ends_with("/") && text.size() > 1) text.pop_back();
  if (text.empty() || text == "." || text == ".." || text.starts_with("../")) return std::nullopt;
  return text;
}

Result<std::vector<DvcOut>> parse_dvc_file(std::string_view text, std::string_view source) {
  auto root = load_yaml(text, source);
  if (!root) return std::unexpected(root.error());
  if (!root->IsMap()) return std::unexpected(file_error(source, root->Mark(), "expected a mapping with 'outs'"));
  std::string base = folder_of(source);
  for (const auto& field : *root) {
    std::string key = field.first.Scalar();
    if (!known(kDvcRootKeys, key)) {
      return std::unexpected(file_error(source, field.first.Mark(), fmt::format("unknown field '{}'", key)));
    }
  }
  if (YAML::Node wdir = (*root)["wdir"]) {
    auto joined = wdir.IsScalar() ? join_inside(base, wdir.Scalar()) : std::nullopt;
    bool is_root = wdir.IsScalar() && (wdir.Scalar() == "." || wdir.Scalar() == "./");
    if (!joined && !is_root) {
      // A wdir of ".." from a subfolder is the repository root, which join_inside refuses.
      auto up = wdir.IsScalar() ? join_inside(base, wdir.Scalar() + "/x") : std::nullopt;
      if (!up || *up != "x") {
        return std::unexpected(file_error(source, wdir.Mark(), "'wdir' is outside the repository"));
      }
      base.clear();
    } else if (joined) {
      base = *joined;
    }
  }
  YAML::Node outs = (*root)["outs"];
  if (!outs) return std::unexpected(file_error(source, root->Mark(), "no 'outs'"));
  return parse_outs(outs, base, source);
}

Result<std::vector<std::pair<std::string, std::string>>> stage_wdirs_of_dvc_yaml(std::string_view text,
                                                                                 std::string_view source) {
  auto root = load_yaml(text, source);
  if (!root) return std::unexpected(root.error());
  std::vector<std::pair<std::string, std::string>> wdirs;
  if (!root->IsMap() || !(*root)["stages"] || !(*root)["stages"].IsMap()) return wdirs;
  for (const auto& stage : (*root)["stages"]) {
    YAML::Node body = stage.second.IsMap() && stage.second["do"] ? stage.second["do"] : stage.second;
    if (body.IsMap() && body["wdir"] && body["wdir"].IsScalar()) {
      wdirs.emplace_back(stage.first.Scalar(), body["wdir"].Scalar());
    }
  }
  return wdirs;
}

Result<std::vector<DvcOut>> parse_dvc_lock(std::string_view text, std::string_view source,
                                           const std::vector<std::pair<std::string, std::string>>& stage_wdirs) {
  auto root = load_yaml(text, source);
  if (!root) return std::unexpected(root.error());
  if (!root->IsMap()) return std::unexpected(file_error(source, root->Mark(), "expected a mapping with 'stages'"));
  YAML::Node schema = (*root)["schema"];
  if (!schema || !schema.IsScalar() || schema.Scalar() != "2.0") {
    return std::unexpected(
        bad_input(fmt::format("'{}' is a dvc.lock of schema '{}'; mlops reads schema '2.0' (DVC 2 and 3)", source,
                              schema && schema.IsScalar() ? schema.Scalar() : "1 (none given)"),
                  "rewrite it with a current DVC ('dvc repro' or 'dvc commit'), or name the .dvc files to import"));
  }
  std::vector<DvcOut> result;
  YAML::Node stages = (*root)["stages"];
  if (!stages) return result;
  if (!stages.IsMap()) return std::unexpected(file_error(source, stages.Mark(), "'stages' must be a mapping"));
  std::string folder = folder_of(source);
  for (const auto& stage : stages) {
    std::string name = stage.first.Scalar();
    if (!stage.second.IsMap()) {
      return std::unexpected(
          file_error(source, stage.second.Mark(), fmt::format("stage '{}' must be a mapping", name)));
    }
    for (const auto& field : stage.second) {
      std::string key = field.first.Scalar();
      if (!known(kLockStageKeys, key)) {
        return std::unexpected(
            file_error(source, field.first.Mark(), fmt::format("unknown field '{}' in stage '{}'", key, name)));
      }
    }
    std::string base = folder;
    std::string group = name.substr(0, name.find('@'));
    for (const auto& [stage_name, wdir] : stage_wdirs) {
      if (stage_name != name && stage_name != group) continue;
      auto joined = join_inside(folder, wdir + "/x");
      if (!joined) {
        return std::unexpected(bad_input(fmt::format("the wdir of stage '{}' is outside the repository", name)));
      }
      base = folder_of(*joined);
    }
    YAML::Node outs = stage.second["outs"];
    if (!outs) continue;
    auto parsed = parse_outs(outs, base, source);
    if (!parsed) return std::unexpected(parsed.error());
    for (auto& out : *parsed) {
      out.stage = name;
      result.push_back(std::move(out));
    }
  }
  return result;
}

Result<std::vector<DvcDirEntry>> parse_dir_manifest(std::string_view text, std::string_view source) {
  auto fail = [&](std::string_view what) {
    return std::unexpected(bad_input(fmt::format("directory manifest '{}': {}", source, what),
                                     "the DVC cache is damaged: fetch it again with 'dvc fetch'"));
  };
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) return fail("not a JSON list");
  std::vector<DvcDirEntry> entries;
  entries.reserve(doc.size());
  for (const auto& item : doc) {
    if (!item.is_object() || !item.contains("md5") || !item.contains("relpath") || !item["md5"].is_string() ||
        !item["relpath"].is_string()) {
      return fail("an entry lacks 'md5' or 'relpath'");
    }
    DvcDirEntry entry;
    entry.md5 = item["md5"].get<std::string>();
    if (!is_md5_hex(entry.md5)) return fail(fmt::format("'{}' is not an MD5 hash", entry.md5));
    auto rel = join_inside("", item["relpath"].get<std::string>());
    if (!rel || *rel != item["relpath"].get<std::string>()) {
      return fail(fmt::format("path '{}' climbs out of its folder", item["relpath"].get<std::string>()));
    }
    entry.relpath = *rel;
    if (item.contains("isexec") && item["isexec"].is_boolean()) entry.executable = item["isexec"].get<bool>();
    entries.push_back(std::move(entry));
  }
  return entries;
}

namespace {

// A JSON string as Python's json.dumps writes it (ensure_ascii: every non-ASCII code point as
// \uXXXX, above U+FFFF as a surrogate pair).
void append_python_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20) {
            out += fmt::format("\\u{:04x}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    int length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    std::uint32_t code = c & (length == 4 ? 0x07 : length == 3 ? 0x0f : 0x1f);
    for (int k = 1; k < length && i + k < text.size(); ++k) code = code << 6 | (text[i + k] & 0x3f);
    i += length;
    if (code >= 0x10000) {
      code -= 0x10000;
      out += fmt::format("\\u{:04x}\\u{:04x}", 0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else {
      out += fmt::format("\\u{:04x}", code);
    }
  }
  out += '"';
}

}  // namespace

std::string format_dir_manifest(std::vector<DvcDirEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.relpath < b.relpath; });
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += ", ";
    out += "{";
    out += "\"md5\": \"" + entries[i].md5 + "\", \"relpath\": ";
    append_python_json_string(out, entries[i].relpath);
    out += "}";
  }
  out += "]";
  return out;
}

}  // namespace mlops::interop
