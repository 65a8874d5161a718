#include "mlops/registry/tag_name.hpp"

#include <charconv>

#include "mlops/registry/semver.hpp"

namespace mlops::registry {

namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// GTO's `dirname`: [a-zA-Z0-9-_./]+
bool valid_dirname(std::string_view dir) {
  if (dir.empty()) return false;
  for (char c : dir) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.' && c != '/') return false;
  }
  return true;
}

std::optional<long long> parse_counter(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  long long value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits[0] == '-' || digits[0] == '+') {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string_view to_string(Action action) {
  switch (action) {
    case Action::register_version:
      return "registration";
    case Action::deregister_version:
      return "deregistration";
    case Action::assign:
      return "assignment";
    case Action::unassign:
      return "unassignment";
    case Action::deprecate:
      return "deprecation";
    case Action::create:
      return "creation";
  }
  return "registration";
}

bool valid_name(std::string_view name) {
  if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back())) return false;
  for (char c : name) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '/') return false;
  }
  return true;
}

bool valid_model_name(std::string_view name) {
  auto colon = name.find(':');
  if (colon == std::string_view::npos) return valid_name(name);
  return valid_dirname(name.substr(0, colon)) && valid_name(name.substr(colon + 1));
}

std::string TagName::str() const {
  std::string model_in_tag = model;
  if (auto colon = model_in_tag.find(':'); colon != std::string::npos) model_in_tag[colon] = '=';
  std::string tag = model_in_tag;
  switch (action) {
    case Action::register_version:
      tag += "@" + version;
      break;
    case Action::deregister_version:
      tag += "@" + version + "!";
      break;
    case Action::assign:
      tag += "#" + stage;
      break;
    case Action::unassign:
      tag += "#" + stage + "!";
      break;
    case Action::deprecate:
      tag += "@deprecated";
      break;
    case Action::create:
      tag += "@created";
      break;
  }
  if (counter) tag += "#" + std::to_string(*counter);
  return tag;
}

std::optional<TagName> parse_tag_name(std::string_view tag) {
  // Names, stages and versions contain neither '@' nor '#', so the first of them ends the name.
  auto sign = tag.find_first_of("@#");
  if (sign == std::string_view::npos) return std::nullopt;
  TagName parsed;
  std::string_view artifact = tag.substr(0, sign);
  if (auto eq = artifact.find('='); eq != std::string_view::npos) {
    if (!valid_dirname(artifact.substr(0, eq)) || !valid_name(artifact.substr(eq + 1))) return std::nullopt;
    parsed.model = std::string(artifact.substr(0, eq)) + ":" + std::string(artifact.substr(eq + 1));
  } else {
    if (!valid_name(artifact)) return std::nullopt;
    parsed.model = std::string(artifact);
  }

  char kind = tag[sign];
  std::string_view rest = tag.substr(sign + 1);
  // The body ("v1.2.3!", "prod", "deprecated") and an optional "#N" counter.
  std::string_view body = rest;
  if (auto hash = rest.find('#'); hash != std::string_view::npos) {
    body = rest.substr(0, hash);
    parsed.counter = parse_counter(rest.substr(hash + 1));
    if (!parsed.counter) return std::nullopt;
  }
  if (kind == '@' && (body == "deprecated" || body == "created")) {
    parsed.action = body == "deprecated" ? Action::deprecate : Action::create;
    return parsed;
  }
  bool cancel = !body.empty() && body.back() == '!';
  if (cancel) body.remove_suffix(1);
  if (kind == '@') {
    if (!SemVer::parse(body)) return std::nullopt;
    parsed.action = cancel ? Action::deregister_version : Action::register_version;
    parsed.version = std::string(body);
  } else {
    if (!valid_name(body)) return std::nullopt;
    parsed.action = cancel ? Action::unassign : Action::assign;
    parsed.stage = std::string(body);
  }
  return parsed;
}

}  // namespace mlops::registry
