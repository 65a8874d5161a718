// P502: credentials written into a prompt. Each pattern is a fixed prefix and the characters that
// follow it, scanned by hand (linear in the text, whatever it holds).
#include <fmt/format.h>

#include <algorithm>

#include "mlops/llm/lint_checks.hpp"

namespace mlops::llm::lint_detail {

namespace {

enum class Chars { upper_digit, alnum, token };  // [A-Z0-9], [A-Za-z0-9], [A-Za-z0-9_-]

struct SecretPattern {
  std::string_view prefix;
  Chars chars;
  std::size_t min_length;  // of the part after the prefix
  std::string_view what;
};

const SecretPattern kSecretPatterns[] = {
    {"AKIA", Chars::upper_digit, 16, "an AWS access key id"},
    {"ASIA", Chars::upper_digit, 16, "an AWS temporary access key id"},
    {"sk-", Chars::token, 20, "an OpenAI or Anthropic API key"},
    {"ghp_", Chars::alnum, 36, "a GitHub token"},
    {"gho_", Chars::alnum, 36, "a GitHub token"},
    {"ghs_", Chars::alnum, 36, "a GitHub token"},
    {"github_pat_", Chars::token, 22, "a GitHub token"},
    {"glpat-", Chars::token, 20, "a GitLab token"},
    {"xoxb-", Chars::token, 10, "a Slack token"},
    {"xoxp-", Chars::token, 10, "a Slack token"},
    {"AIza", Chars::token, 35, "a Google API key"},
    {"sk_live_", Chars::alnum, 16, "a Stripe secret key"},
    {"hf_", Chars::alnum, 30, "a Hugging Face token"},
};

bool secret_char(Chars chars, char c) {
  bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
  switch (chars) {
    case Chars::upper_digit:
      return upper || digit;
    case Chars::alnum:
      return upper || lower || digit;
    case Chars::token:
      return upper || lower || digit || c == '_' || c == '-';
  }
  return false;
}

bool token_char(char c) { return secret_char(Chars::token, c); }

int column_at(std::string_view line, std::size_t byte) {
  return 1 + static_cast<int>(std::count_if(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(byte),
                                            [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void check_secret_line(Context& context, std::string_view line, int number) {
  if (std::size_t at = line.find("-----BEGIN "); at != std::string_view::npos) {
    std::size_t key = line.find("PRIVATE KEY-----", at);
    if (key != std::string_view::npos) {
      context.add({number, column_at(line, at)}, "P502",
                  "a private key is written in the prompt (never put keys in prompts)");
      return;
    }
  }
  for (const SecretPattern& pattern : kSecretPatterns) {
    for (std::size_t at = line.find(pattern.prefix); at != std::string_view::npos;
         at = line.find(pattern.prefix, at + 1)) {
      if (at > 0 && token_char(line[at - 1])) continue;  // inside a longer word
      std::size_t end = at + pattern.prefix.size();
      while (end < line.size() && secret_char(pattern.chars, line[end])) ++end;
      if (end - at - pattern.prefix.size() < pattern.min_length) continue;
      context.add({number, column_at(line, at)}, "P502",
                  fmt::format("this looks like {} ('{}...'); keep secrets out of prompts and revoke this one",
                              pattern.what, line.substr(at, pattern.prefix.size() + 2)));
      break;
    }
  }
}

}  // namespace

void check_secrets(Context& context, std::string_view text) {
  int number = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t eol = text.find('\n', start);
    std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    check_secret_line(context, text.substr(start, end - start), number);
    start = end + 1;
    ++number;
  }
}

}  // namespace mlops::llm::lint_detail
