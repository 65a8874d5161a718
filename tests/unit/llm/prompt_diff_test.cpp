#include "mlops/llm/prompt_diff.hpp"

#include <catch2/catch.hpp>
#include <string>

// Inside the namespace: the unit tests compile in unity batches, where a using-directive would leak.
namespace mlops::llm {

namespace {

Prompt parsed_for_diff(const std::string& text) {
  auto prompt = parse_prompt(text, "prompts/p.prompt");
  REQUIRE(prompt);
  return std::move(*prompt);
}

}  // namespace

TEST_CASE("unified_diff: hunks with context, as diff -u writes them") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "A", "B").empty());
  CHECK(unified_diff("a\nb\nc\n", "a\nx\nc\n", "A", "B") == "--- A\n+++ B\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n");
  CHECK(unified_diff("", "new\n", "A", "B") == "--- A\n+++ B\n@@ -0,0 +1,1 @@\n+new\n");
  CHECK(unified_diff("old\n", "", "A", "B") == "--- A\n+++ B\n@@ -1,1 +0,0 @@\n-old\n");
  // Changes far apart make two hunks; near ones share one.
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 ? "two" : i == 18 ? "eighteen" : std::to_string(i)) + "\n";
  }
  CHECK(unified_diff(a, b, "A", "B") ==
        "--- A\n+++ B\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n "
        "19\n 20\n");
  // An insertion in the middle.
  CHECK(unified_diff("a\nb\nc\nd\n", "a\nb\nnew\nc\nd\n", "A", "B", 1) ==
        "--- A\n+++ B\n@@ -2,2 +2,3 @@\n b\n+new\n c\n");
}

TEST_CASE("diff_prompts: front matter changes in words") {
  const std::string a_text =
      "---\nname: p\nmodel: m1\nconfig: {temperature: 0.2}\ninput:\n  schema:\n    q: string\n    old?: "
      "string\n---\n{{q}} "
      "{{old}}\n";
  const std::string b_text =
      "---\nname: p\nmodel: m2\nconfig: {temperature: 0.5, top_p: 0.9}\ninput:\n  schema:\n    q?: string\n    new: "
      "string\noutput: {format: json}\n---\n{{q}} {{new}}\n";
  auto diff = diff_prompts(parsed_for_diff(a_text), a_text, "A", parsed_for_diff(b_text), b_text, "B");
  CHECK_FALSE(diff.same);
  std::vector<std::string> changes;
  for (const auto& c : diff.changes) changes.push_back(c.str());
  CHECK(changes == std::vector<std::string>{
                       "model: m1 -> m2",
                       "config.temperature: 0.2 -> 0.5",
                       "config.top_p: added (0.9)",
                       "variable new: added (string, required)",
                       "variable old: removed (was string, optional)",
                       "variable q: string, required -> string, optional",
                       "output.format: text -> json",
                       "body: 1 lines -> 1 lines",
                   });
  CHECK(diff.unified.starts_with("--- A\n+++ B\n@@ "));
  CHECK(diff.to_json()["changes"][2]["before"].is_null());

  auto same =
      diff_prompts(parsed_for_diff(a_text), a_text, "A", parsed_for_diff(a_text + "\n\n"), a_text + "\n\n", "B");
  CHECK(same.same);
  CHECK(same.unified.empty());
}

}  // namespace mlops::llm
