#include "mlops/llm/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

// Inside the namespace: the unit tests compile in unity batches, where a using-directive would leak.
namespace mlops::llm {

using json = nlohmann::json;

namespace {

// A prompt every rule passes; each test case below breaks one rule at a time.
const std::string kClean = R"(---
name: support
model: local/echo
config:
  temperature: 0.2
  max_tokens: 256
input:
  schema:
    question: string
    context?: string
  untrusted: [question]
output:
  format: text
---
{{role "system"}}
You answer support questions.
{{role "user"}}
<question>
{{question}}
</question>
{{#if context}}Context: {{context}}{{/if}}
)";

std::vector<std::string> lint(const std::string& text, const std::string& path = "prompts/support.prompt",
                              LintOptions options = {}) {
  std::vector<std::string> out;
  for (const Finding& f : lint_prompt(text, path, options)) {
    out.push_back(fmt::format("{}:{} {}", f.line, f.column, f.code));
  }
  return out;
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE(
    "lint: a clean prompt has no findings, and findings print as "
    "path:line:col") {
  CHECK(lint(kClean).empty());
  auto findings = lint_prompt(replace(kClean, "temperature: 0.2", "temperature: 3"), "prompts/support.prompt");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].str() ==
        "prompts/support.prompt:5:16: P206 error "
        "config.temperature is 3; it must be from 0 to 2");
  CHECK(findings[0].to_json()["severity"] == "error");
  CHECK(findings[0].to_json()["line"] == 5);
}

TEST_CASE("lint: every rule has a unique code and a summary") {
  std::set<std::string_view> codes;
  for (const LintRule& rule : lint_rules()) {
    CHECK(codes.insert(rule.code).second);
    CHECK_FALSE(rule.summary.empty());
    CHECK(find_rule(rule.code) == &rule);
  }
  CHECK(find_rule("P999") == nullptr);
  CHECK(parse_severity("warning") == Severity::warning);
  CHECK_FALSE(parse_severity("info"));
}

TEST_CASE("lint: encoding (P101, P102, P103)") {
  CHECK(lint("---\nname: support\n---\nhi \xff there\n") == Codes{"4:4 P101"});
  CHECK(lint("\xEF\xBB\xBF" + kClean) == Codes{"1:1 P102"});
  std::string crlf;
  for (char c : kClean) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(lint(crlf) == Codes{"1:1 P103"});
  auto findings = lint_prompt(crlf, "prompts/support.prompt");
  CHECK(findings[0].message == "21 lines end with CRLF (use LF line ends)");
}

TEST_CASE("lint: front matter (P201, P202, P203)") {
  CHECK(lint(replace(kClean, "model: local/echo", "model: [local")) == Codes{"4:7 P201"});
  CHECK(lint("---\nname: support\n") == Codes{"1:1 P201"});
  CHECK(lint(replace(kClean, "output:\n  format: text\n", "output: 3\n")) == Codes{"12:1 P201"});
  auto unknown = lint_prompt(replace(kClean, "model:", "modle:"), "prompts/support.prompt");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].str() ==
        "prompts/support.prompt:3:1: P202 warning unknown "
        "key 'modle' (did you mean 'model'?)");
  CHECK(lint(replace(kClean, "  untrusted:", "  untrusty:")) == Codes{"11:3 P202"});
  CHECK(lint(replace(kClean, "  format: text", "  format: text\n  fromat_x: 1")).front() == "14:3 P202");
  CHECK(lint("Hello there\n", "prompts/hi.prompt") == Codes{"1:1 P203"});
}

TEST_CASE("lint: names (P204, P205)") {
  CHECK(lint(kClean, "prompts/other.prompt") == Codes{"2:7 P204"});
  CHECK(lint(replace(kClean, "name: support", "name: team/support")).empty());
  CHECK(lint(replace(kClean, "name: support", "name: -support"), "prompts/-support.prompt") == Codes{"2:7 P205"});
  CHECK(lint(replace(kClean, "name: support\n", ""), "prompts/bad name.prompt") == Codes{"1:1 P205"});
}

TEST_CASE("lint: config ranges (P206)") {
  CHECK(lint(replace(kClean, "max_tokens: 256", "max_tokens: 0")) == Codes{"6:15 P206"});
  CHECK(lint(replace(kClean, "max_tokens: 256", "max_tokens: 2.5")) == Codes{"6:15 P206"});
  CHECK(lint(replace(kClean, "max_tokens: 256", "top_p: 1.5")) == Codes{"6:10 P206"});
  CHECK(lint(replace(kClean, "max_tokens: 256", "top_p: high")) == Codes{"6:10 P206"});
  CHECK(lint(replace(kClean, "max_tokens: 256", "stop: [1, 2]")) == Codes{"6:9 P206"});
  CHECK(lint(replace(kClean, "max_tokens: 256", "stop: [\"\\n\"]\n  presence_penalty: -2\n  vendor_knob: 99")).empty());
}

TEST_CASE("lint: output (P207, P208)") {
  CHECK(lint(replace(kClean, "format: text", "format: json")) == Codes{"13:11 P207"});
  CHECK(lint(replace(kClean, "format: text",
                     "format: json\n  schema: answer.json"))
            .empty());  // no base_dir: unchecked
  auto dir = std::filesystem::temp_directory_path() / "mlops_lint_test_schema";
  std::filesystem::create_directories(dir);
  LintOptions options;
  options.base_dir = dir;
  std::string with_schema = replace(kClean, "format: text", "format: json\n  schema: answer.json");
  std::filesystem::remove(dir / "answer.json");
  CHECK(lint(with_schema, "prompts/support.prompt", options) == Codes{"14:11 P208"});
  std::ofstream(dir / "answer.json") << "{not json";
  CHECK(lint(with_schema, "prompts/support.prompt", options) == Codes{"14:11 P208"});
  std::ofstream(dir / "answer.json") << R"({"type": "object"})";
  CHECK(lint(with_schema, "prompts/support.prompt", options).empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("lint: tags (P301, P302)") {
  CHECK(lint(replace(kClean, "You answer", "{{#each x}} {{bad tag}} You answer")) == Codes{"16:1 P301", "16:13 P301"});
  CHECK(lint(replace(kClean, "{{/if}}", "")) == Codes{"21:1 P302"});
  CHECK(lint(replace(kClean, "Context: {{context}}{{/if}}", "Context: {{context}}{{/if}}{{/if}}")) ==
        Codes{"21:43 P302"});
  CHECK(lint(replace(kClean, "{{role \"system\"}}\n", "Intro\n{{role \"system\"}}\n")) == Codes{"16:1 P302"});
}

TEST_CASE("lint: other placeholder syntaxes (P303)") {
  CHECK(lint(replace(kClean, "You answer", "Hi ${name}, {user} and {a.b}. You answer")) ==
        Codes{"16:4 P303", "16:13 P303", "16:24 P303"});
  // JSON, doubled braces and our own tags are not placeholders.
  CHECK(lint(replace(kClean, "You answer", R"(Reply {"ok": true} or {{"{"}} \{{x}} {} $ {1} You answer)")).size() == 1);
  CHECK(lint(replace(kClean, "You answer", R"(Reply {"ok": true} {} $ {1} \{{x}} You answer)")).empty());
}

TEST_CASE("lint: empty body and sections (P304, P305)") {
  CHECK(lint("---\nname: support\n---\n\n  \n") == Codes{"4:1 P304"});
  CHECK(lint("---\nname: support\n---\n{{! only a comment }}\n") == Codes{"4:1 P304"});
  CHECK(lint(replace(kClean, "You answer support questions.\n", "")) == Codes{"15:1 P305"});
}

TEST_CASE("lint: variables (P401, P402, P403, P404)") {
  CHECK(lint(replace(kClean, "{{question}}", "{{question}} {{topic}}")) == Codes{"19:14 P401"});
  CHECK(lint(replace(kClean, "    context?: string\n", "")) == Codes{"20:1 P401", "20:25 P401"});
  CHECK(lint(replace(kClean, "    context?: string\n", "    context?: string\n    tone: string\n")) ==
        Codes{"11:5 P402"});
  auto messages = lint_prompt(replace(kClean, "{{question}}", "{{question}} {{topic}}"), "prompts/support.prompt");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].message == "'topic' is used but not declared (declare it under input.schema)");
  messages = lint_prompt(replace(kClean, "    context?: string\n", "    context?: string\n    tone: string\n"),
                         "prompts/support.prompt");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].message == "'tone' is declared but not used");
  // Fields of declared objects.
  std::string object = replace(kClean, "    context?: string\n", "    context?(object):\n      title: string\n");
  CHECK(lint(replace(object, "{{context}}", "{{context.title}}")).empty());
  CHECK(lint(replace(object, "{{context}}", "{{context.body}}")) == Codes{"22:25 P401"});
  // Front matter without a schema: every variable is undeclared.
  CHECK(lint("---\nname: support\n---\nHi {{who}}\n") == Codes{"4:4 P401"});
  // Untrusted, not fenced; fenced by a code block or by triple quotes.
  CHECK(lint(replace(replace(kClean, "<question>\n", ""), "</question>\n", "")) == Codes{"18:1 P403"});
  CHECK(lint(replace(replace(kClean, "<question>\n", "```\n"), "</question>\n", "```\n")).empty());
  CHECK(lint(replace(replace(kClean, "<question>\n", "\"\"\"\n"), "</question>\n", "\"\"\"\n")).empty());
  CHECK(lint(replace(kClean, "untrusted: [question]", "untrusted: [question, query]")) == Codes{"11:25 P404"});
}

TEST_CASE("lint: token estimate (P501)") {
  LintOptions options;
  options.max_tokens = 10;
  CHECK(lint(kClean, "prompts/support.prompt", options) == Codes{"15:1 P501"});
  options.max_tokens = 100;
  CHECK(lint(kClean, "prompts/support.prompt", options).empty());
}

TEST_CASE("lint: secrets (P502)") {
  CHECK(lint(replace(kClean, "You answer", "Use key AKIAABCDEFGHIJKLMNOP. You answer")) == Codes{"16:9 P502"});
  CHECK(lint(replace(kClean, "You answer", "Key: sk-proj-abcdefghijklmnopqrstuvwxyz0123. You answer")) ==
        Codes{"16:6 P502"});
  CHECK(lint(replace(kClean, "You answer", "-----BEGIN RSA PRIVATE KEY-----\nYou answer")) == Codes{"16:1 P502"});
  CHECK(lint(replace(kClean, "model: local/echo", "model: local/echo # ghp_abcdefghijklmnopqrstuvwxyz0123456789")) ==
        Codes{"3:21 P502"});
  // Too short, or inside a word: not a key.
  CHECK(lint(replace(kClean, "You answer", "Use sk-learn and TASKIAABCDEFGHIJKLMNOP. You answer")).empty());
}

TEST_CASE("lint: disable comments") {
  std::string unknown = replace(kClean, "model:", "modle:");
  CHECK(lint(replace(unknown, "modle: local/echo", "modle: local/echo  # mlops-lint: disable=P202")).empty());
  CHECK(lint(replace(unknown, "modle: local/echo", "# mlops-lint: disable=P202\nmodle: local/echo")).empty());
  CHECK(lint(replace(unknown, "modle: local/echo", "modle: local/echo  # mlops-lint: disable=P201")) ==
        Codes{"3:1 P202"});
  CHECK(lint(replace(unknown, "modle: local/echo", "modle: local/echo  # mlops-lint: disable=all")).empty());
  CHECK(lint(replace(unknown, "name: support", "name: support # mlops-lint: disable-file=P202,P206")).empty());
  // In the body: a standalone comment covers the next line, an inline one its
  // own line.
  std::string placeholder = replace(kClean, "You answer", "Hi {user}. You answer");
  CHECK(lint(replace(placeholder, "Hi {user}", "{{! mlops-lint: disable=P303 }}\nHi {user}")).empty());
  CHECK(lint(replace(placeholder, "Hi {user}.", "Hi {user}. {{! mlops-lint: disable=P303 }}")).empty());
  CHECK(lint(replace(placeholder, "Hi {user}.", "Hi {user}. {{! mlops-lint: disable=P403 }}")) == Codes{"16:4 P303"});
}

TEST_CASE("lint: never throws on garbage") {
  const std::vector<std::string> inputs = {"",
                                           "---",
                                           "---\n---",
                                           "---\n:\n---\n{{",
                                           "{{#if}}{{/if}}{{else}}",
                                           std::string(5000, '{'),
                                           "---\n[[[\n---\n}}}}{{{{",
                                           "\0\0\0"};
  for (const std::string& input : inputs) CHECK_NOTHROW(lint_prompt(input, "p.prompt"));
  // Deep flow YAML is refused before the parser; long lines of openers stay fast.
  CHECK(lint("---\nname: " + std::string(100000, '[') + "\n---\nx\n", "prompts/p.prompt") == Codes{"2:1 P201"});
  std::string openers = "---\nname: p\n---\n" + std::string(200000, '{') + std::string(100000, '<') + "a\n";
  auto findings = lint_prompt(openers, "prompts/p.prompt");
  CHECK(findings.size() == 100);  // scan errors are capped
  CHECK(findings[0].code == "P301");
}

}  // namespace mlops::llm

namespace mlops::llm {

TEST_CASE("lint: random files never throw and every finding has a known code and a position") {
  const std::vector<std::string> pieces = {"---\n",
                                           "name: p\n",
                                           "input:\n  schema:\n    a: string\n",
                                           "{{a}}",
                                           "{{#if a}}",
                                           "{{/if}}",
                                           "{{",
                                           "}}",
                                           "{x}",
                                           "\n",
                                           "\r\n",
                                           "\xEF\xBB\xBF",
                                           "\xff",
                                           "AKIAABCDEFGHIJKLMNOP",
                                           "# mlops-lint: disable=P303\n",
                                           "{{role \"user\"}}",
                                           "<a>",
                                           "</a>",
                                           "é",
                                           ":"};
  std::mt19937 random(1201);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), length(0, 30);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (std::size_t n = length(random); n > 0; --n) text += pieces[pick(random)];
    INFO(text);
    std::vector<Finding> findings;
    REQUIRE_NOTHROW(findings = lint_prompt(text, "prompts/p.prompt"));
    for (const Finding& f : findings) {
      CHECK(find_rule(f.code) != nullptr);
      CHECK(f.line >= 1);
      CHECK(f.column >= 1);
    }
  }
}

TEST_CASE("lint: P401 suggests the declared path a misspelt one probably meant") {
  auto findings = lint_prompt(replace(kClean, "{{question}}", "{{questoin}}"), "prompts/support.prompt");
  std::vector<std::string> messages;
  for (const Finding& f : findings) messages.push_back(f.code + " " + f.message);
  CHECK(std::find(messages.begin(), messages.end(),
                  "P401 'questoin' is used but not declared (did you mean 'question'? else declare it under "
                  "input.schema)") != messages.end());
  // Keys get core's did-you-mean too: a swap of two letters is one edit.
  auto swapped = lint_prompt(replace(kClean, "model:", "mdoel:"), "prompts/support.prompt");
  REQUIRE(swapped.size() == 1);
  CHECK(swapped[0].message == "unknown key 'mdoel' (did you mean 'model'?)");
}

TEST_CASE("lint: secrets_always keeps P502 where a disable comment silences it") {
  std::string text =
      replace(kClean, "You answer", "Use AKIAABCDEFGHIJKLMNOP. {{! mlops-lint: disable=P502 }} You answer");
  CHECK(lint(text).empty());
  LintOptions options;
  options.secrets_always = true;
  CHECK(lint(text, "prompts/support.prompt", options) == Codes{"16:5 P502"});
  // Other codes stay silenced.
  std::string both = replace(text, "disable=P502", "disable=P502,P303");
  both = replace(both, "Use AKIA", "Use {x} AKIA");
  CHECK(lint(both, "prompts/support.prompt", options) == Codes{"16:9 P502"});
}

}  // namespace mlops::llm
