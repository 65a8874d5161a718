#include "mlops/data/pointer_conflict.hpp"

#include <catch2/catch.hpp>

using namespace mlops;
using namespace mlops::data;

namespace {
const std::string kOurs = "xxh3:0123456789abcdef0123456789abcdef";
const std::string kTheirs = "xxh3:fedcba9876543210fedcba9876543210";
}  // namespace

TEST_CASE("git's text merge of a pointer is read as a conflict of two versions") {
  // What git leaves when only the hash and size lines differ: the rest is shared.
  std::string text = "version: 1\npath: train.csv\n<<<<<<< HEAD\nhash: " + kOurs +
                     "\nsize: 10\n=======\nhash: " + kTheirs + "\nsize: 20\n>>>>>>> feature\nfiles: 1\nkind: file\n";
  REQUIRE(has_conflict_markers(text));
  auto c = parse_pointer_conflict(text, "train.csv.mlops");
  REQUIRE(c);
  CHECK(c->ours.hash.str() == kOurs);
  CHECK(c->ours.size == 10);
  CHECK(c->theirs.hash.str() == kTheirs);
  CHECK(c->theirs.size == 20);
  CHECK(c->ours.path == "train.csv");
  CHECK_FALSE(c->base);
}

TEST_CASE("the merge driver's conflict round-trips, with its files") {
  PointerConflict c;
  c.ours.path = c.theirs.path = "images";
  c.ours.kind = c.theirs.kind = Kind::dir;
  c.ours.hash = *Hash::parse(kOurs);
  c.theirs.hash = *Hash::parse(kTheirs);
  c.files = {"a.png", "sub dir/b.png"};
  auto text = format_pointer_conflict(c, "images.mlops");
  CHECK(text.find("mlops data checkout images --ours") != std::string::npos);
  auto back = parse_pointer_conflict(text, "images.mlops");
  REQUIRE(back);
  CHECK(back->files == c.files);
  CHECK(back->ours.hash == c.ours.hash);
  CHECK(back->theirs.kind == Kind::dir);
}

TEST_CASE("broken conflict markers are malformed, with a way out that works during a merge") {
  auto open_only = parse_pointer_conflict("<<<<<<< HEAD\nversion: 1\n", "x.mlops");
  REQUIRE_FALSE(open_only);
  CHECK(open_only.error().exit == Exit::bad_input);
  CHECK(open_only.error().hint.find("--ours") != std::string::npos);
  CHECK_FALSE(has_conflict_markers("version: 1\n# <<<<<<< not at the start\n"));
  auto bad_side = parse_pointer_conflict("<<<<<<< a\nversion: 1\n=======\nversion: 1\n>>>>>>> b\n", "x.mlops");
  CHECK_FALSE(bad_side);
}
