#include "mlops/llm/template.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>

// Inside the namespace: the unit tests compile in unity batches, where a using-directive would leak.
namespace mlops::llm {

using json = nlohmann::json;

namespace {

std::string render_text(std::string_view body, const json& vars, const RenderOptions& options = {}) {
  auto parsed = Template::parse(body);
  REQUIRE(parsed);
  auto rendered = parsed->render(vars, options);
  REQUIRE(rendered);
  REQUIRE_FALSE(rendered->chat);
  return rendered->text;
}

std::string parse_error(std::string_view body, Position origin = {}) {
  auto parsed = Template::parse(body, origin);
  REQUIRE_FALSE(parsed);
  return std::to_string(parsed.error().at.line) + ":" + std::to_string(parsed.error().at.column) + " " +
         parsed.error().message;
}

}  // namespace

TEST_CASE("template variables and dotted paths print their values") {
  CHECK(render_text("Hello {{name}}!", {{"name", "Ada"}}) == "Hello Ada!");
  CHECK(render_text("{{ user.name }} ({{user.age}})", {{"user", {{"name", "Ada"}, {"age", 36}}}}) == "Ada (36)");
  CHECK(render_text("{{a}}|{{b}}|{{c}}|{{d}}|{{e}}",
                    {{"a", true}, {"b", nullptr}, {"c", 1.5}, {"d", json::array({1, "x"})}, {"e", {{"k", 1}}}}) ==
        R"(true||1.5|[1,"x"]|{"k":1})");
  // No HTML escaping: prompts are not HTML.
  CHECK(render_text("{{x}}", {{"x", "<b>&\"'"}}) == "<b>&\"'");
  // Values are never read as templates.
  CHECK(render_text("{{x}}", {{"x", "{{y}}"}}) == "{{y}}");
}

TEST_CASE("a missing variable is an error naming it, unless optional") {
  auto parsed = Template::parse("Hi {{user.name}}", Position{7, 1}, "p.prompt");
  REQUIRE(parsed);
  auto missing = parsed->render(json{{"user", json::object()}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == mlops::Exit::bad_input);
  CHECK(missing.error().message == "missing variable 'user.name' ('p.prompt' line 7, column 4)");
  CHECK(parsed->render(json{{"user", "not an object"}}).error().message.starts_with("missing variable 'user.name'"));
  // Optional: the path or a prefix of it.
  RenderOptions options;
  options.optional = {"user"};
  CHECK(render_text("Hi {{user.name}}.", json::object(), options) == "Hi .");
  options.optional = {"user.name"};
  CHECK(render_text("Hi {{user.name}}.", json::object(), options) == "Hi .");
  options.optional = {"use"};
  CHECK_FALSE(Template::parse("{{user.name}}")->render(json::object(), options));
}

TEST_CASE("if blocks pick a branch by truthiness; missing is false") {
  const std::string body = "{{#if x}}yes{{else}}no{{/if}}";
  CHECK(render_text(body, {{"x", true}}) == "yes");
  CHECK(render_text(body, {{"x", "a"}}) == "yes");
  CHECK(render_text(body, {{"x", 2}}) == "yes");
  CHECK(render_text(body, {{"x", json::array({0})}}) == "yes");
  const std::vector<json> falsy_values = {false, nullptr, 0, 0.0, "", json::array(), json::object()};
  for (const json& falsy : falsy_values) {
    INFO(falsy.dump());
    json vars = json::object();
    vars["x"] = falsy;
    CHECK(render_text(body, vars) == "no");
  }
  CHECK(render_text(body, json::object()) == "no");
  CHECK(render_text("{{#if a.b}}{{a.b}}{{/if}}", {{"a", 1}}) == "");
  CHECK(render_text("{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{/if}}", {{"a", 1}}) == "a");
  // A missing variable in the branch not taken is no error.
  CHECK(render_text("{{#if x}}{{y}}{{/if}}", json::object()) == "");
}

TEST_CASE("standalone block lines vanish; the result is trimmed") {
  const std::string body =
      "\nIntro\n  {{#if ctx}}  \nContext: {{ctx}}\n{{else}}\nNo context.\n{{/if}}\n{{! a comment }}\nEnd {{! inline "
      "}}.\n\n";
  CHECK(render_text(body, {{"ctx", "C"}}) == "Intro\nContext: C\nEnd .");
  CHECK(render_text(body, json::object()) == "Intro\nNo context.\nEnd .");
  // A block tag sharing its line with text keeps the line.
  CHECK(render_text("a {{#if x}}b{{/if}}\nc", {{"x", 1}}) == "a b\nc");
  // CRLF lines are standalone too.
  CHECK(render_text("{{#if x}}\r\nyes\r\n{{/if}}\r\n", {{"x", 1}}) == "yes");
}

TEST_CASE("an escaped opening is literal text") {
  CHECK(render_text("\\{{x}} {{x}}", {{"x", 1}}) == "{{x}} 1");
  CHECK(render_text("\\\\{{x}}", json::object()) == "\\{{x}}");
  CHECK(render_text("a }} b", json::object()) == "a }} b");
}

TEST_CASE("role markers make chat messages") {
  auto parsed = Template::parse(
      "\n{{role \"system\"}}\nYou are terse.\n{{ role \"user\" }}\n{{#if name}}I am {{name}}.{{/if}}\nHelp.\n{{role "
      "\"assistant\"}}\n");
  REQUIRE(parsed);
  CHECK(parsed->chat());
  auto rendered = parsed->render({{"name", "Ada"}});
  REQUIRE(rendered);
  REQUIRE(rendered->chat);
  REQUIRE(rendered->messages.size() == 3);
  CHECK(rendered->messages[0].role == "system");
  CHECK(rendered->messages[0].content == "You are terse.");
  CHECK(rendered->messages[1].role == "user");
  CHECK(rendered->messages[1].content == "I am Ada.\nHelp.");
  CHECK(rendered->messages[2].content == "");
  CHECK(
      rendered->to_json().dump() ==
      R"({"messages":[{"content":"You are terse.","role":"system"},{"content":"I am Ada.\nHelp.","role":"user"},{"content":"","role":"assistant"}]})");
  CHECK(Template::parse("plain")->render(json::object())->to_json().dump() == R"({"text":"plain"})");
}

TEST_CASE("malformed templates name the line and column") {
  CHECK(parse_error("a\nb {{x") ==
        "2:3 unclosed '{{' (a tag ends with '}}' on the same line; write '\\{{' for a literal '{{')");
  CHECK(parse_error("{{x\n}}").starts_with("1:1 unclosed '{{'"));
  CHECK(parse_error("é {{#each xs}}").starts_with("1:3 unknown tag '{{#each xs}}'"));
  CHECK(parse_error("{{{x}}}").starts_with("1:1 unknown tag '{{{x}}'"));
  CHECK(parse_error("{{}}").starts_with("1:1 unknown tag '{{}}'"));
  CHECK(parse_error("{{a..b}}").starts_with("1:1 unknown tag"));
  CHECK(parse_error("{{1a}}").starts_with("1:1 unknown tag"));
  CHECK(parse_error("{{#if}}x{{/if}}") == "1:1 '{{#if}}' needs a variable, as in '{{#if name}}'");
  CHECK(parse_error("{{#if a b}}x{{/if}}").starts_with("1:1 'a b' is not a variable name"));
  CHECK(parse_error("x\n{{#if a}}\ny") == "2:1 unclosed '{{#if a}}' (end it with '{{/if}}')");
  CHECK(parse_error("{{/if}}") == "1:1 '{{/if}}' without an '{{#if}}'");
  CHECK(parse_error("{{else}}") == "1:1 '{{else}}' outside '{{#if}}'");
  CHECK(parse_error("{{#if a}}{{else}}{{else}}{{/if}}") == "1:18 a second '{{else}}' in '{{#if a}}'");
  CHECK(parse_error("{{role \"bot\"}}") == "1:1 unknown role 'bot' (roles: system, user, assistant)");
  CHECK(parse_error("{{role system}}").starts_with("1:1 a role marker names its role in double quotes"));
  CHECK(parse_error("{{role \"user\"}}{{#if a}}{{role \"system\"}}{{/if}}")
            .starts_with("1:25 role marker inside '{{#if a}}'"));
  CHECK(parse_error("hello\n{{role \"user\"}}\nx").starts_with("2:1 text before the first role marker"));
  CHECK(parse_error("{{x}}\n{{role \"user\"}}\nx").starts_with("1:1 '{{x}}' before the first role marker"));
  // Positions are the file's.
  CHECK(parse_error("ok\n {{bad tag}}", Position{10, 1}).starts_with("11:2 unknown tag"));
  auto as_error = Template::parse("{{", Position{4, 1}, "prompts/a.prompt");
  REQUIRE_FALSE(as_error);
  CHECK(as_error.error().exit == mlops::Exit::bad_input);
  CHECK(as_error.error().message.starts_with("'prompts/a.prompt' line 4, column 1: unclosed '{{'"));
}

TEST_CASE("nesting is limited, so no input exhausts the stack") {
  std::string deep;
  for (int i = 0; i < 32; ++i) deep += "{{#if a}}";
  for (int i = 0; i < 32; ++i) deep += "{{/if}}";
  CHECK(Template::parse(deep));
  CHECK(parse_error("{{#if a}}" + deep + "{{/if}}") == "1:289 '{{#if}}' nested deeper than 32");
  std::string huge(100000, '{');
  CHECK_FALSE(Template::parse(huge));
}

TEST_CASE("variables() lists every read with its guard") {
  auto parsed = Template::parse("{{a}}\n{{#if b}}{{b.c}} {{d}}{{else}}{{b}}{{/if}}");
  REQUIRE(parsed);
  auto uses = parsed->variables();
  REQUIRE(uses.size() == 5);
  CHECK(uses[0].path == "a");
  CHECK_FALSE(uses[0].guarded);
  CHECK(uses[1].path == "b");
  CHECK(uses[1].in_condition);
  CHECK(uses[1].at.line == 2);
  CHECK(uses[2].path == "b.c");
  CHECK(uses[2].guarded);
  CHECK(uses[3].path == "d");
  CHECK_FALSE(uses[3].guarded);
  CHECK(uses[4].path == "b");
  CHECK_FALSE(uses[4].guarded);
  CHECK(parsed->literal_text() == "\n ");
}

TEST_CASE("scan_tags reads a broken body to its end") {
  auto scan = scan_tags("{{a}} {{#each x}} {{b\n{{/if}}");
  CHECK(scan.tags.size() == 2);
  CHECK(scan.errors.size() == 2);
  CHECK(scan.tags[1].at.line == 2);
  CHECK(scan.tags[1].standalone);
}

}  // namespace mlops::llm

namespace mlops::llm {

// A small deterministic fuzz: bodies stitched from the language's pieces never throw, parse or
// fail with a position inside the body, and render or fail with bad input.
TEST_CASE("random bodies parse, render and lint without throwing") {
  const std::vector<std::string> pieces = {"{{",       "}}",      "{{a}}",   "{{a.b}}",    "{{#if a}}",
                                           "{{else}}", "{{/if}}", "\n",      "text",       "{{role \"user\"}}",
                                           "{{! c }}", "\\{{",    "{",       "}",          "${a}",
                                           "é",        " ",       "{{#if}}", "{{role x}}", "\r\n",
                                           "<a>",      "</a>",    "```",     "\"\"\""};
  std::mt19937 random(20261201);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), length(0, 40);
  const json vars = {{"a", {{"b", "x"}}}};
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string body;
    for (std::size_t n = length(random); n > 0; --n) body += pieces[pick(random)];
    INFO(body);
    std::expected<Template, SyntaxError> tmpl = std::unexpected(SyntaxError{});
    REQUIRE_NOTHROW(tmpl = Template::parse(body, Position{3, 1}));
    if (!tmpl) {
      CHECK(tmpl.error().at.line >= 3);
      CHECK_FALSE(tmpl.error().message.empty());
    } else {
      ++parsed;
      Result<Rendered> rendered = std::unexpected(Error{});
      REQUIRE_NOTHROW(rendered = tmpl->render(vars));
      if (!rendered) CHECK(rendered.error().exit == Exit::bad_input);
    }
    CHECK_NOTHROW(scan_tags(body));
  }
  CHECK(parsed > 100);  // the generator reaches the renderer, not only the parser's errors
}

TEST_CASE("a caller's hint for a missing variable replaces 'give it a value'") {
  auto parsed = Template::parse("Hi {{usr.name}}");
  REQUIRE(parsed);
  RenderOptions options;
  options.missing_hint = [](std::string_view path) {
    return path == "usr.name" ? std::string("did you mean 'user.name'?") : std::string();
  };
  auto missing = parsed->render(json::object(), options);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().hint == "did you mean 'user.name'?");
  // "" keeps the default.
  auto other = Template::parse("Hi {{x}}")->render(json::object(), options);
  CHECK(other.error().hint == "give it a value: --var x=VALUE or --vars FILE");
}

}  // namespace mlops::llm
