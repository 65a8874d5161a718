#include "mlops/data/merge.hpp"

#include <catch2/catch.hpp>

#include "mlops/core/hash.hpp"

using namespace mlops;
using namespace mlops::data;

namespace {
ManifestEntry merge_entry(const std::string& path, const std::string& content) {
  return ManifestEntry{path, hash_bytes(content), content.size(), false};
}
std::vector<std::string> merge_paths(const Manifest& m) {
  std::vector<std::string> paths;
  for (const auto& e : m) paths.push_back(e.path);
  return paths;
}
std::string merge_pointer(const std::string& content, Kind kind = Kind::file) {
  Pointer p;
  p.path = "d";
  p.hash = hash_bytes(content);
  p.kind = kind;
  p.files = kind == Kind::file ? 1 : 2;
  return format_pointer(p);
}
}  // namespace

TEST_CASE("a file changed on one side only is taken from that side") {
  Manifest base{merge_entry("a", "1"), merge_entry("b", "2"), merge_entry("c", "3")};
  Manifest ours{merge_entry("a", "1-ours"), merge_entry("b", "2"), merge_entry("c", "3"), merge_entry("d", "4")};
  Manifest theirs{merge_entry("a", "1"), merge_entry("b", "2-theirs")};  // c deleted
  auto merged = merge_manifests(base, ours, theirs);
  CHECK(merged.conflicts.empty());
  CHECK(merge_paths(merged.merged) == std::vector<std::string>{"a", "b", "d"});
  CHECK(merged.merged[0] == merge_entry("a", "1-ours"));
  CHECK(merged.merged[1] == merge_entry("b", "2-theirs"));
}

TEST_CASE("both sides changing a file differently, or changing what the other deleted, conflicts") {
  Manifest base{merge_entry("a", "1"), merge_entry("b", "2")};
  Manifest ours{merge_entry("a", "ours"), merge_entry("b", "2-ours")};
  Manifest theirs{merge_entry("a", "theirs")};  // b deleted
  auto merged = merge_manifests(base, ours, theirs);
  CHECK(merged.conflicts == std::vector<std::string>{"a", "b"});
}

TEST_CASE("the same change on both sides, and files both added alike, merge once") {
  Manifest base{merge_entry("a", "1")};
  Manifest ours{merge_entry("a", "2"), merge_entry("n", "new")};
  Manifest theirs{merge_entry("a", "2"), merge_entry("n", "new")};
  auto merged = merge_manifests(base, ours, theirs);
  CHECK(merged.conflicts.empty());
  CHECK(merged.merged == ours);
  // Added on both sides with different content (no base): a conflict.
  auto added = merge_manifests({}, Manifest{merge_entry("n", "x")}, Manifest{merge_entry("n", "y")});
  CHECK(added.conflicts == std::vector<std::string>{"n"});
}

TEST_CASE("pointer texts: identical or one-sided changes need no cache") {
  auto base = merge_pointer("v1"), ours = merge_pointer("v2"), theirs = merge_pointer("v1");
  auto r = merge_pointer_texts(nullptr, base, ours, theirs, "d.mlops");
  CHECK(r.clean);
  CHECK(r.text == ours);
  r = merge_pointer_texts(nullptr, base, theirs, ours, "d.mlops");
  CHECK(r.clean);
  CHECK(r.text == ours);
  r = merge_pointer_texts(nullptr, "", ours, ours, "d.mlops");
  CHECK(r.clean);
}

TEST_CASE("two file versions conflict, and the conflict reads back as both sides") {
  auto base = merge_pointer("v1"), ours = merge_pointer("ours"), theirs = merge_pointer("theirs");
  auto r = merge_pointer_texts(nullptr, base, ours, theirs, "d.mlops");
  CHECK_FALSE(r.clean);
  REQUIRE(has_conflict_markers(r.text));
  auto conflict = parse_pointer_conflict(r.text, "d.mlops");
  REQUIRE(conflict);
  CHECK(format_pointer(conflict->ours) == ours);
  CHECK(format_pointer(conflict->theirs) == theirs);
  REQUIRE(conflict->base);
  CHECK(format_pointer(*conflict->base) == base);
}

TEST_CASE("texts that are not pointers become git-style conflicts, never one side silently") {
  auto r = merge_pointer_texts(nullptr, "", "garbage: [", merge_pointer("x"), "d.mlops");
  CHECK_FALSE(r.clean);
  CHECK(r.text.find("garbage: [") != std::string::npos);
  CHECK(r.text.find(merge_pointer("x")) != std::string::npos);
}
