#include "mlops/llm/prompt.hpp"

#include <catch2/catch.hpp>
#include <string>

// Inside the namespace: the unit tests compile in unity batches, where a using-directive would leak.
namespace mlops::llm {

using json = nlohmann::json;

namespace {

const std::string kSupport = R"(---
name: support
model: local/echo
config:
  temperature: 0.2
  max_tokens: 256
  stop: ["\n\n"]
input:
  schema:
    question: string, what the customer asked
    customer(object):
      name: string
      tier?: string
    context?(array): string
  untrusted: [question]
  default:
    customer: {name: friend}
output:
  format: json
  schema: schemas/answer.json
metadata:
  owner: support-team
---
{{role "system"}}
Answer as JSON.
{{role "user"}}
{{customer.name}}{{#if customer.tier}} ({{customer.tier}}){{/if}} asks:
<question>{{question}}</question>
{{#if context}}Context: {{context}}{{/if}}
)";

Prompt parse(std::string_view text, std::string_view file = "prompts/support.prompt") {
  auto prompt = parse_prompt(text, file);
  if (!prompt) FAIL(prompt.error().message);
  return std::move(*prompt);
}

std::string error_of(std::string_view text, std::string_view file = "prompts/p.prompt") {
  auto prompt = parse_prompt(text, file);
  REQUIRE_FALSE(prompt);
  CHECK(prompt.error().exit == mlops::Exit::bad_input);
  return prompt.error().message;
}

}  // namespace

TEST_CASE("a prompt file's front matter and body") {
  Prompt p = parse(kSupport);
  CHECK(p.name == "support");
  CHECK(p.model == "local/echo");
  CHECK(p.config["temperature"] == 0.2);
  CHECK(p.config["max_tokens"] == 256);
  CHECK(p.config["stop"] == json::array({"\n\n"}));
  CHECK(p.metadata["owner"] == "support-team");
  CHECK(p.has_front_matter);
  CHECK(p.has_schema);
  REQUIRE(p.variables.size() == 3);
  CHECK(p.variables[0].name == "question");
  CHECK(p.variables[0].type == "string");
  CHECK(p.variables[0].description == "what the customer asked");
  CHECK(p.variables[0].required);
  CHECK(p.variables[0].at.line == 10);
  CHECK(p.variables[0].at.column == 5);
  CHECK(p.variables[1].type == "object");
  REQUIRE(p.variables[1].fields.size() == 2);
  CHECK_FALSE(p.variables[1].fields[1].required);
  CHECK(p.variables[2].name == "context");
  CHECK(p.variables[2].type == "array");
  CHECK_FALSE(p.variables[2].required);
  CHECK(p.untrusted == std::vector<std::string>{"question"});
  CHECK(p.output_format == "json");
  CHECK(p.output_schema == "schemas/answer.json");
  CHECK(p.body_at.line == 24);
  CHECK(p.tmpl.chat());
  CHECK(p.optional_paths() == std::set<std::string, std::less<>>{"context", "customer.tier"});
  CHECK(p.version_string().starts_with("xxh3:"));
  CHECK(p.short_version().size() == 12);
}

TEST_CASE("rendering a prompt: defaults, required and optional variables") {
  Prompt p = parse(kSupport);
  auto rendered = render_prompt(p, {{"question", "Where is my order?"}});
  REQUIRE(rendered);
  REQUIRE(rendered->messages.size() == 2);
  CHECK(rendered->messages[1].content == "friend asks:\n<question>Where is my order?</question>");
  rendered =
      render_prompt(p, {{"question", "Q"}, {"customer", {{"name", "Ada"}, {"tier", "gold"}}}, {"context", {"a", "b"}}});
  REQUIRE(rendered);
  CHECK(rendered->messages[1].content == "Ada (gold) asks:\n<question>Q</question>\nContext: [\"a\",\"b\"]");

  auto missing = render_prompt(p, json::object());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == mlops::Exit::bad_input);
  CHECK(missing.error().message == "missing variable 'question' (required by 'prompts/support.prompt' line 10)");
  CHECK(missing.error().hint == "give it a value: --var question=VALUE or --vars FILE");
  // A required field of a given object.
  auto field = render_prompt(p, {{"question", "Q"}, {"customer", {{"tier", "gold"}}}});
  REQUIRE_FALSE(field);
  CHECK(field.error().message.starts_with("missing variable 'customer.name'"));
  CHECK_FALSE(render_prompt(p, json::array()));

  // A required variable is required even when the body does not print it.
  Prompt unused = parse("---\ninput:\n  schema:\n    x: string\n---\nno variables\n");
  CHECK(render_prompt(unused, json::object()).error().message.starts_with("missing variable 'x'"));
  // Without a schema, what the body prints is required.
  Prompt bare = parse("Hi {{who}}\n", "prompts/bare.prompt");
  CHECK(bare.name == "bare");
  CHECK_FALSE(bare.has_front_matter);
  CHECK(render_prompt(bare, json::object()).error().message ==
        "missing variable 'who' ('prompts/bare.prompt' line 1, column 4)");
  CHECK(render_prompt(bare, {{"who", "you"}})->text == "Hi you");
}

TEST_CASE("JSON Schema declarations work too") {
  Prompt p = parse(
      "---\ninput:\n  schema:\n    type: object\n    properties:\n      q: {type: string}\n      n: {type: integer}\n"
      "    required: [q]\n---\n{{q}}{{n}}\n");
  REQUIRE(p.variables.size() == 2);
  CHECK(p.variables[0].required);
  CHECK_FALSE(p.variables[1].required);
  CHECK(p.variables[1].type == "integer");
  CHECK(render_prompt(p, {{"q", "x"}})->text == "x");
}

TEST_CASE("normalising a prompt file, and its version") {
  CHECK(normalise_prompt("\xEF\xBB\xBFhi  \r\nthere\t\r\rend\n\n\n") == "hi\nthere\n\nend\n");
  CHECK(normalise_prompt("x") == "x\n");
  CHECK(normalise_prompt("") == "");
  CHECK(normalise_prompt("\n\n") == "");
  CHECK(prompt_version("a  \r\nb") == prompt_version("a\nb\n\n"));
  CHECK(prompt_version("a\nb") != prompt_version("a\nc"));
  CHECK(parse("a\r\n").version == prompt_version("a\n"));
}

TEST_CASE("malformed prompt files name the file and line") {
  CHECK(error_of("---\nname: x\nbody") == "'prompts/p.prompt' line 1: the front matter opened by '---' is not closed");
  CHECK(error_of("---\nname: [x\n---\n").starts_with("'prompts/p.prompt' line 3: malformed front matter"));
  CHECK(error_of("---\n- a\n---\n") ==
        "'prompts/p.prompt' line 2: the front matter must be a YAML mapping (name: ..., model: ...)");
  CHECK(error_of("---\nname: {a: 1}\n---\n") == "'prompts/p.prompt' line 2: 'name' must be a string");
  CHECK(error_of("---\nconfig: 3\n---\n") == "'prompts/p.prompt' line 2: 'config' must be a mapping");
  CHECK(error_of("---\ninput:\n  schema:\n    a: strin\n---\n")
            .starts_with("'prompts/p.prompt' line 4: input.schema: unknown type 'strin' of 'a'"));
  CHECK(error_of("---\ninput:\n  schema:\n    a-b: string\n---\n")
            .starts_with("'prompts/p.prompt' line 4: input.schema: 'a-b' is not a variable name"));
  CHECK(error_of("---\ninput:\n  schema:\n    o(object): string\n---\n")
            .starts_with("'prompts/p.prompt' line 4: input.schema: 'o(object)' needs its fields"));
  CHECK(error_of("---\ninput:\n  untrusted: q\n---\n") ==
        "'prompts/p.prompt' line 3: 'input.untrusted' must be a list of variable names");
  CHECK(error_of("---\noutput: {format: xml}\n---\n") ==
        "'prompts/p.prompt' line 2: unknown output.format 'xml' (text or json)");
  CHECK(error_of("---\nname: a\n---\n\n{{#if x}}\n")
            .starts_with("'prompts/p.prompt' line 5, column 1: unclosed '{{#if x}}'"));
  CHECK(error_of("ok\n\xff\n") == "'prompts/p.prompt' line 2: not UTF-8 (byte 0xFF)");
  CHECK(error_of("---\na: " + std::string(1000, '{') + "\n---\n") ==
        "'prompts/p.prompt' line 2: the front matter nests '[' or '{' deeper than 64 levels");
}

TEST_CASE("UTF-8 validation") {
  CHECK_FALSE(invalid_utf8_at("plain é € 😀"));
  CHECK(invalid_utf8_at("a\xC0\x80") == 1u);         // overlong
  CHECK(invalid_utf8_at("ab\xED\xA0\x80") == 2u);    // surrogate
  CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0u);  // above U+10FFFF
  CHECK(invalid_utf8_at("x\xE2\x82") == 1u);         // cut short
}

TEST_CASE("values the schema does not declare are ignored, and a misspelt path gets a hint") {
  Prompt p = parse(kSupport);
  CHECK(p.declared_paths() ==
        std::vector<std::string>{"question", "customer", "customer.name", "customer.tier", "context"});
  CHECK(p.declares("customer.name"));
  CHECK_FALSE(p.declares("customer.email"));
  CHECK_FALSE(p.declares("context.title"));  // an array's items are not paths
  CHECK(p.closest_declared("custmer.name") == "customer.name");
  CHECK(p.closest_declared("topic").empty());
  json vars = {{"question", "Q"}, {"topic", "tea"}, {"customer", {{"name", "Ada"}, {"email", "a@b.c"}}}};
  CHECK(undeclared_values(p, vars) == std::vector<std::string>{"customer.email", "topic"});
  // A schema-less prompt declares nothing, so nothing is dropped.
  CHECK(undeclared_values(parse("Hi {{who}}\n"), {{"who", "you"}, {"x", 1}}).empty());
  // `any` and a bare object take whatever is below them.
  Prompt loose = parse("---\ninput:\n  schema:\n    meta: any\n---\n{{meta.a}}\n");
  CHECK(loose.declares("meta.a.b"));
  CHECK(undeclared_values(loose, {{"meta", {{"a", 1}}}}).empty());
  CHECK(render_prompt(loose, {{"meta", {{"a", 1}}}})->text == "1");

  // Undeclared values never reach the template: the template's undeclared path is missing.
  Prompt undeclared = parse("---\ninput:\n  schema:\n    question: string\n---\n{{question}} {{topic}}\n");
  auto ignored = render_prompt(undeclared, {{"question", "Q"}, {"topic", "tea"}});
  REQUIRE_FALSE(ignored);
  CHECK(ignored.error().message == "missing variable 'topic' ('prompts/support.prompt' line 6, column 14)");
  CHECK(ignored.error().hint.starts_with("input.schema does not declare 'topic', so no value reaches it"));
  // A path close to a declared one: the template probably has a typo.
  Prompt misspelt =
      parse("---\ninput:\n  schema:\n    customer(object):\n      name: string\n---\nHello {{custmer.name}}\n");
  auto typo = render_prompt(misspelt, {{"customer", {{"name", "Ada"}}}, {"custmer", {{"name", "Ada"}}}});
  REQUIRE_FALSE(typo);
  CHECK(typo.error().hint.starts_with(
      "the template probably has a typo: input.schema declares 'customer.name', not 'custmer.name'"));
  // A declared optional path that is missing prints nothing, as before.
  CHECK(render_prompt(p, {{"question", "Q"}})->messages[1].content.starts_with("friend asks:"));
}

TEST_CASE("declaration errors suggest the type meant, and the form of an enum") {
  CHECK(error_of("---\ninput:\n  schema:\n    a: strin\n---\n") ==
        "'prompts/p.prompt' line 4: input.schema: unknown type 'strin' of 'a' (did you mean 'string'?)");
  CHECK(error_of("---\ninput:\n  schema:\n    a(intger): x\n---\n") ==
        "'prompts/p.prompt' line 4: input.schema: unknown type 'intger' of 'a' (did you mean 'integer'?)");
  CHECK(error_of("---\ninput:\n  schema:\n    a: text\n---\n") ==
        "'prompts/p.prompt' line 4: input.schema: unknown type 'text' of 'a' (types: string, number, integer, "
        "boolean, object, array, enum, null, any)");
  CHECK(error_of("---\ninput:\n  schema:\n    channel?: enum [email, chat, phone]\n---\n") ==
        "'prompts/p.prompt' line 4: input.schema: an enum takes its type in the key and its values as the value: "
        "write 'channel?(enum): [email, chat, phone]'");
  CHECK(error_of("---\ninput:\n  schema:\n    channel: enum\n---\n").ends_with("write 'channel(enum): [A, B]'"));
  CHECK(error_of("---\ninput:\n  schema:\n    channel: enum, how it came\n---\n")
            .ends_with("write 'channel(enum): [A, B]'"));
  CHECK(error_of("---\ninput:\n  schema:\n    tags?: array\n---\n")
            .ends_with("write 'tags?(array): ...' with its fields or items"));
  // `enumeration` is a word of its own, not the enum form.
  CHECK(error_of("---\ninput:\n  schema:\n    c: enumeration\n---\n").find("unknown type 'enumeration'") !=
        std::string::npos);
}

TEST_CASE("a prompt file is named by its lexically normal path") {
  auto missing = load_prompt("scratch/../prompts/nosuch.prompt");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("'prompts/nosuch.prompt'") != std::string::npos);
  CHECK(missing.error().message.find("scratch") == std::string::npos);
}

}  // namespace mlops::llm
