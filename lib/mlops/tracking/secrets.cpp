#include "mlops/tracking/secrets.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <optional>

#include "mlops/core/config_files.hpp"
#include "mlops/core/file.hpp"

namespace mlops::tracking {

namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_word_char(char c) { return is_alnum(c) || c == '_'; }
// Characters of a name: API_KEY, api-key, db.password.
bool is_name_char(char c) { return is_word_char(c) || c == '-' || c == '.'; }

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// The words of a name, lower-cased: split at '_', '-', '.', spaces and camelCase humps.
std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(lower(word));
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      flush();
      continue;
    }
    if (is_upper(c) && i > 0 && is_lower(name[i - 1])) flush();
    word += c;
  }
  flush();
  return words;
}

// Letters that every secret key name holds one of (is_secret_key's words).
constexpr std::string_view kTellingLetters[] = {"pass", "secret", "token", "cred", "key", "auth"};

bool contains(std::initializer_list<std::string_view> list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// A token of a well-known credential shape: a fixed prefix, then at least `min` (at most `max`)
// characters of its alphabet.
struct TokenShape {
  std::string_view prefix;
  std::string_view alphabet;  // "A": A-Z0-9; "a": A-Za-z0-9; "a_": and '_'; "a_-": and '_', '-'
  std::size_t min;
  std::size_t max;
};

constexpr std::size_t kAny = std::string_view::npos;
constexpr std::array kTokenShapes{
    // AWS access key ids (AKIA: a user's, ASIA: temporary, ...): exactly 16 more.
    TokenShape{"AKIA", "A", 16, 16}, TokenShape{"ASIA", "A", 16, 16}, TokenShape{"ABIA", "A", 16, 16},
    TokenShape{"ACCA", "A", 16, 16}, TokenShape{"AGPA", "A", 16, 16}, TokenShape{"AIDA", "A", 16, 16},
    TokenShape{"AIPA", "A", 16, 16}, TokenShape{"ANPA", "A", 16, 16}, TokenShape{"ANVA", "A", 16, 16},
    TokenShape{"AROA", "A", 16, 16}, TokenShape{"APKA", "A", 16, 16}, TokenShape{"ASCA", "A", 16, 16},
    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Stripe, GitHub, GitLab, Slack, Google,
    // Hugging Face, npm.
    TokenShape{"sk-", "a_-", 20, kAny}, TokenShape{"sk_live_", "a", 16, kAny}, TokenShape{"sk_test_", "a", 16, kAny},
    TokenShape{"rk_live_", "a", 16, kAny}, TokenShape{"ghp_", "a", 30, kAny}, TokenShape{"gho_", "a", 30, kAny},
    TokenShape{"ghu_", "a", 30, kAny}, TokenShape{"ghs_", "a", 30, kAny}, TokenShape{"ghr_", "a", 30, kAny},
    TokenShape{"github_pat_", "a_", 30, kAny}, TokenShape{"glpat-", "a_-", 20, kAny},
    TokenShape{"xoxb-", "a-", 10, kAny}, TokenShape{"xoxp-", "a-", 10, kAny}, TokenShape{"xoxa-", "a-", 10, kAny},
    TokenShape{"xoxr-", "a-", 10, kAny}, TokenShape{"xoxs-", "a-", 10, kAny}, TokenShape{"AIza", "a_-", 35, 35},
    TokenShape{"hf_", "a", 30, kAny}, TokenShape{"npm_", "a", 36, 36}};

bool in_alphabet(char c, std::string_view alphabet) {
  if (alphabet.front() == 'A') return is_upper(c) || std::isdigit(static_cast<unsigned char>(c));
  if (is_alnum(c)) return true;
  return alphabet.find(c, 1) != std::string_view::npos;
}

// The length of a token of a known shape at the start of `text`, or 0.
std::size_t token_at(std::string_view text) {
  for (const auto& shape : kTokenShapes) {
    if (!text.starts_with(shape.prefix)) continue;
    std::size_t n = shape.prefix.size();
    while (n < text.size() && in_alphabet(text[n], shape.alphabet)) ++n;
    std::size_t body = n - shape.prefix.size();
    if (body < shape.min) continue;
    if (shape.max != kAny && body != shape.max) continue;
    // A longer run of word characters is some other word that happens to start the same way.
    if (n < text.size() && is_word_char(text[n])) continue;
    return n;
  }
  return 0;
}

// A bare value that is code or a reference rather than a literal secret.
bool looks_like_code(std::string_view value, bool code_style) {
  if (value.empty()) return true;
  if (value == kRedacted) return true;
  char first = value.front();
  if (first == '$' || first == '%' || first == '{' || first == '<' || first == '[' || first == '*') return true;
  if (value.find_first_of("([") != std::string_view::npos) return true;
  if (contains({"none", "null", "nil", "true", "false", "undefined", "~", "\"\"", "''"}, lower(value))) return true;
  if (!code_style) return false;
  // `token = self.token`, `password=password`: an identifier, possibly dotted, without digits.
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
}

class Redactor {
 public:
  explicit Redactor(std::string_view text) : text_(text) { out_.reserve(text.size()); }

  std::string run(std::size_t* count) {
    while (i_ < text_.size()) step();
    if (count) *count += count_;
    return std::move(out_);
  }

 private:
  std::string_view rest() const { return text_.substr(i_); }
  bool at_word_start() const { return i_ == 0 || !is_name_char(text_[i_ - 1]); }
  void redacted() {
    out_ += kRedacted;
    ++count_;
  }

  void step() {
    std::string_view rest = this->rest();
    if (rest.starts_with("-----BEGIN ") && private_key_block()) return;
    if (rest.starts_with("://")) {
      url();
      return;
    }
    if (at_word_start()) {
      if (std::size_t n = token_at(rest)) {
        redacted();
        i_ += n;
        return;
      }
      if ((rest.starts_with("Bearer ") || rest.starts_with("bearer ")) && bearer()) return;
      if (is_alnum(rest.front()) || rest.front() == '_' || (rest.front() == '-' && rest.size() > 1)) {
        name();
        return;
      }
    }
    out_ += rest.front();
    ++i_;
  }

  // -----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----: the lines between become
  // [redacted] (the line breaks stay, so a patch's line counts hold).
  bool private_key_block() {
    std::string_view rest = this->rest();
    auto header_end = rest.find("-----", 11);
    if (header_end == std::string_view::npos) return false;
    std::string_view label = rest.substr(11, header_end - 11);
    if (label.find("PRIVATE KEY") == std::string_view::npos || label.find('\n') != std::string_view::npos) {
      return false;
    }
    std::size_t body_start = header_end + 5;
    out_ += rest.substr(0, body_start);
    auto end = rest.find("-----END", body_start);
    std::string_view body =
        rest.substr(body_start, end == std::string_view::npos ? std::string_view::npos : end - body_start);
    // Each line of the body becomes [redacted]; a body written on one line with "\n" escapes (a
    // JSON string) becomes one [redacted].
    std::size_t pos = 0;
    for (;;) {
      auto newline = body.find('\n', pos);
      std::string_view line =
          body.substr(pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
      bool cr = line.ends_with("\r");
      if (cr) line.remove_suffix(1);
      if (!line.empty()) redacted();
      if (cr) out_ += '\r';
      if (newline == std::string_view::npos) break;
      out_ += '\n';
      pos = newline + 1;
    }
    i_ += body_start + body.size();
    return true;
  }

  // scheme://user:password@host: the password goes.
  void url() {
    out_ += "://";
    i_ += 3;
    std::string_view rest = this->rest();
    auto end = rest.find_first_of("/?# \t\r\n\"'<>");
    std::string_view authority = rest.substr(0, end);
    auto at = authority.rfind('@');
    auto colon = authority.find(':');
    if (at != std::string_view::npos && colon != std::string_view::npos && colon < at && colon + 1 < at &&
        authority.substr(colon + 1, at - colon - 1) != kRedacted) {
      out_ += authority.substr(0, colon + 1);
      redacted();
      out_ += authority.substr(at);
    } else {
      out_ += authority;
    }
    i_ += authority.size();
  }

  // Authorization: Bearer <token>
  bool bearer() {
    std::string_view rest = this->rest();
    std::size_t n = 7;
    while (n < rest.size() &&
           (is_alnum(rest[n]) || std::string_view("._~+/=-").find(rest[n]) != std::string_view::npos)) {
      ++n;
    }
    if (n - 7 < 8) return false;
    out_ += rest.substr(0, 7);
    redacted();
    i_ += n;
    return true;
  }

  // A name, and when it names a secret, the value assigned to it: NAME=value, name: value,
  // "name": "value", --flag value, --flag=value.
  void name() {
    std::string_view rest = this->rest();
    std::size_t n = 0;
    while (n < rest.size() && rest[n] == '-') ++n;
    std::size_t dashes = n;
    while (n < rest.size() && is_name_char(rest[n])) ++n;
    std::string_view name = rest.substr(dashes, n - dashes);
    out_ += rest.substr(0, n);
    i_ += n;
    if (name.empty() || !is_secret_key(name)) return;
    bool flag = dashes > 0;
    bool upper_name = std::none_of(name.begin(), name.end(), is_lower);
    // "name": value — the quote that closes the name.
    std::size_t j = i_;
    char quote_before = i_ - n > 0 ? text_[i_ - n - 1] : '\0';
    if (j < text_.size() && (text_[j] == '"' || text_[j] == '\'') && text_[j] == quote_before) ++j;
    std::size_t spaces_before = 0;
    while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t')) ++j, ++spaces_before;
    bool colon = false;
    if (j < text_.size() && text_[j] == '=' && (j + 1 >= text_.size() || text_[j + 1] != '=')) {
      ++j;
    } else if (j < text_.size() && text_[j] == ':' && (j + 1 >= text_.size() || text_[j + 1] != ':')) {
      colon = true;
      ++j;
      if (j < text_.size() && text_[j] == '=') ++j;  // :=
    } else if (!(flag && spaces_before > 0)) {
      return;  // not an assignment
    }
    std::size_t spaces_after = 0;
    while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t')) ++j, ++spaces_after;
    if (j >= text_.size()) return;
    if (text_[j] == '"' || text_[j] == '\'') {
      char quote = text_[j];
      std::size_t k = j + 1;
      while (k < text_.size() && text_[k] != quote && text_[k] != '\n') k += text_[k] == '\\' ? 2 : 1;
      if (k >= text_.size() || text_[k] != quote) return;
      std::string_view value = text_.substr(j + 1, k - j - 1);
      // Empty, already redacted, or a placeholder: "${TOKEN}", "{{ secrets.TOKEN }}", "<your key>".
      if (value.empty() || value == kRedacted || value.front() == '$' || value.front() == '{' || value.front() == '<') {
        return;
      }
      out_ += text_.substr(i_, j + 1 - i_);
      redacted();
      out_ += quote;
      i_ = k + 1;
      return;
    }
    std::size_t k = j;
    while (k < text_.size() && !std::isspace(static_cast<unsigned char>(text_[k])) &&
           std::string_view("\"',;&|)}>`").find(text_[k]) == std::string_view::npos) {
      ++k;
    }
    std::string_view value = text_.substr(j, k - j);
    // Code (`token = self.token`) is told from an environment-style assignment (TOKEN=abc), a
    // flag or a YAML/JSON value by its spacing and the case of the name.
    bool code_style = !flag && !colon && (spaces_before + spaces_after > 0 || !upper_name);
    if (looks_like_code(value, code_style)) return;
    out_ += text_.substr(i_, j - i_);
    redacted();
    i_ = k;
  }

  std::string_view text_;
  std::size_t i_ = 0;
  std::string out_;
  std::size_t count_ = 0;
};

// Redacts text line by line, remembering across lines whether it is inside a private-key block
// (whose BEGIN line was seen but not its END line): such lines become [redacted] whole.
class LineRedactor {
 public:
  // Appends the redacted `line` (with its line break, if any) to `out`.
  void add(std::string_view line, std::string& out) {
    bool has_end = line.find("-----END") != std::string_view::npos;
    if (in_key_block_) {
      if (has_end) {
        in_key_block_ = false;
      } else {
        out += kRedacted;
        if (line.ends_with("\n")) out += '\n';
        ++count_;
        return;
      }
    }
    bool begins =
        line.find("-----BEGIN ") != std::string_view::npos && line.find("PRIVATE KEY") != std::string_view::npos;
    out += redact_text(line, &count_);
    if (begins && !has_end) in_key_block_ = true;
  }
  std::size_t count() const { return count_; }

 private:
  bool in_key_block_ = false;
  std::size_t count_ = 0;
};

// Flags that take a secret's value: --token X.
bool is_secret_flag(std::string_view word) {
  if (!word.starts_with("-") || word.find('=') != std::string_view::npos) return false;
  while (word.starts_with("-")) word.remove_prefix(1);
  return !word.empty() && is_secret_key(word);
}

}  // namespace

bool is_secret_name(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (std::string_view word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL", "AUTH"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

bool is_secret_key(std::string_view name) {
  // Most names are not secrets: a look for the telling letters first spares splitting them.
  std::string folded = lower(name);
  if (std::none_of(std::begin(kTellingLetters), std::end(kTellingLetters),
                   [&](std::string_view part) { return folded.find(part) != std::string::npos; })) {
    return false;
  }
  auto words = words_of(name);
  if (words.empty()) return false;
  const std::string& last = words.back();
  const std::string before = words.size() > 1 ? words[words.size() - 2] : std::string();
  if (contains({"password", "passwd", "passphrase", "secret", "credential", "credentials", "apikey"}, last)) {
    return true;
  }
  if (last == "token") {
    // A tokenizer's special tokens (pad_token, eos_token) and limits (max_token) are not secrets.
    return !contains({"bos", "eos", "pad", "unk", "cls", "sep", "mask", "sos", "special", "start", "end", "stop", "max",
                      "min", "num", "first", "last", "new"},
                     before);
  }
  if (last == "key") {
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      if (contains({"api", "access", "secret", "private", "auth", "client", "signing", "encryption", "master"},
                   words[i])) {
        return true;
      }
    }
  }
  // Environment style: KEY, STRIPE_KEY, GITLAB_AUTH.
  bool upper_name = std::any_of(name.begin(), name.end(), is_upper) && std::none_of(name.begin(), name.end(), is_lower);
  return upper_name && (last == "key" || last == "auth");
}

namespace {
// The values of this process's environment variables whose names say they are secrets
// (AWS_SECRET_ACCESS_KEY, OPENAI_API_KEY, ...). The command inherits them, so a value may turn
// up anywhere — printed to output.log, passed as a param under an innocent name — in a shape no
// scanner knows (an AWS secret key is 40 plain characters). Short values are left alone: they
// would match ordinary text.
const std::vector<std::string>& secret_environment_values() {
  static const std::vector<std::string> values = [] {
    std::vector<std::string> found;
    for (char** entry = environ; entry && *entry; ++entry) {
      std::string_view variable(*entry);
      auto equals = variable.find('=');
      if (equals == std::string_view::npos || !is_secret_name(variable.substr(0, equals))) continue;
      std::string_view value = variable.substr(equals + 1);
      if (value.size() >= 12 && value.find('\n') == std::string_view::npos) found.emplace_back(value);
    }
    // Longest first, so that a value containing another is replaced whole.
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return found;
  }();
  return values;
}
}  // namespace

std::string redact_text(std::string_view text, std::size_t* count) {
  std::string redacted = Redactor(text).run(count);
  for (const auto& value : secret_environment_values()) {
    for (auto at = redacted.find(value); at != std::string::npos; at = redacted.find(value, at + kRedacted.size())) {
      redacted.replace(at, value.size(), kRedacted);
      if (count) ++*count;
    }
  }
  return redacted;
}

std::size_t redact_command(std::vector<std::string>& argv) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (is_secret_flag(argv[i]) && i + 1 < argv.size() && !argv[i + 1].starts_with("-") && argv[i + 1] != kRedacted) {
      argv[i + 1] = std::string(kRedacted);
      ++count;
      ++i;
      continue;
    }
    argv[i] = redact_text(argv[i], &count);
  }
  return count;
}

std::vector<std::string> redact_pairs(std::map<std::string, std::string>& pairs) {
  std::vector<std::string> changed;
  for (auto& [key, value] : pairs) {
    std::string redacted;
    if (is_secret_key(key) && !value.empty() && value != kRedacted) {
      redacted = std::string(kRedacted);
    } else {
      redacted = redact_text(value);
    }
    if (redacted != value) {
      value = std::move(redacted);
      changed.push_back(key);
    }
  }
  return changed;
}

std::size_t redact_patch(std::string& patch) {
  std::string result;
  result.reserve(patch.size());
  LineRedactor lines;
  bool in_hunk = false;
  std::size_t pos = 0;
  std::string_view text(patch);
  while (pos < text.size()) {
    auto newline = text.find('\n', pos);
    std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    std::string_view line = text.substr(pos, end - pos);
    pos = end;
    if (line.starts_with("diff --git ")) {
      in_hunk = false;
      lines = LineRedactor();
    } else if (line.starts_with("@@ ")) {
      in_hunk = true;
    } else if (in_hunk && line.starts_with("+")) {
      result += '+';
      lines.add(line.substr(1), result);
      continue;
    } else if (!(in_hunk && (line.starts_with(" ") || line.starts_with("-") || line.starts_with("\\")))) {
      in_hunk = false;
    }
    result += line;
  }
  patch = std::move(result);
  return lines.count();
}

Result<std::size_t> redact_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return std::unexpected(system_error("read", from, errno));
  UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out) return std::unexpected(system_error("create", to, errno));
  LineRedactor lines;
  std::string pending;  // the unfinished last line of what was read
  std::string redacted;
  std::vector<char> buffer(1 << 20);
  auto write_out = [&]() -> Result<void> {
    std::size_t done = 0;
    while (done < redacted.size()) {
      ssize_t n = ::write(out.get(), redacted.data() + done, redacted.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return std::unexpected(system_error("write", to, errno));
      done += static_cast<std::size_t>(n);
    }
    redacted.clear();
    return {};
  };
  for (;;) {
    ssize_t got = ::read(in.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::unexpected(system_error("read", from, errno));
    if (got == 0) break;
    pending.append(buffer.data(), static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (auto newline = pending.find('\n'); newline != std::string::npos; newline = pending.find('\n', start)) {
      lines.add(std::string_view(pending).substr(start, newline + 1 - start), redacted);
      start = newline + 1;
    }
    pending.erase(0, start);
    MLOPS_TRY(write_out());
  }
  if (!pending.empty()) lines.add(pending, redacted);
  MLOPS_TRY(write_out());
  return lines.count();
}

bool Redactions::empty() const {
  return command == 0 && params.empty() && tags.empty() && diff == 0 && output == 0 && files.empty();
}

void Redactions::merge(const Redactions& other) {
  auto add = [](std::vector<std::string>& into, const std::vector<std::string>& from) {
    for (const auto& item : from) {
      if (std::find(into.begin(), into.end(), item) == into.end()) into.push_back(item);
    }
    std::sort(into.begin(), into.end());
  };
  command += other.command;
  add(params, other.params);
  add(tags, other.tags);
  diff += other.diff;
  output += other.output;
  add(files, other.files);
}

std::string Redactions::to_json() const {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  if (command) doc["command"] = command;
  if (!params.empty()) doc["params"] = params;
  if (!tags.empty()) doc["tags"] = tags;
  if (diff) doc["diff"] = diff;
  if (output) doc["output"] = output;
  if (!files.empty()) doc["files"] = files;
  return doc.dump();
}

Redactions Redactions::from_json(std::string_view text) {
  Redactions result;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return result;
  auto count = [&](const char* key) -> std::size_t {
    auto it = doc.find(key);
    return it != doc.end() && it->is_number_unsigned() ? it->get<std::size_t>() : 0;
  };
  auto list = [&](const char* key) {
    std::vector<std::string> items;
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_array()) return items;
    for (const auto& item : *it) {
      if (item.is_string()) items.push_back(item.get<std::string>());
    }
    return items;
  };
  result.command = count("command");
  result.params = list("params");
  result.tags = list("tags");
  result.diff = count("diff");
  result.output = count("output");
  result.files = list("files");
  return result;
}

std::string Redactions::describe_values() const {
  std::vector<std::string> parts;
  auto values = [](std::size_t n) { return fmt::format("{} value{}", n, n == 1 ? "" : "s"); };
  if (command) parts.push_back(fmt::format("command ({})", values(command)));
  if (!params.empty()) parts.push_back(fmt::format("params {}", fmt::join(params, ", ")));
  if (!tags.empty()) parts.push_back(fmt::format("tags {}", fmt::join(tags, ", ")));
  if (diff) parts.push_back(fmt::format("git.diff ({})", values(diff)));
  if (output) parts.push_back(fmt::format("output.log ({})", values(output)));
  return fmt::format("{}", fmt::join(parts, "; "));
}

Redactions redact_record(RunRecord& record, const Redactions& also) {
  Redactions done;
  done.command = redact_command(record.command);
  // A default name is a word of the command (`sh -c SCRIPT` is named by the script).
  record.name = redact_text(record.name);
  // The tool's own record of redactions is not user text.
  std::optional<std::string> previous;
  if (auto it = record.tags.find(std::string(kRedactedTag)); it != record.tags.end()) {
    previous = it->second;
    record.tags.erase(it);
  }
  done.params = redact_pairs(record.params);
  done.tags = redact_pairs(record.tags);
  if (previous) done.merge(Redactions::from_json(*previous));
  done.merge(also);
  if (!done.empty()) record.tags[std::string(kRedactedTag)] = done.to_json();
  return done;
}

const std::vector<std::string>& default_credential_files() {
  static const std::vector<std::string> patterns{".env",
                                                 ".env.*",
                                                 "*.env",
                                                 ".envrc",
                                                 "*.pem",
                                                 "*.key",
                                                 "id_rsa*",
                                                 "id_dsa*",
                                                 "id_ecdsa*",
                                                 "id_ed25519*",
                                                 ".netrc",
                                                 "_netrc",
                                                 ".pypirc",
                                                 ".npmrc",
                                                 ".git-credentials",
                                                 "credentials*",
                                                 "*.p12",
                                                 "*.pfx",
                                                 "*.jks",
                                                 "*.keystore",
                                                 ".htpasswd",
                                                 "*.kdbx",
                                                 "service-account*.json"};
  return patterns;
}

Result<std::vector<std::string>> credential_file_patterns(const Repo& repo) {
  std::vector<std::string> patterns = default_credential_files();
  MLOPS_TRY(read_config_files(
      repo, ConfigFiles::committed, [&](const YAML::Node& root, const std::filesystem::path& file) -> Result<void> {
        if (!root["runs"] || !root["runs"].IsMap() || !root["runs"]["secret_files"]) return {};
        const YAML::Node list = root["runs"]["secret_files"];
        auto malformed = [&] {
          return std::unexpected(
              bad_input(fmt::format("'runs.secret_files' in '{}' must be a list of file patterns", file.string()),
                        "write it as: runs: {secret_files: ['*.secret', '!.env.example']}"));
        };
        if (!list.IsSequence()) return malformed();
        for (const auto& item : list) {
          if (!item.IsScalar()) return malformed();
          std::string pattern = item.as<std::string>();
          if (pattern.starts_with("!")) {
            // Kept as a negation: a path it matches is not a credential file, whatever else matches.
            std::erase(patterns, pattern.substr(1));
            if (pattern.size() > 1) patterns.push_back(pattern);
          } else if (!pattern.empty() && std::find(patterns.begin(), patterns.end(), pattern) == patterns.end()) {
            patterns.push_back(pattern);
          }
        }
        return {};
      }));
  return patterns;
}

bool is_credential_file(std::string_view path, const std::vector<std::string>& patterns) {
  std::string full(path);
  auto slash = full.rfind('/');
  std::string name = slash == std::string::npos ? full : full.substr(slash + 1);
  auto matches = [&](std::string_view pattern) {
    std::string text(pattern);
    bool whole = text.find('/') != std::string::npos;
    return ::fnmatch(text.c_str(), whole ? full.c_str() : name.c_str(), whole ? FNM_PATHNAME : 0) == 0;
  };
  bool matched = false;
  for (const auto& pattern : patterns) {
    if (pattern.starts_with("!")) {
      if (matches(std::string_view(pattern).substr(1))) return false;
    } else if (!matched && matches(pattern)) {
      matched = true;
    }
  }
  return matched;
}

}  // namespace mlops::tracking
