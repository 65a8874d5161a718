#include "mlops/data/manifest.hpp"

#include <catch2/catch.hpp>

using namespace mlops;
using namespace mlops::data;

TEST_CASE("a manifest serialises canonically whatever the input order") {
  Manifest a{{"b.txt", hash_bytes("b"), 1, false}, {"a/x.bin", hash_bytes("x"), 1, true}};
  Manifest b{{"a/x.bin", hash_bytes("x"), 1, true}, {"b.txt", hash_bytes("b"), 1, false}};
  REQUIRE(canonicalize(a));
  REQUIRE(canonicalize(b));
  CHECK(serialize_manifest(a) == serialize_manifest(b));
  CHECK(serialize_manifest(a) ==
        "mlops-manifest 1\n" + hash_bytes("x").hex() + " 1 x a/x.bin\n" + hash_bytes("b").hex() + " 1 - b.txt\n");
  auto parsed = parse_manifest(serialize_manifest(a), "m");
  REQUIRE(parsed);
  CHECK(*parsed == a);
}

TEST_CASE("duplicate paths are refused") {
  Manifest m{{"a", hash_bytes("1"), 1, false}, {"a", hash_bytes("2"), 1, false}};
  CHECK_FALSE(canonicalize(m));
}

TEST_CASE("malformed manifests name the line") {
  std::string h = hash_bytes("x").hex();
  auto climbing = parse_manifest("mlops-manifest 1\n" + h + " 1 - ../escape\n", "obj");
  REQUIRE_FALSE(climbing);
  CHECK(climbing.error().message.find("line 2") != std::string::npos);
  CHECK(climbing.error().message.find("../escape") != std::string::npos);
  CHECK_FALSE(parse_manifest("mlops-manifest 1\n" + h + " 1 - /abs\n", "obj"));
  CHECK_FALSE(parse_manifest("not a manifest\n", "obj"));
  CHECK_FALSE(parse_manifest("mlops-manifest 1\n" + h + " 1 - b\n" + h + " 1 - a\n", "obj"));  // unsorted
  CHECK_FALSE(parse_manifest("mlops-manifest 1\n" + h + " x - a\n", "obj"));                   // size
  CHECK_FALSE(parse_manifest("mlops-manifest 1\n" + h + " 1 - a", "obj"));                     // no newline
  CHECK(parse_manifest("mlops-manifest 1\n", "obj")->empty());
}
