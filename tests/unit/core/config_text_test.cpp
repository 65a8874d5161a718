#include "mlops/core/config_text.hpp"

#include <catch2/catch.hpp>

using namespace mlops;

namespace {

RemoteEdit set_edit(std::string name, std::string key, std::string value) {
  return {RemoteEdit::Op::set, std::move(name), std::move(key), std::move(value)};
}
RemoteEdit unset_edit(std::string name, std::string key) {
  return {RemoteEdit::Op::unset, std::move(name), std::move(key), {}};
}
RemoteEdit remove_remote_edit(std::string name) { return {RemoteEdit::Op::remove_remote, std::move(name), {}, {}}; }

std::string edited_text(std::string_view text, const std::vector<RemoteEdit>& edits, bool rewritten = false) {
  auto result = edit_remotes_text(text, edits);
  REQUIRE(result);
  CHECK(result->rewritten == rewritten);
  return result->text;
}

}  // namespace

TEST_CASE("config text: an empty section gets its first remote in block style, comments kept") {
  std::string text =
      "# team settings\n"
      "version: 1\n"
      "remotes: {}  # none yet\n"
      "# stages\n"
      "registry:\n"
      "  stages: [dev, production]\n";
  CHECK(edited_text(text, {set_edit("storage", "url", "s3://b/p"), set_edit("storage", "default", "true")}) ==
        "# team settings\n"
        "version: 1\n"
        "remotes:  # none yet\n"
        "  storage:\n"
        "    url: s3://b/p\n"
        "    default: true\n"
        "# stages\n"
        "registry:\n"
        "  stages: [dev, production]\n");
  CHECK(edited_text("version: 1\nremotes:\n", {set_edit("a", "url", "/x")}) ==
        "version: 1\nremotes:\n  a:\n    url: /x\n");
  CHECK(edited_text("", {set_edit("a", "url", "/x")}) == "remotes:\n  a:\n    url: /x\n");
  CHECK(edited_text("version: 1\n\n", {set_edit("a", "url", "/x")}) == "version: 1\nremotes:\n  a:\n    url: /x\n");
}

TEST_CASE("config text: settings change on their own line, with the indentation of the file") {
  std::string text =
      "remotes:\n"
      "    # the team's\n"
      "    team:\n"
      "        url: /mnt/team  # mounted by fstab\n"
      "        jobs: 4\n"
      "other: 1\n";
  CHECK(edited_text(text, {set_edit("team", "url", "/mnt/new")}) ==
        "remotes:\n"
        "    # the team's\n"
        "    team:\n"
        "        url: /mnt/new  # mounted by fstab\n"
        "        jobs: 4\n"
        "other: 1\n");
  CHECK(edited_text(text, {set_edit("team", "region", "eu-west-1"), set_edit("mine", "url", "/y")}) ==
        "remotes:\n"
        "    # the team's\n"
        "    team:\n"
        "        url: /mnt/team  # mounted by fstab\n"
        "        jobs: 4\n"
        "        region: eu-west-1\n"
        "    mine:\n"
        "        url: /y\n"
        "other: 1\n");
  CHECK(edited_text(text, {unset_edit("team", "jobs")}) ==
        "remotes:\n"
        "    # the team's\n"
        "    team:\n"
        "        url: /mnt/team  # mounted by fstab\n"
        "other: 1\n");
  // The last remote goes with the comment above it; the section stays, empty.
  CHECK(edited_text(text, {remove_remote_edit("team")}) == "remotes: {}\nother: 1\n");
  // A quoted value keeps its comment; a value that needs quotes gets them.
  CHECK(edited_text("remotes:\n  a:\n    url: '/x # y'  # note\n", {set_edit("a", "url", "a: b")}) ==
        "remotes:\n  a:\n    url: \"a: b\"  # note\n");
}

TEST_CASE("config text: nothing to change is nullopt; flow style is written again in block style") {
  CHECK(!edit_remotes_text("remotes:\n  a:\n    url: /x\n", {unset_edit("a", "jobs")}));
  CHECK(!edit_remotes_text("remotes:\n  a:\n    url: /x\n", {remove_remote_edit("b")}));
  CHECK(!edit_remotes_text("remotes:\n  a:\n    url: /x\n", {set_edit("a", "url", "/x")}));
  auto result = edit_remotes_text("# gone\nremotes: {a: {url: /x}}\n", {set_edit("a", "jobs", "2")});
  REQUIRE(result);
  CHECK(result->rewritten);
  CHECK(result->text == "remotes:\n  a:\n    url: /x\n    jobs: 2\n");
}
