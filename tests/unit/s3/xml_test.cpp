#include "mlops/s3/xml.hpp"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("s3 xml: elements by name, not by a longer name that starts the same", "[s3][xml]") {
  std::string list =
      "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a&amp;b</Key><Size>3</Size></Contents>"
      "<Contents><Key>c&#x20;d&#233;</Key><Size>0</Size></Contents>"
      "<NextContinuationToken>1/2+3=</NextContinuationToken><Empty/></ListBucketResult>";
  auto contents = mlops::s3::xml_elements(list, "Contents");
  REQUIRE(contents.size() == 2);
  CHECK(mlops::s3::xml_text(contents[0], "Key") == "a&b");
  CHECK(mlops::s3::xml_text(contents[1], "Key") == "c d\xc3\xa9");
  CHECK(mlops::s3::xml_text(list, "KeyCount") == "2");
  CHECK(mlops::s3::xml_text(list, "IsTruncated") == "true");
  CHECK(mlops::s3::xml_text(list, "NextContinuationToken") == "1/2+3=");
  CHECK(mlops::s3::xml_text(list, "Empty") == "");
  CHECK_FALSE(mlops::s3::xml_text(list, "Missing"));
  CHECK(mlops::s3::xml_elements(list, "ListBucketResult").size() == 1);
}

TEST_CASE("s3 xml: escaping round-trips through decoding", "[s3][xml]") {
  std::string text = "<a href=\"x\">&'b'</a>";
  CHECK(mlops::s3::xml_escape(text) == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;b&apos;&lt;/a&gt;");
  CHECK(mlops::s3::xml_decode(mlops::s3::xml_escape(text)) == text);
  CHECK(mlops::s3::xml_decode("&unknown; & &#xZZ;") == "&unknown; & &#xZZ;");
}
