#include "mlops/interop/md5.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace mlops::interop;

TEST_CASE("md5 gives the test suite of RFC 1321") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("md5 is the same whatever the pieces it is fed in") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7);
  std::string whole = md5_hex(data);
  for (std::size_t piece : {1, 3, 55, 56, 63, 64, 65, 128, 999}) {
    Md5 md5;
    for (std::size_t at = 0; at < data.size(); at += piece) md5.update(std::string_view(data).substr(at, piece));
    CHECK(md5.hex() == whole);
  }
  Md5 md5;
  md5.update("ab");
  CHECK(md5.hex() == md5_hex("ab"));  // hex() does not end the stream
  md5.update("c");
  CHECK(md5.hex() == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("the dos2unix md5 hashes CRLF as LF, also across pieces") {
  std::string text = "id,label\r\n1,cat\r\n2,dog\r\nlone\rcr\r";
  std::string unix_text = "id,label\n1,cat\n2,dog\nlone\rcr\r";
  for (std::size_t piece : {1, 2, 9, 10, 11, 100}) {
    Dos2UnixMd5 md5;
    for (std::size_t at = 0; at < text.size(); at += piece) {
      auto part = std::string_view(text).substr(at, piece);
      md5.update(part.data(), part.size());
    }
    CHECK(md5.hex() == md5_hex(unix_text));
  }
}

TEST_CASE("is_md5_hex takes 32 lowercase hex digits only") {
  CHECK(is_md5_hex("d41d8cd98f00b204e9800998ecf8427e"));
  CHECK_FALSE(is_md5_hex("D41D8CD98F00B204E9800998ECF8427E"));
  CHECK_FALSE(is_md5_hex("d41d8cd98f00b204e9800998ecf8427"));
  CHECK_FALSE(is_md5_hex("d41d8cd98f00b204e9800998ecf8427e.dir"));
}
