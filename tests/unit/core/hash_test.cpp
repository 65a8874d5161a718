#include "mlops/core/hash.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using mlops::Hash;

// Known vectors: the XXH3-128 digests that `xxhsum -H2` prints for the same bytes.
TEST_CASE("XXH3-128 of known inputs matches xxhsum -H2") {
  CHECK(mlops::hash_bytes("").hex() == "99aa06d3014798d86001c324468d497f");
  CHECK(mlops::hash_bytes("a").hex() == "a96faf705af16834e6c632b61e964e1f");
  CHECK(mlops::hash_bytes("hello world\n").hex() == "eefac9d87100cd1336b2e733a5484425");
}

TEST_CASE("streaming and one-shot hashing agree") {
  std::string data(1 << 20, 'x');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7919 % 251);
  mlops::Hasher hasher;
  for (std::size_t at = 0; at < data.size(); at += 4093) hasher.update(std::string_view(data).substr(at, 4093));
  CHECK(hasher.digest() == mlops::hash_bytes(data));
}

TEST_CASE("hash text round-trips and rejects malformed text") {
  Hash h = mlops::hash_bytes("a");
  CHECK(h.str() == "xxh3:a96faf705af16834e6c632b61e964e1f");
  CHECK(Hash::parse(h.str()) == h);
  CHECK_FALSE(Hash::parse("a96faf705af16834e6c632b61e964e1f"));        // no prefix
  CHECK_FALSE(Hash::parse("md5:a96faf705af16834e6c632b61e964e1f"));    // other algorithm
  CHECK_FALSE(Hash::parse("xxh3:A96FAF705AF16834E6C632B61E964E1F"));   // upper case
  CHECK_FALSE(Hash::parse("xxh3:a96faf705af16834e6c632b61e964e1"));    // too short
  CHECK_FALSE(Hash::parse("xxh3:a96faf705af16834e6c632b61e964e1fz"));  // too long
  CHECK_FALSE(Hash::parse("xxh3:g96faf705af16834e6c632b61e964e1f"));   // not hex
}

TEST_CASE("hash_file agrees with hash_bytes and reports a missing file") {
  auto path = std::filesystem::temp_directory_path() / "mlops_hash_test.bin";
  std::string data(3 << 20, 'q');
  { std::ofstream(path, std::ios::binary) << data; }
  auto h = mlops::hash_file(path);
  REQUIRE(h);
  CHECK(*h == mlops::hash_bytes(data));
  std::filesystem::remove(path);
  auto missing = mlops::hash_file(path);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == mlops::Exit::bad_input);
  CHECK(missing.error().message.find("mlops_hash_test.bin") != std::string::npos);
}
