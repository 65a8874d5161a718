#include "mlops/view/html.hpp"

#include <catch2/catch.hpp>

using namespace mlops::view;

TEST_CASE("html escape turns markup characters into entities") {
  CHECK(escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(escape("a & \"b\"") == "a &amp; &quot;b&quot;");
  CHECK(escape("&lt;") == "&amp;lt;");
  CHECK(escape("café ✓") == "café ✓");
  CHECK(escape("") == "");
}

TEST_CASE("html escape replaces bytes that are not UTF-8") {
  CHECK(escape(std::string("a\xff"
                           "b")) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(escape(std::string("\xC3")) == "\xEF\xBF\xBD");                          // cut sequence
  CHECK(escape(std::string("\xC0\xAF")) == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong '/'
  CHECK(escape(std::string("\xED\xA0\x80")).find("\xED") == std::string::npos);  // a surrogate
  CHECK(escape(std::string("a\0b", 3)) ==
        "a\xEF\xBF\xBD"
        "b");
}

TEST_CASE("json for a script element cannot close it") {
  nlohmann::ordered_json doc = {{"name", "</script><script>alert(1)</script>"}, {"amp", "a&b"}, {"ls", "x\u2028y"}};
  std::string text = script_json(doc);
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(nlohmann::json::parse(text)["name"] == "</script><script>alert(1)</script>");
  CHECK(nlohmann::json::parse(text)["ls"] == "x\u2028y");
  CHECK(script_json({{"bad", std::string("\xff")}}) == "{\"bad\":\"\xEF\xBF\xBD\"}");
}
