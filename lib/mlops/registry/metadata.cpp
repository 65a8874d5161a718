#include "mlops/registry/metadata.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace mlops::registry {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// "Key: value" with a git-trailer key ([A-Za-z0-9-], starting with a letter).
std::optional<std::pair<std::string_view, std::string_view>> split_trailer(std::string_view line) {
  auto colon = line.find(": ");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto key = line.substr(0, colon);
  if (!std::isalpha(static_cast<unsigned char>(key[0]))) return std::nullopt;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return std::nullopt;
  }
  return std::pair{key, trim(line.substr(colon + 2))};
}

constexpr std::string_view kKnownKeys[] = {"Artifact", "Kind",  "Type", "Size",   "Files", "Path",
                                           "Run",      "Dirty", "Data", "Metric", "Gate",  "Reason"};
bool known_key(std::string_view key) {
  for (auto k : kKnownKeys) {
    if (k == key) return true;
  }
  return false;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Applies one known trailer; false when its value is malformed.
bool apply(Metadata& meta, std::string_view key, std::string_view value) {
  if (key == "Artifact") {
    meta.artifact = Hash::parse(value);
    return meta.artifact.has_value();
  }
  if (key == "Kind") {
    if (value != "file" && value != "dir") return false;
    meta.kind = std::string(value);
    return true;
  }
  if (key == "Type") {
    // GTO's type: a word (model, prompt, dataset, ...).
    if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        })) {
      return false;
    }
    meta.type = std::string(value);
    return true;
  }
  if (key == "Size") return (meta.size = parse_u64(value)).has_value();
  if (key == "Files") return (meta.files = parse_u64(value)).has_value();
  if (key == "Path") {
    meta.path = std::string(value);
    return !value.empty();
  }
  if (key == "Run") {
    meta.run = std::string(value);
    return !value.empty();
  }
  if (key == "Dirty") {
    if (value != "yes" && value != "no") return false;
    meta.dirty = value == "yes";
    return true;
  }
  if (key == "Data" || key == "Metric") {
    // The value never contains '=', so the last one separates it from the name.
    auto eq = value.rfind('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    auto name = std::string(value.substr(0, eq));
    if (key == "Data") {
      auto hash = Hash::parse(value.substr(eq + 1));
      if (!hash) return false;
      meta.data.emplace_back(std::move(name), *hash);
    } else {
      auto number = parse_double(value.substr(eq + 1));
      if (!number) return false;
      meta.metrics.emplace_back(std::move(name), *number);
    }
    return true;
  }
  if (key == "Gate") {
    meta.gates.emplace_back(value);
    return !value.empty();
  }
  if (key == "Reason") {
    meta.reason = std::string(value);
    return true;
  }
  return true;
}

}  // namespace

std::optional<double> Metadata::metric(std::string_view name) const {
  for (const auto& [key, value] : metrics) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

Message parse_message(std::string_view text) {
  Message message;
  auto lines = split_lines(text);
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  if (lines.empty()) return message;
  message.subject = std::string(trim(lines.front()));
  // The trailer block is the last paragraph, when it is not the subject's own paragraph and it
  // holds at least one trailer that mlops writes.
  std::size_t start = lines.size();
  while (start > 0 && !trim(lines[start - 1]).empty()) --start;
  bool has_block = false;
  if (start > 0) {
    for (std::size_t i = start; i < lines.size(); ++i) {
      auto t = split_trailer(trim(lines[i]));
      if (t && known_key(t->first)) has_block = true;
    }
  }
  std::size_t body_end = has_block ? start : lines.size();
  std::string body;
  for (std::size_t i = 1; i < body_end; ++i) {
    if (body.empty() && trim(lines[i]).empty()) continue;
    body += std::string(lines[i]) + "\n";
  }
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  message.body = std::move(body);
  if (!has_block) return message;
  for (std::size_t i = start; i < lines.size(); ++i) {
    auto line = trim(lines[i]);
    auto trailer = split_trailer(line);
    if (!trailer) {
      message.problems.push_back(fmt::format("malformed trailer '{}'", line));
      continue;
    }
    if (!known_key(trailer->first)) continue;
    if (!apply(message.meta, trailer->first, trailer->second)) {
      message.problems.push_back(fmt::format("malformed trailer '{}'", line));
    }
  }
  return message;
}

std::string format_message(std::string_view subject, std::string_view user_message, const Metadata& meta) {
  std::string text(subject);
  text += "\n";
  if (auto user = trim(user_message); !user.empty()) text += fmt::format("\n{}\n", user);
  std::string trailers;
  auto add = [&](std::string_view key, std::string_view value) {
    std::string one_line(value);  // a trailer is one line
    for (char& c : one_line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    trailers += fmt::format("{}: {}\n", key, one_line);
  };
  if (meta.artifact) add("Artifact", meta.artifact->str());
  if (!meta.kind.empty()) add("Kind", meta.kind);
  if (!meta.type.empty()) add("Type", meta.type);
  if (meta.size) add("Size", std::to_string(*meta.size));
  if (meta.files && meta.kind == "dir") add("Files", std::to_string(*meta.files));
  if (!meta.path.empty()) add("Path", meta.path);
  if (!meta.run.empty()) add("Run", meta.run);
  if (meta.dirty) add("Dirty", "yes");
  for (const auto& [path, hash] : meta.data) add("Data", path + "=" + hash.str());
  for (const auto& [name, value] : meta.metrics) add("Metric", name + "=" + format_number(value));
  for (const auto& gate : meta.gates) add("Gate", gate);
  if (!meta.reason.empty()) add("Reason", meta.reason);
  if (!trailers.empty()) text += "\n" + trailers;
  return text;
}

}  // namespace mlops::registry
