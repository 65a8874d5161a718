#include "mlops/data/pointer.hpp"

#include <catch2/catch.hpp>

using namespace mlops;
using namespace mlops::data;

namespace {
const std::string kHash = "xxh3:0123456789abcdef0123456789abcdef";
std::string pointer_text(const std::string& path = "train.csv", const std::string& extra = "") {
  return "version: 1\npath: " + path + "\nhash: " + kHash + "\nsize: 10\nfiles: 1\nkind: file\n" + extra;
}
}  // namespace

TEST_CASE("a pointer round-trips through its canonical text") {
  Pointer p;
  p.path = "train.csv";
  p.hash = *Hash::parse(kHash);
  p.size = 1048576;
  p.files = 1;
  auto text = format_pointer(p);
  CHECK(text == "version: 1\npath: train.csv\nhash: " + kHash + "\nsize: 1048576\nfiles: 1\nkind: file\n");
  auto parsed = parse_pointer(text, "train.csv.mlops");
  REQUIRE(parsed);
  CHECK(parsed->path == "train.csv");
  CHECK(parsed->hash == p.hash);
  CHECK(parsed->size == 1048576);
}

TEST_CASE("paths YAML would misread are quoted and read back") {
  for (std::string path : {"true", "123", "a b.csv", "naïve.csv", "x:y", "-dash", "quote\"d"}) {
    Pointer p;
    p.path = path;
    auto parsed = parse_pointer(format_pointer(p), "p.mlops");
    REQUIRE(parsed);
    CHECK(parsed->path == path);
  }
}

TEST_CASE("malformed pointers are rejected with the file and line") {
  auto bad = parse_pointer("version: 1\npath: [unclosed\n", "data/x.mlops");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::bad_input);
  CHECK(bad.error().message.find("data/x.mlops:") != std::string::npos);

  auto missing = parse_pointer("version: 1\npath: a\n", "a.mlops");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("missing field 'hash'") != std::string::npos);

  auto bad_hash = parse_pointer("version: 1\npath: a\nhash: md5:abc\nsize: 1\nfiles: 1\nkind: file\n", "a.mlops");
  REQUIRE_FALSE(bad_hash);
  CHECK(bad_hash.error().message.find("a.mlops:3") != std::string::npos);

  auto bad_kind = parse_pointer("version: 1\npath: a\nhash: " + kHash + "\nsize: 1\nfiles: 1\nkind: blob\n", "a.mlops");
  REQUIRE_FALSE(bad_kind);
  CHECK(bad_kind.error().message.find("kind 'blob'") != std::string::npos);

  auto bad_size =
      parse_pointer("version: 1\npath: a\nhash: " + kHash + "\nsize: -4\nfiles: 1\nkind: file\n", "a.mlops");
  REQUIRE_FALSE(bad_size);
}

TEST_CASE("an unknown pointer version asks for a newer mlops") {
  auto r = parse_pointer("version: 2\npath: a\nhash: " + kHash + "\nsize: 1\nfiles: 1\nkind: file\n", "a.mlops");
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("unsupported pointer version 2") != std::string::npos);
  CHECK(r.error().hint.find("upgrade") != std::string::npos);
}

TEST_CASE("absolute and climbing pointer paths are rejected") {
  for (std::string path : {"/etc/passwd", "../outside.csv", "a/../../b", "./a", "a//b"}) {
    auto r = parse_pointer(pointer_text(path), "a.mlops");
    REQUIRE_FALSE(r);
    CHECK(r.error().exit == Exit::bad_input);
  }
  CHECK(is_safe_relative_path("data/train.csv"));
  CHECK_FALSE(is_safe_relative_path(""));
  CHECK_FALSE(is_safe_relative_path("a\nb"));
}
